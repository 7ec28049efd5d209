# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names used by the osm-mon charm: container, service, relations, port, messages."""

from __future__ import annotations

CONTAINER = "mon"
SERVICE = "mon"
LAYER = "mon"
# MON's collector exports its metrics for Prometheus here.
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
