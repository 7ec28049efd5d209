# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The MON workload: its Pebble layer, environment and health checks (no Juju in here)."""

from __future__ import annotations

from dataclasses import dataclass, field

import ops
from charms.osm_libs.v0.keystone import KeystoneCredentials
from charms.osm_libs.v0.osm_env import OsmBackends, osm_environment, osm_service
from charms.osm_libs.v0.pebble_service import ALIVE, READY, http_check, service_layer, tcp_check
from charms.osm_libs.v0.status import python_log_level
from charms.osm_libs.v0.vca import VcaSettings
from config import CharmConfig
from literals import COLLECTOR_PORT, SERVICE

# start.sh runs MON's server, evaluator, collector and dashboarder.
COMMAND = "/bin/bash start.sh"
WORKING_DIR = "/app/osm_mon"
ENV_PREFIX = "OSMMON"

READY_CHECK = "mon-ready"
ALIVE_CHECK = "mon-alive"
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


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _keystone(account: KeystoneCredentials | None) -> dict[str, str]:
    """The OSMMON_KEYSTONE_* variables: enabled with the service account, or disabled."""
    if account is None:
        return {"OSMMON_KEYSTONE_ENABLED": _flag(False)}
    return {
        "OSMMON_KEYSTONE_ENABLED": _flag(True),
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
        "OSMMON_COLLECTOR_VM_INFRA_METRICS": _flag(config.vm_infra_metrics),
        **osm_environment(ENV_PREFIX, settings.backends, storage=False),
        "OSMMON_PROMETHEUS_URL": settings.prometheus_url,
        "OSMMON_GRAFANA_URL": config.grafana_url,
        "OSMMON_GRAFANA_USER": config.grafana_user,
        **grafana_password,
        **_keystone(settings.keystone),
        **_vca(settings.vca),
    }


def layer(settings: MonSettings) -> ops.pebble.LayerDict:
    """The Pebble layer running MON, with checks on its collector's metrics endpoint."""
    definition = osm_service(
        "OSM MON server, evaluator, collector and dashboarder",
        COMMAND,
        WORKING_DIR,
        environment(settings),
    )
    checks = {
        READY_CHECK: http_check(READY, COLLECTOR_URL, period="10s", timeout="3s", threshold=3),
        # MON's collector starts once Kafka and MongoDB answer: give it minutes.
        ALIVE_CHECK: tcp_check(ALIVE, COLLECTOR_PORT, period="30s", timeout="5s", threshold=6),
    }
    return service_layer("OSM MON", SERVICE, definition, checks)
