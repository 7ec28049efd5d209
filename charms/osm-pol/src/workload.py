# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The POL workload: its environment and Pebble layer (no Juju here).

The layer's environment holds the MongoDB and SQL URIs with their credentials: it goes
into the Pebble plan and nowhere else. POL reads every `OSMPOL_*` variable as the string
it is (`osm_policy_module/core/config.py`, `Config._read_env`); the charm hands it only
strings POL uses as such (a log level name, URIs).

The checks do not use the image's `osm-pol-healthcheck`: it runs `ps aux`, and the POL
image has no procps, so it always fails and Pebble would restart POL forever. They test
what that command tests, without `ps`: the agent's health flag (ready) and the agent's
process (alive).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ops
from charms.osm_libs.v0.osm_env import OsmBackends, osm_environment, osm_service
from charms.osm_libs.v0.pebble_service import (
    ALIVE,
    READY,
    exec_check,
    process_check,
    service_layer,
)
from charms.osm_libs.v0.status import python_log_level
from literals import AGENT, ALIVE_CHECK, COMMAND, HEALTH_FLAG, READY_CHECK, SERVICE

ENV_PREFIX = "OSMPOL"
# `test` is coreutils' (Essential in every Debian or Ubuntu image).
FLAG_CHECK = f"test -f {HEALTH_FLAG}"


@dataclass(frozen=True)
class PolSettings:
    """Everything POL's environment is made of (POL keeps no database common key)."""

    log_level: str
    backends: OsmBackends
    sql_uri: str = field(repr=False)


def environment(settings: PolSettings) -> dict[str, str]:
    """The OSMPOL_* variables the POL image reads."""
    return {
        "OSMPOL_GLOBAL_LOGLEVEL": python_log_level(settings.log_level),
        **osm_environment(ENV_PREFIX, settings.backends, storage=False),
        "OSMPOL_SQL_DATABASE_URI": settings.sql_uri,
    }


def layer(settings: PolSettings) -> ops.pebble.LayerDict:
    """The Pebble layer: POL's agent, in the image's working directory, and its checks."""
    definition = osm_service("OSM policy module agent", COMMAND, None, environment(settings))
    checks = {
        READY_CHECK: exec_check(
            READY, FLAG_CHECK, SERVICE, period="10s", timeout="5s", threshold=3
        ),
        # start.sh waits up to 120 tries for MySQL before it starts the agent: 4 minutes.
        ALIVE_CHECK: process_check(ALIVE, AGENT, SERVICE, period="30s", timeout="5s", threshold=8),
    }
    return service_layer("OSM POL", SERVICE, definition, checks)
