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
"""

from __future__ import annotations

AGENT = "osm-policy-agent"
HEALTH_FLAG = "/tmp/osm_pol_agent_health_flag"
IMAGE_HEALTHCHECK = "osm-pol-healthcheck"
