# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Stand-ins for the POL image: what its agent leaves for health checks (tests only).

From POL's sources, so that the tests (and a later offline simulator) check the charm's
checks against what POL does, not against the charm's own expectations:

- POL's agent is the console script `osm-policy-agent` (POL's setup.py); the image's
  start script ends by running it. `osm_charm_testing.console_script` starts one.
- `HEALTH_FLAG`: the agent removes a stale flag when it starts
  (`osm_policy_module/cmd/policy_module_agent.py`), touches it once its database is
  migrated and it starts reading Kafka, and removes it when its Kafka reader exits
  (`osm_policy_module/core/agent.py`, `PolicyModuleAgent.start`).
- `osm-pol-healthcheck` (`osm_policy_module/cmd/policy_module_healthcheck.py`) runs
  `ps aux`, which the image does not have (no procps): the charm must not use it.
- `Workload`, for the simulator (`distro-builder simulate` loads it from this file): after
  each hook it records, per unit, where POL keeps its SQL tables (`sql_uris`; POL reads
  its `OSMPOL_*` values as the strings they are, `osm_policy_module/core/config.py`).
"""

from __future__ import annotations

from collections.abc import Mapping

from osm_charm_testing import EnvironmentReader

AGENT = "osm-policy-agent"
HEALTH_FLAG = "/tmp/osm_pol_agent_health_flag"
IMAGE_HEALTHCHECK = "osm-pol-healthcheck"


class Workload(EnvironmentReader):
    """The POL workload as the simulator drives it: where POL keeps its tables, per unit."""

    container = "pol"
    service = "pol"

    def __init__(self) -> None:
        self.sql_uris: dict[int, str] = {}

    def read(self, unit: int, environment: Mapping[str, str]) -> None:
        """Record POL's SQL database URI after the unit's hook (it holds a password)."""
        self.sql_uris[unit] = environment.get("OSMPOL_SQL_DATABASE_URI", "")
