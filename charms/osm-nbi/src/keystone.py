# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The upstream `keystone` interface, requirer side, as the NBI uses it.

Upstream osm-keystone publishes twelve plain keys in its application databag:
`host` (a full URL such as `http://keystone:5000/v3`), `port`, `user_domain_name`,
`project_domain_name`, `username`, `password`, `service`, `keystone_db_password`,
`region_id`, `admin_username`, `admin_password` and `admin_project_name`. The NBI
authenticates its users with the service account: it needs the first seven.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class KeystoneCredentials:
    """Where Keystone is and the service account the NBI logs in with."""

    auth_url: str
    auth_port: str
    user_domain_name: str
    project_domain_name: str
    service_username: str
    service_password: str = field(repr=False)
    service_project: str


# Databag key -> KeystoneCredentials field.
_KEYS = {
    "host": "auth_url",
    "port": "auth_port",
    "user_domain_name": "user_domain_name",
    "project_domain_name": "project_domain_name",
    "username": "service_username",
    "password": "service_password",
    "service": "service_project",
}


def read_credentials(databag: Mapping[str, str]) -> KeystoneCredentials | None:
    """The credentials in a keystone provider's databag, or None while any key is missing."""
    values = {name: databag.get(key, "") for key, name in _KEYS.items()}
    if not all(values.values()) or not values["auth_port"].isdigit():
        return None
    return KeystoneCredentials(**values)
