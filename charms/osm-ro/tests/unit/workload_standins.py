# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Stand-ins for the RO image: how NG-RO reads the charm's plan (tests only).

From NG-RO's sources, so that the tests (and a later offline simulator) check the plan
against what RO does with it:

- `ro_config`: RO's configuration from `OSMRO_<SECTION>_<KEY>` as `osm_ng_ro/ro_main.py`
  (`_start_service`) reads it: every value goes through `yaml.safe_load`, into the
  cherrypy globals (`server`, `test`, `auth`, `log`) or into the engine's `message`,
  `database`, `storage`, `authentication` and `period` sections; a value YAML cannot
  parse stops RO (`RoException: Cannot load env`). So `0123` arrives as the number 83,
  `yes` as True, `null` as None: a string must reach RO as a YAML string.
- `refresh_period`: what `osm_ng_ro/ns_thread.py` does with `period.refresh_active`
  (a number: `>= 60` is used, `-1` disables, anything else is the 60 s default).
- `Workload`, for the simulator (`distro-builder simulate` loads it from this file): after
  each hook it records, per unit, RO's configuration as it reads it (`configs`), or why
  RO would refuse to start (`refusals`).
"""

from __future__ import annotations

from collections.abc import Mapping

import yaml
from osm_charm_testing import EnvironmentReader

_GLOBAL_SECTIONS = ("server", "test", "auth", "log")
_ENGINE_SECTIONS = ("message", "database", "storage", "authentication", "period")
DEFAULT_REFRESH_ACTIVE = 60


def ro_config(environment: Mapping[str, str]) -> dict[str, dict[str, object]]:
    """RO's configuration from `environment` (ValueError where RO would refuse to start)."""
    config: dict[str, dict[str, object]] = {}
    for name, value in environment.items():
        if not name.startswith("OSMRO_"):
            continue
        section, _, key = name[6:].lower().partition("_")
        if not key or section not in (*_GLOBAL_SECTIONS, *_ENGINE_SECTIONS):
            continue
        try:
            loaded = yaml.safe_load(value)
        except yaml.YAMLError as error:
            raise ValueError(f"Cannot load env '{name}': {error}") from None
        config.setdefault(section, {})[key] = loaded
    return config


def refresh_period(config: Mapping[str, Mapping[str, object]]) -> int | None:
    """The seconds between two refreshes of active VMs; None when disabled."""
    value = config.get("period", {}).get("refresh_active")
    if isinstance(value, int) and not isinstance(value, bool):
        if value == -1:
            return None
        if value >= 60:
            return value
    return DEFAULT_REFRESH_ACTIVE


class Workload(EnvironmentReader):
    """The RO workload as the simulator drives it: what RO reads, per unit."""

    container = "ro"
    service = "ro"

    def __init__(self) -> None:
        self.configs: dict[int, dict[str, dict[str, object]]] = {}
        self.refusals: dict[int, str] = {}

    def read(self, unit: int, environment: Mapping[str, str]) -> None:
        """Record the configuration RO reads after the unit's hook, or why it would not start."""
        try:
            self.configs[unit] = ro_config(environment)
            self.refusals.pop(unit, None)
        except ValueError as error:
            self.refusals[unit] = str(error)
