# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kafka in KRaft mode, without Juju: settings, rendered files, storage and the Pebble layer.

Every unit runs one combined broker and controller (`process.roles=broker,controller`).
The inputs are plain values (this node, every node of the quorum, the cluster id,
the replication settings and the charm config, what the node's `meta.properties` say);
the outputs are file contents, commands and an `ops.pebble.LayerDict`.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import re
import shlex
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ops
from charms.osm_libs.v0.pebble_service import ALIVE, READY, service_layer, tcp_check
from config import AUTO, CharmConfig
from literals import (
    ALIVE_CHECK,
    CLIENT_LISTENER,
    CLIENT_PORT,
    CONTROLLER_LISTENER,
    CONTROLLER_PORT,
    DATA_DIR,
    KAFKA_HOME,
    LEGACY_DATA_DIR,
    LOG4J_PROPERTIES,
    META_PROPERTIES,
    READY_CHECK,
    SERVER_PROPERTIES,
    SERVICE,
    WORKLOAD_GROUP,
    WORKLOAD_USER,
)

# Kafka's own cluster id format: a random UUID, URL-safe base64 without padding.
CLUSTER_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")
# The service environment carries a digest of the rendered files, so that a change
# of any file changes the layer and `replan()` restarts Kafka to read it.
CONFIG_DIGEST_ENV = "OSM_KAFKA_CONFIG_DIGEST"
# Most replicas the automatic replication factor asks for.
AUTO_REPLICATION_CAP = 3


@dataclass(frozen=True)
class Node:
    """One Kafka node (a unit): its node id and the host name its peers reach it by."""

    node_id: int
    host: str

    @property
    def voter(self) -> str:
        """This node in `controller.quorum.voters` form: `id@host:port`."""
        return f"{self.node_id}@{self.host}:{CONTROLLER_PORT}"

    @property
    def client_address(self) -> str:
        """Where clients reach this node's broker: `host:port`."""
        return f"{self.host}:{CLIENT_PORT}"


@dataclass(frozen=True)
class MetaProperties:
    """What a formatted log directory's `meta.properties` says it belongs to."""

    cluster_id: str | None
    node_id: int | None

    def belongs_to(self, cluster_id: str, node_id: int) -> bool:
        """Whether this is the data of node `node_id` of cluster `cluster_id`."""
        return self.cluster_id == cluster_id and self.node_id == node_id

    def describe(self) -> str:
        """For a status message: `node 1 of cluster <id>`."""
        if self.cluster_id is None or self.node_id is None:
            return f"an unreadable {META_PROPERTIES}"
        return f"node {self.node_id} of cluster {self.cluster_id}"


class DataState(enum.Enum):
    """What the node's storage holds, and so what the charm may do with it."""

    FORMATTED = "formatted"  # this node's data: run Kafka on it
    LEGACY = "legacy"  # this node's data, still in LEGACY_DATA_DIR: copied on start
    NEW = "new"  # never formatted, as far as the cluster knows: format it
    LOST = "lost"  # formatted before, now empty: never format it silently
    FOREIGN = "foreign"  # another node's or cluster's data: leave it alone


@dataclass(frozen=True)
class Replication:
    """Replication of new topics and of Kafka's internal topics."""

    factor: int
    min_insync: int


@dataclass(frozen=True)
class BrokerSettings:
    """Everything one node's configuration is rendered from."""

    cluster_id: str
    node: Node
    quorum: tuple[Node, ...]
    replication: Replication
    config: CharmConfig


def data_state(
    found: MetaProperties | None,
    legacy: MetaProperties | None,
    formatted_before: bool,
    cluster_id: str,
    node_id: int,
) -> DataState:
    """The node's storage state.

    Args:
        found: the `meta.properties` of DATA_DIR, None when there is none.
        legacy: the `meta.properties` of LEGACY_DATA_DIR, None when there is none.
        formatted_before: whether the peer data says this node was formatted.
        cluster_id: the cluster's id.
        node_id: this node's id.
    """
    if found is not None:
        return DataState.FORMATTED if found.belongs_to(cluster_id, node_id) else DataState.FOREIGN
    if formatted_before:
        return DataState.LOST
    if legacy is not None and legacy.belongs_to(cluster_id, node_id):
        return DataState.LEGACY
    return DataState.NEW


def parse_meta_properties(text: str) -> MetaProperties:
    """The cluster and node ids in a `meta.properties` (None where missing or malformed)."""
    pairs = (
        line.split("=", 1)
        for line in (raw.strip() for raw in text.splitlines())
        if line and not line.startswith(("#", "!")) and "=" in line
    )
    properties = {key.strip(): value.strip() for key, value in pairs}
    node_id = properties.get("node.id", "")
    cluster_id = properties.get("cluster.id", "")
    return MetaProperties(
        cluster_id=cluster_id or None,
        node_id=int(node_id) if node_id.isdigit() else None,
    )


def generate_cluster_id() -> str:
    """A new KRaft cluster id, in the format of `kafka-storage.sh random-uuid`."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def is_cluster_id(value: str) -> bool:
    """Whether `value` is a well-formed KRaft cluster id."""
    return CLUSTER_ID_PATTERN.fullmatch(value) is not None


def replication(brokers: int, config: CharmConfig) -> Replication:
    """The replication for `brokers` brokers: configured, or following the unit count.

    Raises:
        ValueError: the configured values do not fit the cluster; the message names
            the option.
    """
    factor = config.replication_factor
    if factor == AUTO:
        factor = min(brokers, AUTO_REPLICATION_CAP)
    elif factor > brokers:
        raise ValueError(
            f"invalid replication-factor {factor}: exceeds the number of units ({brokers})"
        )
    min_insync = config.min_insync_replicas
    if min_insync == AUTO:
        min_insync = max(1, factor - 1)
    elif min_insync > factor:
        raise ValueError(
            f"invalid min-insync-replicas {min_insync}: exceeds the replication factor ({factor})"
        )
    return Replication(factor=factor, min_insync=min_insync)


def bootstrap_servers(service: str, nodes: Sequence[Node]) -> str:
    """The client bootstrap list: the application's service first, then every broker.

    The service (`<app>:9092`, Kubernetes' ClusterIP service that Juju creates for the
    application) reaches any broker whose readiness check passes, so a client that uses
    only the first address (as OSM's modules do) connects while any broker is up; a
    client that uses the whole list has every broker's own address as well.
    """
    brokers = [node.client_address for node in sorted(nodes, key=lambda n: n.node_id)]
    return ",".join([f"{service}:{CLIENT_PORT}", *brokers])


def server_properties(settings: BrokerSettings) -> str:
    """The node's `server.properties`."""
    config = settings.config
    voters = sorted(settings.quorum, key=lambda n: n.node_id)
    properties = {
        "process.roles": "broker,controller",
        "node.id": str(settings.node.node_id),
        "controller.quorum.voters": ",".join(node.voter for node in voters),
        "listeners": f"{CLIENT_LISTENER}://:{CLIENT_PORT},{CONTROLLER_LISTENER}://:{CONTROLLER_PORT}",
        "advertised.listeners": f"{CLIENT_LISTENER}://{settings.node.client_address}",
        "listener.security.protocol.map": (
            f"{CLIENT_LISTENER}:PLAINTEXT,{CONTROLLER_LISTENER}:PLAINTEXT"
        ),
        "inter.broker.listener.name": CLIENT_LISTENER,
        "controller.listener.names": CONTROLLER_LISTENER,
        "log.dirs": DATA_DIR,
        "metadata.log.dir": DATA_DIR,
        "num.partitions": str(config.num_partitions),
        "auto.create.topics.enable": str(config.auto_create_topics).lower(),
        "default.replication.factor": str(settings.replication.factor),
        "min.insync.replicas": str(settings.replication.min_insync),
        "offsets.topic.replication.factor": str(settings.replication.factor),
        "transaction.state.log.replication.factor": str(settings.replication.factor),
        "transaction.state.log.min.isr": str(settings.replication.min_insync),
        "log.retention.hours": str(config.retention_hours),
    }
    if config.retention_ms != 0:
        properties["log.retention.ms"] = str(config.retention_ms)
    return _render(properties)


def log4j_properties(level: str) -> str:
    """Kafka's log4j configuration: everything to standard output at `level`."""
    return _render(
        {
            "log4j.rootLogger": f"{level}, stdout",
            "log4j.appender.stdout": "org.apache.log4j.ConsoleAppender",
            "log4j.appender.stdout.layout": "org.apache.log4j.PatternLayout",
            "log4j.appender.stdout.layout.ConversionPattern": "[%d] %p %m (%c)%n",
        }
    )


def config_files(settings: BrokerSettings) -> dict[str, str]:
    """The files the node reads, by path in the container."""
    return {
        SERVER_PROPERTIES: server_properties(settings),
        LOG4J_PROPERTIES: log4j_properties(settings.config.log_level),
    }


def format_command(cluster_id: str) -> list[str]:
    """The command that formats the node's storage for `cluster_id` (once, by the charm)."""
    return [
        f"{KAFKA_HOME}/bin/kafka-storage.sh",
        "format",
        "--ignore-formatted",
        "--cluster-id",
        cluster_id,
        "--config",
        SERVER_PROPERTIES,
    ]


def start_script(
    data_dir: str = DATA_DIR, legacy_dir: str = LEGACY_DATA_DIR, kafka_home: str = KAFKA_HOME
) -> str:
    """The service's shell script: bring an earlier revision's data over, then run Kafka.

    Revisions before this one kept the data in `legacy_dir`, an image volume. When
    `data_dir` has no `meta.properties` and `legacy_dir` has one, the legacy content is
    copied over, `meta.properties` last, so that an interrupted copy is started again.
    The script never formats: a node without data fails to start instead.
    """
    data, legacy = shlex.quote(data_dir), shlex.quote(legacy_dir)
    meta = META_PROPERTIES
    start = shlex.join([f"{kafka_home}/bin/kafka-server-start.sh", SERVER_PROPERTIES])
    return "; ".join(
        [
            "set -e",
            f"if [ ! -e {data}/{meta} ] && [ -e {legacy}/{meta} ]",
            f"then echo 'copying the data of an earlier revision from {legacy_dir}'",
            f"find {legacy} -mindepth 1 -maxdepth 1 ! -name {meta} -exec cp -a {{}} {data}/ ';'",
            f"cp -a {legacy}/{meta} {data}/",
            "fi",
            f"exec {start}",
        ]
    )


def pebble_layer(files: Mapping[str, str]) -> ops.pebble.LayerDict:
    """The Pebble layer: Kafka and its checks.

    `files` are the rendered config files: their digest is part of the service's
    environment, so that a new configuration restarts the service on `replan()`.
    """
    definition: ops.pebble.ServiceDict = {
        "summary": "Kafka broker and controller",
        "command": shlex.join(["/bin/bash", "-c", start_script()]),
        "user": WORKLOAD_USER,
        "group": WORKLOAD_GROUP,
        "working-dir": KAFKA_HOME,
        "environment": {
            "KAFKA_LOG4J_OPTS": f"-Dlog4j.configuration=file:{LOG4J_PROPERTIES}",
            CONFIG_DIGEST_ENV: _digest(files),
        },
    }
    checks = {
        READY_CHECK: tcp_check(READY, CLIENT_PORT, period="10s", threshold=3),
        ALIVE_CHECK: tcp_check(ALIVE, CONTROLLER_PORT, period="30s", threshold=5),
    }
    return service_layer("Apache Kafka in KRaft mode", SERVICE, definition, checks)


def _render(properties: Mapping[str, str]) -> str:
    """A Java properties file, with a header saying who wrote it."""
    lines = ["# Rendered by the osm-kafka charm: local changes are overwritten."]
    lines += [f"{key}={value}" for key, value in properties.items()]
    return "\n".join(lines) + "\n"


def _digest(files: Mapping[str, str]) -> str:
    """SHA-256 over the paths and contents of `files`, in path order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode())
        digest.update(b"\0")
        digest.update(files[path].encode())
        digest.update(b"\0")
    return digest.hexdigest()
