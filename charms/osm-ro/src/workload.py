# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The RO workload: its Pebble layer (service, environment, health checks)."""

from __future__ import annotations

from dataclasses import dataclass

import ops
from charms.osm_libs.v0.osm_env import OsmBackends, osm_environment, osm_service
from charms.osm_libs.v0.pebble_service import ALIVE, READY, http_check, service_layer, tcp_check
from charms.osm_libs.v0.status import python_log_level
from literals import (
    ALIVE_CHECK,
    COMMAND,
    ENV_PREFIX,
    PORT,
    READY_CHECK,
    SERVICE,
    WORKING_DIR,
)

# NG-RO serves its API under /ro; /ro/version answers 200 once the server is up.
READY_URL = f"http://localhost:{PORT}/ro/version"


@dataclass(frozen=True)
class RoSettings:
    """Everything the RO service needs, from config and relations."""

    backends: OsmBackends
    log_level: str
    period_refresh_active: int


def environment(settings: RoSettings) -> dict[str, str]:
    """The OSMRO_* environment the RO image reads."""
    return {
        f"{ENV_PREFIX}_LOG_LEVEL": python_log_level(settings.log_level),
        **osm_environment(ENV_PREFIX, settings.backends),
        f"{ENV_PREFIX}_PERIOD_REFRESH_ACTIVE": str(settings.period_refresh_active),
    }


def layer(settings: RoSettings) -> ops.pebble.LayerDict:
    """The Pebble layer: the RO service, its readiness (HTTP) and liveness (TCP) checks."""
    definition = osm_service("OSM NG-RO server", COMMAND, WORKING_DIR, environment(settings))
    checks = {
        READY_CHECK: http_check(READY, READY_URL, period="10s", timeout="5s", threshold=3),
        # Upstream waited 600 s before probing liveness: RO may migrate its database first.
        ALIVE_CHECK: tcp_check(ALIVE, PORT, period="60s", timeout="5s", threshold=10),
    }
    return service_layer("OSM RO", SERVICE, definition, checks)
