# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names of the osm-lcm charm: container, service, relations, options and messages."""

from __future__ import annotations

CONTAINER = "lcm"
SERVICE = "lcm"
LAYER = "lcm"
READY_CHECK = "lcm-ready"
ALIVE_CHECK = "lcm-alive"

RO_RELATION = "ro"
VCA_RELATION = "vca"


WORKING_DIR = "/app/osm_lcm"
COMMAND = "python3 -m osm_lcm.lcm"
# Upstream's health check: exits 0 when LCM got its own Kafka ping in the last 240 s.
HEALTH_CHECK_COMMAND = "python3 -m osm_lcm.lcm_hc"
ENV_PREFIX = "OSMLCM"
RO_TENANT = "osm"

VCA_CONFLICT_MESSAGE = "vca relation and vca-host option are both set: use one"
