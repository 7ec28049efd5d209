# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The LCM workload: its Pebble layer (service, environment, health checks)."""

from __future__ import annotations

from dataclasses import dataclass

import ops
from charms.osm_libs.v0.endpoint import Endpoint
from charms.osm_libs.v0.osm_env import OsmBackends, osm_environment, osm_service
from charms.osm_libs.v0.pebble_service import ALIVE, READY, exec_check, service_layer
from charms.osm_libs.v0.status import python_log_level
from charms.osm_libs.v0.vca import VcaSettings
from literals import (
    ALIVE_CHECK,
    COMMAND,
    ENV_PREFIX,
    HEALTH_CHECK_COMMAND,
    READY_CHECK,
    RO_TENANT,
    SERVICE,
    WORKING_DIR,
)


@dataclass(frozen=True)
class LcmSettings:
    """Everything the LCM service needs, from config and relations."""

    backends: OsmBackends
    log_level: str
    ro: Endpoint
    helm_stable_repo_url: str
    helm_ca_certs: str
    vca: VcaSettings | None = None


def vca_environment(settings: VcaSettings) -> dict[str, str]:
    """The OSMLCM_VCA_* variables N2VC reads; optional ones only when set."""
    vca = f"{ENV_PREFIX}_VCA"
    variables = {
        f"{vca}_ENDPOINTS": settings.endpoints,
        f"{vca}_USER": settings.user,
        f"{vca}_SECRET": settings.secret,
        f"{vca}_PUBKEY": settings.public_key,
        f"{vca}_CACERT": settings.cacert,
    }
    optional = {
        f"{vca}_CLOUD": settings.lxd_cloud,
        f"{vca}_K8S_CLOUD": settings.k8s_cloud,
        f"{vca}_API_PROXY": settings.api_proxy,
    }
    variables.update({name: value for name, value in optional.items() if value})
    for key, value in settings.model_configs.items():
        variables[f"{vca}_MODEL_CONFIG_{key.upper().replace('-', '_')}"] = value
    return variables


def environment(settings: LcmSettings) -> dict[str, str]:
    """The OSMLCM_* environment the LCM image reads."""
    variables = {
        f"{ENV_PREFIX}_GLOBAL_LOGLEVEL": python_log_level(settings.log_level),
        **osm_environment(ENV_PREFIX, settings.backends),
        f"{ENV_PREFIX}_RO_HOST": settings.ro.host,
        f"{ENV_PREFIX}_RO_PORT": str(settings.ro.port),
        f"{ENV_PREFIX}_RO_TENANT": RO_TENANT,
        f"{ENV_PREFIX}_VCA_STABLEREPOURL": settings.helm_stable_repo_url,
        f"{ENV_PREFIX}_VCA_HELM_CA_CERTS": settings.helm_ca_certs,
    }
    if settings.vca is not None:
        variables.update(vca_environment(settings.vca))
    return variables


def _health_check(level: str, period: str, threshold: int) -> ops.pebble.CheckDict:
    """An exec check running upstream's health check in the service's context."""
    # lcm_hc retries once after 6 s before it fails.
    return exec_check(
        level, HEALTH_CHECK_COMMAND, SERVICE, period=period, timeout="15s", threshold=threshold
    )


def layer(settings: LcmSettings) -> ops.pebble.LayerDict:
    """The Pebble layer: the LCM service and its exec health checks (LCM has no port)."""
    definition = osm_service("OSM LCM", COMMAND, WORKING_DIR, environment(settings))
    checks = {
        READY_CHECK: _health_check(READY, period="30s", threshold=3),
        ALIVE_CHECK: _health_check(ALIVE, period="60s", threshold=5),
    }
    return service_layer("OSM LCM", SERVICE, definition, checks)
