# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The POL workload: its environment and Pebble layer (no Juju here).

The layer's environment holds the MongoDB and SQL URIs with their credentials: it goes
into the Pebble plan and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ops
from charms.osm_libs.v0.osm_env import OsmBackends, osm_environment, osm_service
from charms.osm_libs.v0.pebble_service import ALIVE, READY, exec_check, service_layer
from charms.osm_libs.v0.status import python_log_level
from literals import (
    ALIVE_CHECK,
    HEALTHCHECK_COMMAND,
    READY_CHECK,
    SERVICE,
    WORKING_DIR,
)

COMMAND = "/bin/bash scripts/start.sh"
ENV_PREFIX = "OSMPOL"


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
    """The Pebble layer: POL's agent, checked by the image's own healthcheck command."""
    definition = osm_service(
        "OSM policy module agent", COMMAND, WORKING_DIR, environment(settings)
    )
    checks = {
        READY_CHECK: exec_check(
            READY, HEALTHCHECK_COMMAND, SERVICE, period="10s", timeout="5s", threshold=3
        ),
        ALIVE_CHECK: exec_check(
            ALIVE, HEALTHCHECK_COMMAND, SERVICE, period="30s", timeout="5s", threshold=5
        ),
    }
    return service_layer("OSM POL", SERVICE, definition, checks)
