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

HELM_CA_CERTS_OPTION = "helm-ca-certs"
# The image's own CA bundle (Ubuntu's ca-certificates), and the bundle the charm writes:
# it plus the `helm-ca-certs` certificates, for helm, Python's ssl and requests.
SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
CA_BUNDLE = "/etc/ssl/osm-lcm/ca-certificates.crt"
CA_BUNDLE_MODE = 0o644

VCA_CONFLICT_MESSAGE = "vca relation and vca-host option are both set: use one"
