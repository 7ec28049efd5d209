# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names of the osm-ro charm: container, service, relations, ports and paths."""

from __future__ import annotations

CONTAINER = "ro"
SERVICE = "ro"
LAYER = "ro"
READY_CHECK = "ro-ready"
ALIVE_CHECK = "ro-alive"
PORT = 9090

RO_RELATION = "ro"

# Upstream RO asks for no extra MongoDB role (NBI and LCM ask for admin).
MONGODB_ROLES = ""

WORKING_DIR = "/app/osm_ro"
COMMAND = "python3 -u -m osm_ng_ro.ro_main"
ENV_PREFIX = "OSMRO"

CERTIFICATES_DIR = "/certs"
CERTIFICATE_MODE = 0o400

DEFAULT_PERIOD_REFRESH_ACTIVE = 60
