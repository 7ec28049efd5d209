# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Requirer side of the upstream `osm-vca` interface, as MON uses it.

The provider writes plain keys in its application databag (upstream Charmed OSM):
osm-vca-integrator: `endpoints`, `user`, `secret`, `public-key`, `cacert`, the clouds
and `model-configs`; MON needs the controller's address and account.
A databag without every key MON needs has not been answered yet: the reader returns None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def _read(databag: Mapping[str, str], keys: Mapping[str, str]) -> dict[str, str] | None:
    """{field: databag[key]} for `keys` ({key: field}), or None while a value is empty."""
    values = {name: databag.get(key, "") for key, name in keys.items()}
    return values if all(values.values()) else None


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
