# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed charm configuration: one field per option of charmcraft.yaml."""

from __future__ import annotations

from dataclasses import dataclass

from charms.osm_libs.v0.status import normalise_log_level

AUTO = 0
FOREVER = -1


@dataclass(frozen=True)
class CharmConfig:
    """The charm's options, validated; `ValueError` names the option at fault."""

    log_level: str = "INFO"
    num_partitions: int = 1
    retention_hours: int = 168
    retention_ms: int = 0
    auto_create_topics: bool = True
    replication_factor: int = AUTO
    min_insync_replicas: int = AUTO

    def __post_init__(self) -> None:
        """Normalise the log level and check every bound."""
        object.__setattr__(self, "log_level", normalise_log_level(self.log_level))
        if self.num_partitions < 1:
            raise ValueError(f"invalid num-partitions {self.num_partitions}: use 1 or more")
        if self.retention_hours != FOREVER and self.retention_hours < 1:
            raise ValueError(
                f"invalid retention-hours {self.retention_hours}: use 1 or more, or -1 (forever)"
            )
        if self.retention_ms < FOREVER:
            raise ValueError(
                f"invalid retention-ms {self.retention_ms}: "
                "use 1 or more, -1 (forever) or 0 (use retention-hours)"
            )
        for option, value in (
            ("replication-factor", self.replication_factor),
            ("min-insync-replicas", self.min_insync_replicas),
        ):
            if value < AUTO:
                raise ValueError(f"invalid {option} {value}: use 1 or more, or 0 (automatic)")
        if AUTO not in (self.replication_factor, self.min_insync_replicas) and (
            self.min_insync_replicas > self.replication_factor
        ):
            raise ValueError(
                f"invalid min-insync-replicas {self.min_insync_replicas}: "
                f"exceeds replication-factor {self.replication_factor}"
            )
