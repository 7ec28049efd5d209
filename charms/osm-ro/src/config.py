# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed configuration of the osm-ro charm, mirroring charmcraft.yaml's options."""

from __future__ import annotations

from dataclasses import dataclass, field

import ops
from certificates import parse_certificates
from charms.osm_libs.v0.status import normalise_log_level
from literals import DEFAULT_PERIOD_REFRESH_ACTIVE

_REFRESH_DISABLED = -1
_MIN_REFRESH_PERIOD = 60


@dataclass(frozen=True)
class CharmConfig:
    """The charm's options, validated; `log_level` is normalised to upper case."""

    log_level: str = "INFO"
    database_commonkey: ops.Secret | None = None
    period_refresh_active: int = DEFAULT_PERIOD_REFRESH_ACTIVE
    certificates: str = ""
    certificate_files: dict[str, bytes] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Validate every option; raise ValueError with a message naming the option."""
        object.__setattr__(self, "log_level", normalise_log_level(self.log_level))
        period = self.period_refresh_active
        if period != _REFRESH_DISABLED and period < _MIN_REFRESH_PERIOD:
            raise ValueError(
                f"invalid period-refresh-active {period}: use at least"
                f" {_MIN_REFRESH_PERIOD} seconds, or {_REFRESH_DISABLED} to disable"
            )
        object.__setattr__(self, "certificate_files", parse_certificates(self.certificates))
