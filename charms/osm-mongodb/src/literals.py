# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names, paths and status messages of the osm-mongodb charm."""

from __future__ import annotations

CONTAINER = "mongodb"
SERVICE = "mongod"
LAYER = "mongodb"
READY_CHECK = "mongod-ready"
ALIVE_CHECK = "mongod-alive"

PORT = 27017
DATA_DIR = "/data/db"
KEYFILE = "/etc/mongod/keyfile"
WORKLOAD_USER = "mongodb"
WORKLOAD_GROUP = "mongodb"
# mongosh's HOME for every run the charm makes (checks and execs): not the image's
# HOME (`/data/db`, also the `mongodb` user's home) nor its other volume `/data/configdb`.
MONGOSH_HOME = "/var/lib/osm-mongodb/mongosh"

PEER_RELATION = "database-peers"
CLIENT_RELATION = "database"

ADMIN_USER = "admin"
# The application secret with the admin password and the replica set's internal key.
CREDENTIALS_LABEL = "mongodb-credentials"
PASSWORD_KEY = "password"  # a content key, not a password
KEYFILE_KEY = "keyfile"
# Peer application databag: where the credentials are, and whether the set is initiated.
CREDENTIALS_ID_FIELD = "credentials-secret"
INITIATED_FIELD = "replica-set-initiated"
# The client users last created, as a JSON list of names (no passwords).
USERS_FIELD = "client-users"
# Peer unit databag: this unit's mongod passes its readiness check.
READY_FIELD = "ready"
# Every user made for a client relation is named `relation-<id>[-<request id>]`.
CLIENT_USER_PREFIX = "relation-"

# The `rotate-client-credentials` action: its parameters and its result.
RELATION_ID_PARAM = "relation-id"
APPLICATION_PARAM = "application"
ROTATED_RESULT = "rotated"

WAITING_FOR_PEERS = "waiting for the peer relation"
WAITING_FOR_CREDENTIALS = "waiting for the leader to create the credentials"
WAITING_TO_JOIN = "waiting to join the replica set"
INITIATING = "initiating the replica set"
UPDATING_MEMBERS = "updating the replica set members"
CREATING_USERS = "creating the client users"
PRIMARY = "primary"
SECONDARY = "secondary"

# Action failures.
NOT_CONFIGURED = "mongod is not configured yet"
ROTATE_ON_THE_LEADER = "only the leader rotates client credentials: run it on {app}/leader"
NOTHING_TO_ROTATE = "no answered client relation"
NOT_ROTATED = "not rotated, their old passwords still work: {clients}"
