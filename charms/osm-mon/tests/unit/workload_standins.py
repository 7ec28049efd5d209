# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Stand-ins for the MON image: how MON reads what the charm gives it, how its processes run.

Tests only. They model, from MON's own sources, what the image does with the charm's
Pebble plan, so that the tests (and a later offline simulator) check the plan against
MON's behaviour rather than against the charm's own expectations:

- `mon_config` is MON's configuration as `osm_mon/core/config.py` builds it: `mon.yaml`,
  then every `OSMMON_<SECTION>_<FIELD>` variable stored as the string it is (`_read_env`:
  `self.conf[section][field] = value`, no conversion).
- `keystone_enabled` decides as MON's dashboarder does
  (`osm_mon/dashboarder/service.py`: `if bool(self.conf.get("keystone", "enabled"))`).
- `vm_infra_metrics_enabled` decides as MON's collector does from Release 12
  (`osm_mon/collector/infra_collectors/base_osinfra.py`: a value that is set counts when
  its lower case is `yes`, `true` or `1`; unset, the metrics are on). That source was not
  among the public copies this was checked against: this pins the assumption.
- `PROCESSES`: the console script each service runs; `osm_charm_testing.console_script`
  starts one as the image does, so that the exec checks run for real against `/proc`.
- `Workload`, for the simulator (`distro-builder simulate` loads it from this file): after
  each hook it records, per unit, MON's configuration as its processes read it
  (`configs`), and whether they use Keystone.
"""

from __future__ import annotations

from collections.abc import Mapping

from osm_charm_testing import EnvironmentReader

# MON's processes by service: the console scripts of osm_mon's setup.py.
PROCESSES = {
    "mon-server": "osm-mon-server",
    "mon-evaluator": "osm-mon-evaluator",
    "mon-collector": "osm-mon-collector",
    "mon-dashboarder": "osm-mon-dashboarder",
}

# What MON's mon.yaml sets for the keys the charm may leave out.
MON_YAML = {"keystone": {"enabled": False}, "collector": {}}


def mon_config(environment: Mapping[str, str]) -> dict[str, dict[str, object]]:
    """MON's configuration: mon.yaml's, overridden by every OSMMON_* variable as a string."""
    config: dict[str, dict[str, object]] = {
        section: dict(fields) for section, fields in MON_YAML.items()
    }
    for name, value in environment.items():
        if not name.startswith("OSMMON_"):
            continue
        elements = name.lower().split("_")
        if len(elements) < 3:
            continue
        config.setdefault(elements[1], {})["_".join(elements[2:])] = value
    return config


def keystone_enabled(environment: Mapping[str, str]) -> bool:
    """Whether MON's dashboarder logs in to Keystone with this environment."""
    return bool(mon_config(environment)["keystone"].get("enabled"))


def vm_infra_metrics_enabled(environment: Mapping[str, str]) -> bool:
    """Whether MON's collector reports the state of every VM with this environment."""
    value = mon_config(environment)["collector"].get("vm_infra_metrics")
    if not value:
        return True
    return str(value).lower() in ("yes", "true", "1")


class Workload(EnvironmentReader):
    """The MON workload as the simulator drives it: what its processes read, per unit."""

    container = "mon"
    service = "mon-server"

    def __init__(self) -> None:
        self.configs: dict[int, dict[str, dict[str, object]]] = {}
        self.keystone: dict[int, bool] = {}

    def read(self, unit: int, environment: Mapping[str, str]) -> None:
        """Record the configuration MON's processes read after the unit's hook."""
        self.configs[unit] = mon_config(environment)
        self.keystone[unit] = keystone_enabled(environment)
