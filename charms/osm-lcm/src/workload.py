# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The LCM workload: its Pebble layer (service, environment, health checks) and CA bundle.

How LCM reads its environment (`osm_lcm/lcm.py`, `Lcm.read_config_file`): every
`OSMLCM_<SUBJECT>_<ITEM>` becomes a string in its configuration, but an item `port` (and
every `timeout` item) goes through `int()`. The charm hands it no boolean of its own; the
`OSMLCM_VCA_MODEL_CONFIG_*` values go on, through N2VC, to Juju's model config, which reads
`true`/`false` strings as booleans (`juju/schema`: `strconv.ParseBool`).

`helm-ca-certs`: LCM itself never reads `OSMLCM_VCA_HELM_CA_CERTS` (only the Release 18
image's start script did, which the charm does not run). The certificates are trusted the
way every TLS client in the container looks for its CA file: the charm writes the image's
own bundle plus them to `CA_BUNDLE`, and points `SSL_CERT_FILE` (helm, being Go:
`crypto/x509/root_unix.go` reads it instead of the system bundle; Python's `ssl`: OpenSSL's
default verify file) and `REQUESTS_CA_BUNDLE` (`requests`, else certifi's bundle) at it.
N2VC runs `helm` as a child of LCM, which inherits the environment. Each helm run reads
the file afresh, so a change of certificates needs no restart.
"""

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
    CA_BUNDLE,
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
    helm_ca_certs: str  # PEM certificates; "" for none
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
    }
    if settings.helm_ca_certs:
        variables.update(trust_environment())
    if settings.vca is not None:
        variables.update(vca_environment(settings.vca))
    return variables


def trust_environment() -> dict[str, str]:
    """The variables that make helm, Python's ssl and requests trust `CA_BUNDLE`."""
    return {"SSL_CERT_FILE": CA_BUNDLE, "REQUESTS_CA_BUNDLE": CA_BUNDLE}


def ca_bundle(system_bundle: str, certificates: str) -> str:
    """The image's own CA bundle followed by `certificates` (PEM), for `CA_BUNDLE`."""
    if system_bundle and not system_bundle.endswith("\n"):
        system_bundle += "\n"
    return system_bundle + certificates


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
