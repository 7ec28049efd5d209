# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed configuration of the osm-mongodb charm (mirrors `charmcraft.yaml`)."""

from __future__ import annotations

import dataclasses

import ops
from literals import DEFAULT_ROTATION, ROTATION_POLICIES

MIN_CACHE_SIZE_GB = 0.25
MAX_CACHE_SIZE_GB = 10000
MAX_LOG_VERBOSITY = 5


@dataclasses.dataclass(frozen=True, kw_only=True)
class CharmConfig:
    """The charm's options, validated."""

    cache_size_gb: float = 0
    log_verbosity: int = 0
    client_password_rotation: str = DEFAULT_ROTATION

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
        if self.client_password_rotation not in ROTATION_POLICIES:
            raise ValueError(
                f"invalid client-password-rotation {self.client_password_rotation!r}: "
                f"use one of {', '.join(ROTATION_POLICIES)}"
            )

    @property
    def rotation(self) -> ops.SecretRotate:
        """The rotation policy of the client users' secrets."""
        return ops.SecretRotate(self.client_password_rotation)
