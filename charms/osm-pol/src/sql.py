# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Where POL keeps its SQL tables: the URI for `OSMPOL_SQL_DATABASE_URI`.

Three sources, as upstream Charmed OSM has them: the `mysql-uri` option, the `mysql`
relation (upstream's mariadb keys, used with the root account so that POL can create
its database), or, when neither is given, SQLite on the charm's storage. The URIs hold
passwords: validation messages never quote them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from literals import MYSQL_DATABASE, MYSQL_URI_OPTION, SQLITE_FILE

_MYSQL_URI = re.compile(
    r"mysql://[^:@/\s]+:[^@/\s]+@(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)"
    r":(?P<port>\d{1,5})/\w+"
)
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
SQLITE_URI = f"sqlite:///{SQLITE_FILE}"


def _valid_port(port: str) -> bool:
    return port.isdigit() and 0 < int(port) < 65536


def check_mysql_uri(uri: str) -> str:
    """Return the stripped `uri`, or raise ValueError (which never quotes it)."""
    value = uri.strip()
    match = _MYSQL_URI.fullmatch(value)
    if match is None or not _valid_port(match["port"]):
        raise ValueError(
            f"invalid {MYSQL_URI_OPTION}: use mysql://user:password@host:port/database "
            "(percent-encode @, / and : in the password)"
        )
    return value


def mysql_relation_uri(databag: Mapping[str, str]) -> str | None:
    """The root URI of POL's database from a mysql unit databag; None if incomplete."""
    host, port, password = (databag.get(key, "") for key in ("host", "port", "root_password"))
    if not _HOST.fullmatch(host) or not _valid_port(port) or not password:
        return None
    return f"mysql://root:{quote(password, safe='')}@{host}:{port}/{MYSQL_DATABASE}"
