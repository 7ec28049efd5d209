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

WORKING_DIR = "/app/osm_pol"
HEALTHCHECK_COMMAND = "osm-pol-healthcheck"
READY_CHECK = "pol-ready"
ALIVE_CHECK = "pol-alive"

MYSQL_CONFLICT = "mysql-uri and the mysql relation are both set: use one of them"
WAITING_FOR_STORAGE = "waiting for database storage"
