# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The mongod workload: its Pebble layer, member addresses and client URIs (no Juju here)."""

from __future__ import annotations

import base64
import secrets
from urllib.parse import quote

import ops
from charms.osm_libs.v0 import pebble_service
from charms.osm_libs.v0.pebble_service import ALIVE, READY, exec_check, service_layer, tcp_check
from config import CharmConfig
from literals import (
    ALIVE_CHECK,
    DATA_DIR,
    KEYFILE,
    MONGOSH_HOME,
    PORT,
    READY_CHECK,
    SERVICE,
    WORKLOAD_GROUP,
    WORKLOAD_USER,
)

# Every error a Pebble call can raise, exec included.
PEBBLE_ERRORS = (*pebble_service.PEBBLE_ERRORS, ops.pebble.ExecError, ops.pebble.TimeoutError)
PASSWORD_LENGTH = 32
KEYFILE_BYTES = 756  # base64 of it is 1008 characters; mongod accepts 6 to 1024
# `ping` needs no authentication: a mongod that answers it is alive.
PING_COMMAND = "mongosh --quiet --norc --eval 'db.adminCommand({ping: 1}).ok'"

# Where mongosh writes, and how the charm keeps that out of the data directory.
# - The image sets `ENV HOME /data/db` and makes /data/db the `mongodb` user's home
#   (docker-library/mongo, 7.0/Dockerfile); Pebble's execs and exec checks inherit its
#   environment, and an `environment` given to them wins (canonical/pebble:
#   internals/overlord/cmdstate/request.go, checkstate/checkers.go).
# - mongosh keeps its config and logs in `path.join(os.homedir(), '.mongodb', 'mongosh')`
#   (mongodb-js/mongosh: packages/cli-repl/src/config-directory.ts, getStoragePaths), and
#   Node's os.homedir() is $HOME. Without more, each run leaves a `<id>_log` file there.
# - `disableLogging` (mongosh 2.4.0, MONGOSH-1988; packages/types/src/index.ts) is read
#   from the per-user `config` file in that directory, which mongosh reads and does not
#   rewrite when it exists (ConfigManager.generateOrReadConfig); there is no command-line
#   option for it. With it no log file is opened (CliRepl.setLoggingEnabled).
# - `--quiet` skips the update check (CliRepl.fetchMongoshUpdateUrl) and `--eval` never
#   enters the REPL, so no history file; `--norc` reads no ~/.mongoshrc.js. What remains
#   is one analytics-metadata file of fixed name (`am-<hash>.json`, seen with 2.12.0).
# So every run gets HOME=MONGOSH_HOME, which the charm creates with that config file: an
# older mongosh, which ignores `disableLogging`, logs there, never in /data/db.
MONGOSH_ENVIRONMENT = {"HOME": MONGOSH_HOME}
MONGOSH_CONFIG_PATH = f"{MONGOSH_HOME}/.mongodb/mongosh/config"
MONGOSH_CONFIG = '{"disableLogging": true}'


def generate_password() -> str:
    """A random alphanumeric password (safe in a URI without quoting)."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH))


def generate_keyfile() -> str:
    """The content of a replica set keyfile: base64, shared by every member."""
    return base64.b64encode(secrets.token_bytes(KEYFILE_BYTES)).decode()


def member_host(unit_name: str, app_name: str) -> str:
    """A unit's address in the replica set: its pod behind Juju's headless service.

    `mongodb/1` of application `mongodb` is `mongodb-1.mongodb-endpoints:27017`, which
    resolves from any pod of the model's namespace.
    """
    return f"{unit_name.replace('/', '-')}.{app_name}-endpoints:{PORT}"


def client_uri(
    username: str, password: str, hosts: list[str], database: str, replica_set: str
) -> str:
    """The connection URI a client uses: every member, its database, authSource admin."""
    credentials = f"{quote(username, safe='')}:{quote(password, safe='')}"
    return (
        f"mongodb://{credentials}@{','.join(hosts)}/{database}"
        f"?replicaSet={replica_set}&authSource=admin"
    )


def mongod_command(config: CharmConfig, replica_set: str) -> str:
    """Mongod's command line: every interface, auth on, one replica set, the keyfile."""
    arguments = [
        "mongod",
        "--bind_ip_all",
        f"--port={PORT}",
        f"--dbpath={DATA_DIR}",
        f"--replSet={replica_set}",
        f"--keyFile={KEYFILE}",
        "--auth",
    ]
    if config.cache_size_gb:
        arguments.append(f"--wiredTigerCacheSizeGB={config.cache_size_gb:g}")
    if config.log_verbosity:
        arguments.append("-" + "v" * config.log_verbosity)
    return " ".join(arguments)


def layer(config: CharmConfig, replica_set: str) -> ops.pebble.LayerDict:
    """The Pebble layer: mongod as the `mongodb` user, with readiness and liveness checks.

    The liveness check pings mongod with mongosh in the service's context (its user),
    with mongosh's HOME outside the data directory.
    """
    definition: ops.pebble.ServiceDict = {
        "summary": "MongoDB database server",
        "command": mongod_command(config, replica_set),
        "user": WORKLOAD_USER,
        "group": WORKLOAD_GROUP,
    }
    alive = exec_check(ALIVE, PING_COMMAND, SERVICE, period="30s", timeout="10s", threshold=3)
    alive["exec"] = {
        "command": PING_COMMAND,
        "service-context": SERVICE,
        "environment": dict(MONGOSH_ENVIRONMENT),  # wins over the service's
    }
    checks = {READY_CHECK: tcp_check(READY, PORT, period="10s", threshold=3), ALIVE_CHECK: alive}
    return service_layer("MongoDB", SERVICE, definition, checks)
