# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names, paths and status messages of the osm-pol charm."""

CONTAINER = "pol"
SERVICE = "pol"
LAYER = "pol"

MYSQL_RELATION = "mysql"
MYSQL_URI_OPTION = "mysql-uri"
MYSQL_URI_CONTENT_KEY = "uri"

STORAGE = "database"
# Where the `database` storage is mounted in the pol container (charmcraft.yaml).
STORAGE_MOUNT = "/app/database"
# POL runs as appuser; the storage root belongs to root, so POL gets a directory of its own.
SQLITE_DIR = f"{STORAGE_MOUNT}/pol"
SQLITE_FILE = f"{SQLITE_DIR}/policy_module.db"
# The database POL uses on a related MySQL server (upstream's choice).
MYSQL_DATABASE = "pol"

# upstream's command, relative to the image's own working directory: R10 images keep the
# script in /scripts and set no WORKDIR, later ones a WORKDIR holding scripts/. So the
# service sets no working directory of its own.
COMMAND = "/bin/bash scripts/start.sh"
# POL's agent (setup.py console_scripts: osm-policy-agent); start.sh ends by running it.
AGENT = "osm-policy-agent"
# The agent touches this file once its database is migrated and it reads Kafka, and
# removes it when it starts and when its Kafka reader exits (osm_policy_module/core/
# agent.py PolicyModuleAgent.start, cmd/policy_module_agent.py main).
HEALTH_FLAG = "/tmp/osm_pol_agent_health_flag"
READY_CHECK = "pol-ready"
ALIVE_CHECK = "pol-alive"

MYSQL_CONFLICT = "mysql-uri and the mysql relation are both set: use one of them"
WAITING_FOR_STORAGE = "waiting for database storage"
