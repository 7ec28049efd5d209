# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The NBI workload: its Pebble layer, environment and health checks (no Juju in here).

How the NBI reads its environment (`osm_nbi/nbi.py`, `_start_service`): every
`OSMNBI_<SECTION>_<KEY>` is a string in its configuration, except the `port` and
`db_port` keys of the engine's sections, which go through `int()`. The one flag the charm
sets is `OSMNBI_SERVER_ENABLE_TEST=false`: `Server.test` refuses its /test URL when the
value is a string equal to `false` in any case (nbi.cfg would enable it). The empty
`OSMNBI_SERVER_SSL_*` values turn TLS off: CherryPy wraps its server in TLS only when
`ssl_certificate` is set and not empty (`cherrypy/_cpwsgi_server.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ops
from charms.osm_libs.v0.endpoint import Endpoint
from charms.osm_libs.v0.keystone import KeystoneCredentials
from charms.osm_libs.v0.osm_env import OsmBackends, osm_environment, osm_service
from charms.osm_libs.v0.pebble_service import ALIVE, READY, http_check, service_layer, tcp_check
from charms.osm_libs.v0.status import python_log_level
from literals import PORT, SERVICE

COMMAND = "python3 -m osm_nbi.nbi"
WORKING_DIR = "/app/osm_nbi"
STATIC_DIR = "/app/osm_nbi/html_public"
ENV_PREFIX = "OSMNBI"

READY_CHECK = "nbi-ready"
ALIVE_CHECK = "nbi-alive"
# Served without authentication and without touching the database.
VERSION_URL = f"http://localhost:{PORT}/osm/version"


@dataclass(frozen=True)
class NbiSettings:
    """Everything the NBI's environment is built from."""

    backends: OsmBackends = field(repr=False)
    log_level: str
    keystone: KeystoneCredentials | None = None
    prometheus: Endpoint | None = None


def _authentication(keystone: KeystoneCredentials | None) -> dict[str, str]:
    """The OSMNBI_AUTHENTICATION_* variables: Keystone when related, else internal."""
    if keystone is None:
        return {"OSMNBI_AUTHENTICATION_BACKEND": "internal"}
    return {
        "OSMNBI_AUTHENTICATION_BACKEND": "keystone",
        "OSMNBI_AUTHENTICATION_AUTH_URL": keystone.url,
        "OSMNBI_AUTHENTICATION_AUTH_PORT": str(keystone.port),
        "OSMNBI_AUTHENTICATION_USER_DOMAIN_NAME": keystone.user_domain_name,
        "OSMNBI_AUTHENTICATION_PROJECT_DOMAIN_NAME": keystone.project_domain_name,
        "OSMNBI_AUTHENTICATION_SERVICE_USERNAME": keystone.username,
        "OSMNBI_AUTHENTICATION_SERVICE_PASSWORD": keystone.password,
        "OSMNBI_AUTHENTICATION_SERVICE_PROJECT": keystone.project,
    }


def _prometheus(endpoint: Endpoint | None) -> dict[str, str]:
    """OSMNBI_PROMETHEUS_HOST/PORT of a related Prometheus; none keeps nbi.cfg's default.

    The NBI's PM jobs API queries `http://<host>:<port>` (osm_nbi/pmjobs_topics.py).
    """
    if endpoint is None:
        return {}
    return {"OSMNBI_PROMETHEUS_HOST": endpoint.host, "OSMNBI_PROMETHEUS_PORT": str(endpoint.port)}


def environment(settings: NbiSettings) -> dict[str, str]:
    """The environment the NBI image reads (OSMNBI_*), as upstream's sidecar charm sets it."""
    return {
        "OSMNBI_SERVER_ENABLE_TEST": "false",
        "OSMNBI_STATIC_DIR": STATIC_DIR,
        # Plain HTTP: TLS ends at the ingress.
        "OSMNBI_SERVER_SSL_MODULE": "",
        "OSMNBI_SERVER_SSL_CERTIFICATE": "",
        "OSMNBI_SERVER_SSL_PRIVATE_KEY": "",
        "OSMNBI_SERVER_SSL_PASS_PHRASE": "",
        **osm_environment(ENV_PREFIX, settings.backends),
        "OSMNBI_LOG_LEVEL": python_log_level(settings.log_level),
        **_authentication(settings.keystone),
        **_prometheus(settings.prometheus),
    }


def layer(settings: NbiSettings) -> ops.pebble.LayerDict:
    """The Pebble layer running the NBI, with its readiness and liveness checks."""
    definition = osm_service("OSM NBI REST API", COMMAND, WORKING_DIR, environment(settings))
    checks = {
        READY_CHECK: http_check(READY, VERSION_URL, period="10s", timeout="3s", threshold=3),
        ALIVE_CHECK: tcp_check(ALIVE, PORT, period="30s", timeout="5s", threshold=3),
    }
    return service_layer("OSM NBI", SERVICE, definition, checks)
