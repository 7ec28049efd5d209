# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed, validated configuration of the osm-ng-ui charm (mirrors charmcraft.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field

from branding import Branding, check_product_name
from charms.osm_libs.v0.status import normalise_log_level
from colours import normalise_colour
from logo import decode_logo


@dataclass(frozen=True)
class CharmConfig:
    """The charm's options; construction raises ValueError naming a bad option."""

    log_level: str = "INFO"
    max_body_size: int = 50
    branding_product_name: str = "Open Source MANO"
    branding_logo: str = ""
    branding_primary_color: str = ""
    branding: Branding = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "log_level", normalise_log_level(self.log_level))
        if self.max_body_size < 0:
            raise ValueError(
                f"invalid max-body-size {self.max_body_size}: use megabytes, 0 for no limit"
            )
        colour = self.branding_primary_color
        branding = Branding(
            product_name=check_product_name(self.branding_product_name),
            primary_colour=normalise_colour(colour) if colour.strip() else None,
            logo=decode_logo(self.branding_logo),
        )
        object.__setattr__(self, "branding", branding)
