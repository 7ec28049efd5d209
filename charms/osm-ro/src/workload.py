# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The RO workload: its Pebble layer (service, environment, health checks).

How RO reads its environment (`osm_ng_ro/ro_main.py`, `_start_service`): every
`OSMRO_<SECTION>_<KEY>` value goes through `yaml.safe_load`. Numbers are meant as numbers
(`message.port`; `period.refresh_active`, compared with 60 and -1 in `ns_thread.py`), but
a string would be misread whenever it looks like YAML: a common key `0123` becomes 83
(while NBI, LCM and MON use the string, so RO could not decrypt what they encrypt),
`yes` True, and `a: b` a mapping. So every string goes as a YAML (JSON) double-quoted
scalar, which `safe_load` reads back as exactly that string.
"""

from __future__ import annotations

import json
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


def _yaml_string(value: str) -> str:
    """`value` as a YAML scalar that `yaml.safe_load` reads back as this very string."""
    return json.dumps(value, ensure_ascii=False)


def environment(settings: RoSettings) -> dict[str, str]:
    """The OSMRO_* environment the RO image reads: strings quoted for YAML, numbers bare."""
    strings = {
        f"{ENV_PREFIX}_LOG_LEVEL": python_log_level(settings.log_level),
        **osm_environment(ENV_PREFIX, settings.backends),
    }
    numbers = {
        f"{ENV_PREFIX}_MESSAGE_PORT": str(settings.backends.kafka_port),
        f"{ENV_PREFIX}_PERIOD_REFRESH_ACTIVE": str(settings.period_refresh_active),
    }
    return {
        **{name: _yaml_string(value) for name, value in strings.items() if name not in numbers},
        **numbers,
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
