# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names used by the osm-nbi charm: container, service, relations, port."""

from __future__ import annotations

CONTAINER = "nbi"
SERVICE = "nbi"
LAYER = "nbi"
PORT = 9999

KEYSTONE_RELATION = "keystone"
PROMETHEUS_RELATION = "prometheus"
NGINX_ROUTE_RELATION = "nginx-route"
NBI_RELATION = "nbi"
