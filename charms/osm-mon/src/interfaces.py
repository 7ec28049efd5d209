# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Requirer side of the upstream `keystone` and `osm-vca` interfaces, as MON uses them.

Both providers write plain keys in their application databag (upstream Charmed OSM):
- osm-keystone: `host` (a full URL such as `http://keystone:5000/v3`), `port`,
  `user_domain_name`, `project_domain_name`, `username`, `password`, `service`, and
  admin keys MON does not use;
- osm-vca-integrator: `endpoints`, `user`, `secret`, `public-key`, `cacert`, the clouds
  and `model-configs`; MON needs the controller's address and account.
A databag without every key MON needs has not been answered yet: the readers return None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def _read(databag: Mapping[str, str], keys: Mapping[str, str]) -> dict[str, str] | None:
    """{field: databag[key]} for `keys` ({key: field}), or None while a value is empty."""
    values = {name: databag.get(key, "") for key, name in keys.items()}
    return values if all(values.values()) else None


@dataclass(frozen=True)
class KeystoneAccount:
    """Where Keystone is and the service account MON logs in with."""

    url: str
    user_domain_name: str
    project_domain_name: str
    username: str
    password: str = field(repr=False)
    project: str

    @classmethod
    def from_databag(cls, databag: Mapping[str, str]) -> KeystoneAccount | None:
        """The account in an osm-keystone databag, or None while a key is missing."""
        values = _read(
            databag,
            {
                "host": "url",
                "user_domain_name": "user_domain_name",
                "project_domain_name": "project_domain_name",
                "username": "username",
                "password": "password",
                "service": "project",
            },
        )
        return None if values is None else cls(**values)


@dataclass(frozen=True)
class VcaAccount:
    """The Juju controller (VCA) MON asks for the state of VNF charms, and its account."""

    endpoints: str
    user: str
    secret: str = field(repr=False)
    cacert: str

    @classmethod
    def from_databag(cls, databag: Mapping[str, str]) -> VcaAccount | None:
        """The account in an osm-vca-integrator databag, or None while a key is missing."""
        values = _read(
            databag,
            {"endpoints": "endpoints", "user": "user", "secret": "secret", "cacert": "cacert"},
        )
        return None if values is None else cls(**values)
