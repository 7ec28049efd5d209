# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed configuration of the osm-mongodb charm (mirrors `charmcraft.yaml`)."""

from __future__ import annotations

import dataclasses

# This module stands alone (no ops, no sibling module): distro-builder loads it to check
# an overlay's values of these options (distro_builder/charm_rules.yaml).
MIN_CACHE_SIZE_GB = 0.25
MAX_CACHE_SIZE_GB = 10000
MAX_LOG_VERBOSITY = 5
# Juju's secret rotation policies, as `client-user-rotation` names them. (The option's
# name has no `password`: distro-builder takes such options for plain-text secrets.)
ROTATION_POLICIES = ("never", "hourly", "daily", "weekly", "monthly", "quarterly", "yearly")


@dataclasses.dataclass(frozen=True, kw_only=True)
class CharmConfig:
    """The charm's options, validated."""

    cache_size_gb: float = 0
    log_verbosity: int = 0
    client_user_rotation: str = "monthly"

    def __post_init__(self):
        """Check every option; the error names the option."""
        if self.cache_size_gb and not (
            MIN_CACHE_SIZE_GB <= self.cache_size_gb <= MAX_CACHE_SIZE_GB
        ):
            raise ValueError(
                f"invalid cache-size-gb {self.cache_size_gb}: use 0 (automatic) or "
                f"{MIN_CACHE_SIZE_GB} to {MAX_CACHE_SIZE_GB}"
            )
        if not 0 <= self.log_verbosity <= MAX_LOG_VERBOSITY:
            raise ValueError(
                f"invalid log-verbosity {self.log_verbosity}: use 0 to {MAX_LOG_VERBOSITY}"
            )
        if self.client_user_rotation not in ROTATION_POLICIES:
            raise ValueError(
                f"invalid client-user-rotation {self.client_user_rotation!r}: "
                f"use one of {', '.join(ROTATION_POLICIES)}"
            )
