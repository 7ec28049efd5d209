# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names used by the osm-mon charm: container, service, relations, port, messages."""

from __future__ import annotations

CONTAINER = "mon"
LAYER = "mon"
# One Pebble service per MON process, each running the console script of osm_mon's
# setup.py (`osm-mon-server = osm_mon.cmd.mon_server:main`, ...), which every MON image
# has on its PATH (/usr/bin), whatever the image's start script and where it lives.
SERVER = "mon-server"
EVALUATOR = "mon-evaluator"
COLLECTOR = "mon-collector"
DASHBOARDER = "mon-dashboarder"
COMMANDS = {
    SERVER: "osm-mon-server",
    EVALUATOR: "osm-mon-evaluator",
    COLLECTOR: "osm-mon-collector",
    DASHBOARDER: "osm-mon-dashboarder",
}
SERVICES = tuple(COMMANDS)
# Each service's readiness and liveness check.
READY_CHECKS = {service: f"{service}-ready" for service in SERVICES}
ALIVE_CHECKS = {service: f"{service}-alive" for service in SERVICES}
# MON's collector exports its metrics for Prometheus here (osm_mon/collector/backends/
# prometheus.py: `start_http_server(8000)`); no other MON process listens on a port.
COLLECTOR_PORT = 8000

PROMETHEUS_RELATION = "prometheus"
KEYSTONE_RELATION = "keystone"
VCA_RELATION = "vca"
METRICS_ENDPOINT_RELATION = "metrics-endpoint"


PROMETHEUS_URL_OPTION = "prometheus-url"
GRAFANA_PASSWORD_OPTION = "grafana-password"
GRAFANA_PASSWORD_CONTENT_KEY = "password"

PROMETHEUS_CONFLICT = (
    f"{PROMETHEUS_URL_OPTION} is set and a {PROMETHEUS_RELATION} relation exists: use one"
)
