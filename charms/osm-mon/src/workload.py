# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The MON workload: its Pebble layer, environment and health checks (no Juju in here).

MON is four processes (server, evaluator, collector, dashboarder). The images start them
with a start script whose place changed across releases (`/app/osm_mon/start.sh` in
Releases 12-14, `scripts/` later); this layer runs each process's console script as a
Pebble service of its own instead, so that Pebble restarts and reports each one.

How MON reads the environment (`osm_mon/core/config.py`, `Config._read_env`): every
`OSMMON_<SECTION>_<FIELD>` overrides `mon.yaml`'s value with the variable's string, never
converted. So numbers are fine (MON applies `int()` where it needs one), but a boolean is
only as good as the test MON applies to it: see `_keystone` and `_vm_infra_metrics`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ops
from charms.osm_libs.v0.keystone import KeystoneCredentials
from charms.osm_libs.v0.osm_env import OsmBackends, osm_environment, osm_service
from charms.osm_libs.v0.pebble_service import (
    ALIVE,
    READY,
    Service,
    http_check,
    process_check,
    services_layer,
    tcp_check,
)
from charms.osm_libs.v0.status import python_log_level
from charms.osm_libs.v0.vca import VcaSettings
from config import CharmConfig
from literals import ALIVE_CHECKS, COLLECTOR, COLLECTOR_PORT, COMMANDS, READY_CHECKS

ENV_PREFIX = "OSMMON"
COLLECTOR_URL = f"http://localhost:{COLLECTOR_PORT}/metrics"


@dataclass(frozen=True)
class MonSettings:
    """Everything MON's environment is built from.

    Attributes:
        config: the charm's validated options.
        backends: Kafka, MongoDB and the database common key.
        prometheus_url: the Prometheus MON queries, from the relation or `prometheus-url`.
        grafana_password: from the `grafana-password` secret; None leaves MON's default.
        keystone: the Keystone service account when a keystone relation exists.
        vca: the Juju controller account when a vca relation exists.
    """

    config: CharmConfig
    backends: OsmBackends = field(repr=False)
    prometheus_url: str
    grafana_password: str | None = field(default=None, repr=False)
    keystone: KeystoneCredentials | None = None
    vca: VcaSettings | None = None


def _vm_infra_metrics(enabled: bool) -> str:
    """OSMMON_COLLECTOR_VM_INFRA_METRICS for `enabled`.

    MON's collector (Release 12+, `osm_mon/collector/infra_collectors/base_osinfra.py`)
    counts a value that is set when its lower case is `yes`, `true` or `1`, and is on
    when the value is unset: `"false"` turns it off, leaving it out would not.
    """
    return "true" if enabled else "false"


def _keystone(account: KeystoneCredentials | None) -> dict[str, str]:
    """The OSMMON_KEYSTONE_* variables with the service account; none without one.

    MON decides with `bool(conf.get("keystone", "enabled"))`
    (`osm_mon/dashboarder/service.py`): any non-empty string, `"false"` included, turns
    Keystone on. Without an account the variable is left out, so mon.yaml's
    `enabled: false` applies.
    """
    if account is None:
        return {}
    return {
        "OSMMON_KEYSTONE_ENABLED": "true",
        "OSMMON_KEYSTONE_URL": account.url,
        "OSMMON_KEYSTONE_DOMAIN_NAME": account.user_domain_name,
        "OSMMON_KEYSTONE_SERVICE_PROJECT_DOMAIN_NAME": account.project_domain_name,
        "OSMMON_KEYSTONE_SERVICE_USER": account.username,
        "OSMMON_KEYSTONE_SERVICE_PASSWORD": account.password,
        "OSMMON_KEYSTONE_SERVICE_PROJECT": account.project,
    }


def _vca(account: VcaSettings | None) -> dict[str, str]:
    """The OSMMON_VCA_* variables, when a VCA is related."""
    if account is None:
        return {}
    return {
        "OSMMON_VCA_HOST": account.endpoints,
        "OSMMON_VCA_USER": account.user,
        "OSMMON_VCA_SECRET": account.secret,
        "OSMMON_VCA_CACERT": account.cacert,
    }


def environment(settings: MonSettings) -> dict[str, str]:
    """The environment the MON image reads (OSMMON_*), as upstream's sidecar charm sets it."""
    config = settings.config
    grafana_password = (
        {"OSMMON_GRAFANA_PASSWORD": settings.grafana_password} if settings.grafana_password else {}
    )
    return {
        "OSMMON_GLOBAL_LOGLEVEL": python_log_level(config.log_level),
        "OSMMON_OPENSTACK_DEFAULT_GRANULARITY": str(config.openstack_default_granularity),
        "OSMMON_GLOBAL_REQUEST_TIMEOUT": str(config.global_request_timeout),
        "OSMMON_COLLECTOR_INTERVAL": str(config.collector_interval),
        "OSMMON_EVALUATOR_INTERVAL": str(config.evaluator_interval),
        "OSMMON_COLLECTOR_VM_INFRA_METRICS": _vm_infra_metrics(config.vm_infra_metrics),
        **osm_environment(ENV_PREFIX, settings.backends, storage=False),
        "OSMMON_PROMETHEUS_URL": settings.prometheus_url,
        "OSMMON_GRAFANA_URL": config.grafana_url,
        "OSMMON_GRAFANA_USER": config.grafana_user,
        **grafana_password,
        **_keystone(settings.keystone),
        **_vca(settings.vca),
    }


def _process_checks(service: str) -> dict[str, ops.pebble.CheckDict]:
    """The checks of a MON daemon without a port: its console script's process runs.

    Found in /proc with sh and grep: the MON image has no procps, so `ps` (which
    upstream's `osm-mon-healthcheck` runs) is not there.
    """
    script = COMMANDS[service]
    return {
        READY_CHECKS[service]: process_check(
            READY, script, service, period="10s", timeout="5s", threshold=3
        ),
        ALIVE_CHECKS[service]: process_check(
            ALIVE, script, service, period="30s", timeout="5s", threshold=3
        ),
    }


def _collector_checks() -> dict[str, ops.pebble.CheckDict]:
    """The collector's checks: its metrics answer (ready), its port accepts (alive)."""
    return {
        READY_CHECKS[COLLECTOR]: http_check(
            READY, COLLECTOR_URL, period="10s", timeout="3s", threshold=3
        ),
        # The collector listens once Kafka and MongoDB answer: give it minutes.
        ALIVE_CHECKS[COLLECTOR]: tcp_check(
            ALIVE, COLLECTOR_PORT, period="30s", timeout="5s", threshold=6
        ),
    }


def layer(settings: MonSettings) -> ops.pebble.LayerDict:
    """The Pebble layer: one service per MON process, each with checks of its own."""
    env = environment(settings)
    services = {
        service: Service(
            # No working directory: the console scripts need none, and the images differ.
            osm_service(f"OSM MON {service.removeprefix('mon-')}", command, None, env),
            _collector_checks() if service == COLLECTOR else _process_checks(service),
        )
        for service, command in COMMANDS.items()
    }
    return services_layer("OSM MON", services)
