# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The upstream `keystone` interface, requirer side: Keystone's service account.

Upstream osm-keystone publishes twelve plain keys in its application databag:
`host` (a full URL such as `http://keystone:5000/v3`), `port`, `user_domain_name`,
`project_domain_name`, `username`, `password`, `service`, `keystone_db_password`,
`region_id`, `admin_username`, `admin_password` and `admin_project_name`. The OSM
modules (NBI, MON) log in with the service account, the first seven keys; the admin
and database keys are never read.

`read_credentials` is the reader of an `AppDataRequirer` (`charms.osm_libs.v0.app_data`):

    self._keystone = AppDataRequirer(self, "keystone", read_credentials)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LIBID = "eb7cbf70cf334104901f279b01a8d18a"
LIBAPI = 0
LIBPATCH = 2

# Databag key -> KeystoneCredentials field.
_KEYS = {
    "host": "url",
    "port": "port",
    "user_domain_name": "user_domain_name",
    "project_domain_name": "project_domain_name",
    "username": "username",
    "password": "password",
    "service": "project",
}


@dataclass(frozen=True)
class KeystoneCredentials:
    """Where Keystone is and the service account an OSM module logs in with."""

    url: str
    port: int
    user_domain_name: str
    project_domain_name: str
    username: str
    password: str = field(repr=False)
    project: str


def read_credentials(databag: Mapping[str, str]) -> KeystoneCredentials | None:
    """The service account in a keystone provider's databag; None while a key is missing.

    A `port` that is not a number counts as missing.
    """
    values = {name: databag.get(key, "") for key, name in _KEYS.items()}
    if not all(values.values()) or not values["port"].isdigit():
        return None
    return KeystoneCredentials(**{**values, "port": int(values["port"])})
