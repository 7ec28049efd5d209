# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed, validated configuration of the osm-pol charm (mirrors charmcraft.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

import ops
from charms.osm_libs.v0.status import normalise_log_level


@dataclass(frozen=True)
class CharmConfig:
    """The charm's options; construction raises ValueError naming a bad option.

    `mysql_uri` is the user secret set in `mysql-uri` (None when unset); the charm
    reads and checks its content when it needs the URI.
    """

    log_level: str = "INFO"
    mysql_uri: ops.Secret | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "log_level", normalise_log_level(self.log_level))
