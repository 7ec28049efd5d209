# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""POL's SQL URIs: the mysql-uri check and the URI built from mysql relation data."""

from __future__ import annotations

import pytest
from helpers import MYSQL_UNIT_DATA
from sql import SQLITE_URI, check_mysql_uri, mysql_relation_uri


def test_sqlite_uri_is_an_absolute_path_on_the_storage():
    assert SQLITE_URI == "sqlite:////app/database/pol/policy_module.db"


@pytest.mark.parametrize(
    "uri",
    [
        "mysql://root:secret@mysql:3306/pol",
        "mysql://pol:p%40ss@mysql.osm.svc.cluster.local:3306/policy_db",
        "mysql://u:p@10.1.2.3:1/pol",
        "  mysql://u:p@db:65535/pol  ",
    ],
)
def test_well_formed_mysql_uris_pass(uri):
    assert check_mysql_uri(uri) == uri.strip()


@pytest.mark.parametrize(
    "uri",
    [
        "",
        "mysql://root@mysql:3306/pol",
        "mysql://root:secret@mysql/pol",
        "mysql://root:secret@mysql:3306",
        "mysql://root:secret@mysql:0/pol",
        "mysql://root:secret@mysql:65536/pol",
        "mysql://root:se@cret@mysql:3306/pol",
        "mysql://root:secret@my sql:3306/pol",
        "postgresql://root:secret@db:5432/pol",
        "mysql://root:secret@mysql:3306/pol?ssl=1",
    ],
)
def test_malformed_mysql_uris_fail_without_quoting_the_password(uri):
    with pytest.raises(ValueError, match=r"^invalid mysql-uri: use mysql://") as error:
        check_mysql_uri(uri)

    assert "secret" not in str(error.value)


def test_relation_data_gives_the_root_uri_of_the_pol_database():
    assert mysql_relation_uri(MYSQL_UNIT_DATA) == "mysql://root:r00t-pass@mariadb-k8s:3306/pol"


@pytest.mark.parametrize(
    "change",
    [
        {"host": ""},
        {"host": "db;drop"},
        {"port": "mysql"},
        {"port": "0"},
        {"root_password": ""},
    ],
)
def test_incomplete_or_malformed_relation_data_gives_nothing(change):
    assert mysql_relation_uri({**MYSQL_UNIT_DATA, **change}) is None
