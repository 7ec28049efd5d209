# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""workload: replication rules, rendered files and the Pebble layer, without Juju."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import ops
import pytest
import workload
from config import CharmConfig
from literals import LOG4J_PROPERTIES, SERVER_PROPERTIES
from workload import BrokerSettings, DataState, MetaProperties, Node, Replication

CLUSTER_ID = "3udYLEUbS3SkU0Of9TN_jQ"
NODES = tuple(Node(node_id=i, host=f"kafka-{i}.kafka-endpoints") for i in range(3))


def settings(config: CharmConfig | None = None, node: int = 1) -> BrokerSettings:
    return BrokerSettings(
        cluster_id=CLUSTER_ID,
        node=NODES[node],
        quorum=NODES,
        replication=Replication(factor=3, min_insync=2),
        config=config or CharmConfig(),
    )


def properties(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


@pytest.mark.parametrize(
    ("brokers", "expected"),
    [
        (1, Replication(1, 1)),
        (2, Replication(2, 1)),
        (3, Replication(3, 2)),
        (5, Replication(3, 2)),
    ],
)
def test_replication_follows_the_unit_count(brokers: int, expected: Replication):
    assert workload.replication(brokers, CharmConfig()) == expected


@pytest.mark.parametrize(
    ("brokers", "factor", "min_insync", "expected"),
    [
        (3, 2, 0, Replication(2, 1)),
        (5, 5, 0, Replication(5, 4)),
        (3, 0, 1, Replication(3, 1)),
        (3, 3, 3, Replication(3, 3)),
    ],
)
def test_replication_set_by_config(brokers: int, factor: int, min_insync: int, expected):
    config = CharmConfig(replication_factor=factor, min_insync_replicas=min_insync)

    assert workload.replication(brokers, config) == expected


@pytest.mark.parametrize(
    ("brokers", "factor", "min_insync", "message"),
    [
        (1, 3, 0, r"invalid replication-factor 3: exceeds the number of units \(1\)"),
        (1, 0, 2, r"invalid min-insync-replicas 2: exceeds the replication factor \(1\)"),
    ],
)
def test_replication_that_does_not_fit(brokers: int, factor: int, min_insync: int, message: str):
    config = CharmConfig(replication_factor=factor, min_insync_replicas=min_insync)

    with pytest.raises(ValueError, match=message):
        workload.replication(brokers, config)


def test_cluster_id_is_generated_in_kafka_format():
    ids = {workload.generate_cluster_id() for _ in range(5)}

    assert len(ids) == 5
    assert all(workload.is_cluster_id(cluster_id) for cluster_id in ids)


@pytest.mark.parametrize(
    "value", ["", "short", "3udYLEUbS3SkU0Of9TN_jQ=", "3udYLEUbS3SkU0Of9TN/jQ"]
)
def test_malformed_cluster_ids(value: str):
    assert not workload.is_cluster_id(value)


def test_bootstrap_servers_start_with_the_service_then_brokers_in_node_order():
    assert workload.bootstrap_servers("kafka", list(reversed(NODES))) == (
        "kafka:9092,"
        "kafka-0.kafka-endpoints:9092,kafka-1.kafka-endpoints:9092,kafka-2.kafka-endpoints:9092"
    )


def test_server_properties_combined_kraft_node():
    rendered = properties(workload.server_properties(settings()))

    assert rendered == {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": (
            "0@kafka-0.kafka-endpoints:9093,"
            "1@kafka-1.kafka-endpoints:9093,"
            "2@kafka-2.kafka-endpoints:9093"
        ),
        "listeners": "PLAINTEXT://:9092,CONTROLLER://:9093",
        "advertised.listeners": "PLAINTEXT://kafka-1.kafka-endpoints:9092",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "log.dirs": "/var/lib/kafka/kraft-combined-logs",
        "metadata.log.dir": "/var/lib/kafka/kraft-combined-logs",
        "num.partitions": "1",
        "auto.create.topics.enable": "true",
        "default.replication.factor": "3",
        "min.insync.replicas": "2",
        "offsets.topic.replication.factor": "3",
        "transaction.state.log.replication.factor": "3",
        "transaction.state.log.min.isr": "2",
        "log.retention.hours": "168",
    }


def test_server_properties_follow_topic_options():
    config = CharmConfig(num_partitions=6, auto_create_topics=False, retention_ms=-1)

    rendered = properties(workload.server_properties(settings(config)))

    assert rendered["num.partitions"] == "6"
    assert rendered["auto.create.topics.enable"] == "false"
    assert rendered["log.retention.ms"] == "-1"


@pytest.mark.parametrize("level", ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"])
def test_log4j_logs_to_stdout_at_the_level(level: str):
    rendered = properties(workload.log4j_properties(level))

    assert rendered["log4j.rootLogger"] == f"{level}, stdout"
    assert rendered["log4j.appender.stdout"] == "org.apache.log4j.ConsoleAppender"


def test_config_files_paths():
    files = workload.config_files(settings(CharmConfig(log_level="debug")))

    assert set(files) == {SERVER_PROPERTIES, LOG4J_PROPERTIES}
    assert "log4j.rootLogger=DEBUG, stdout" in files[LOG4J_PROPERTIES]


def layer(files: dict[str, str]) -> ops.pebble.Layer:
    return ops.pebble.Layer(workload.pebble_layer(files))


def test_layer_starts_kafka_and_never_formats():
    service = layer({SERVER_PROPERTIES: "x"}).services["kafka"]

    command = shlex.split(service.command)
    assert command[:2] == ["/bin/bash", "-c"]
    assert command[2].endswith(f"exec /opt/kafka/bin/kafka-server-start.sh {SERVER_PROPERTIES}")
    assert "kafka-storage.sh" not in service.command
    assert service.user == "appuser"
    assert service.working_dir == "/opt/kafka"
    assert service.override == "replace"
    assert service.on_check_failure == {"kafka-alive": "restart"}


def test_format_command_formats_for_the_cluster_without_overwriting():
    assert workload.format_command(CLUSTER_ID) == [
        "/opt/kafka/bin/kafka-storage.sh",
        "format",
        "--ignore-formatted",
        "--cluster-id",
        CLUSTER_ID,
        "--config",
        SERVER_PROPERTIES,
    ]


META = "#\n#Thu Jan 01 00:00:00 UTC 2026\ncluster.id={cluster}\nnode.id={node}\nversion=1\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (META.format(cluster=CLUSTER_ID, node=2), MetaProperties(CLUSTER_ID, 2)),
        ("cluster.id = x \nnode.id=7", MetaProperties("x", 7)),
        ("node.id=two\n", MetaProperties(None, None)),
        ("", MetaProperties(None, None)),
    ],
)
def test_meta_properties_are_parsed(text: str, expected: MetaProperties):
    assert workload.parse_meta_properties(text) == expected


MINE = MetaProperties(CLUSTER_ID, 1)
OTHER_NODE = MetaProperties(CLUSTER_ID, 2)
OTHER_CLUSTER = MetaProperties("Qb1mOmCbRAOBu8DWW2C4aA", 1)
UNREADABLE = MetaProperties(None, None)


@pytest.mark.parametrize(
    ("found", "legacy", "formatted_before", "expected"),
    [
        (MINE, None, True, DataState.FORMATTED),
        (MINE, None, False, DataState.FORMATTED),  # re-attached: recorded from now on
        (OTHER_NODE, None, True, DataState.FOREIGN),
        (OTHER_CLUSTER, None, False, DataState.FOREIGN),
        (UNREADABLE, None, False, DataState.FOREIGN),
        (None, None, True, DataState.LOST),
        (None, MINE, True, DataState.LOST),  # the record is newer than the legacy data
        (None, MINE, False, DataState.LEGACY),
        (None, OTHER_NODE, False, DataState.NEW),
        (None, None, False, DataState.NEW),
    ],
)
def test_data_state(found, legacy, formatted_before: bool, expected: DataState):
    assert workload.data_state(found, legacy, formatted_before, CLUSTER_ID, 1) is expected


def test_foreign_data_is_described_for_the_operator():
    assert OTHER_NODE.describe() == f"node 2 of cluster {CLUSTER_ID}"
    assert UNREADABLE.describe() == "an unreadable meta.properties"


@pytest.fixture
def node_dirs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A data dir, a legacy dir and a Kafka home whose server start prints its data dir."""
    data, legacy, home = tmp_path / "data", tmp_path / "legacy", tmp_path / "kafka"
    data.mkdir()
    (home / "bin").mkdir(parents=True)
    start = home / "bin" / "kafka-server-start.sh"
    start.write_text(f"#!/bin/sh\nls -A {data}\n")
    start.chmod(0o755)
    return data, legacy, home


def run_start_script(data: Path, legacy: Path, home: Path) -> subprocess.CompletedProcess[str]:
    script = workload.start_script(str(data), str(legacy), str(home))
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_start_script_brings_an_earlier_revisions_data_over(node_dirs):
    data, legacy, home = node_dirs
    (legacy / "osm-0").mkdir(parents=True)
    (legacy / "osm-0" / "00000000000000000000.log").write_text("messages")
    (legacy / "meta.properties").write_text(META.format(cluster=CLUSTER_ID, node=0))

    result = run_start_script(data, legacy, home)

    assert result.returncode == 0, result.stderr
    assert (data / "osm-0" / "00000000000000000000.log").read_text() == "messages"
    assert (data / "meta.properties").read_text() == (legacy / "meta.properties").read_text()
    lines = result.stdout.splitlines()
    assert lines[0] == f"copying the data of an earlier revision from {legacy}"
    assert lines[1:] == ["meta.properties", "osm-0"]  # what Kafka then starts on


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_start_script_leaves_a_formatted_node_alone(node_dirs):
    data, legacy, home = node_dirs
    (data / "meta.properties").write_text(META.format(cluster=CLUSTER_ID, node=0))
    (legacy / "stale").mkdir(parents=True)
    (legacy / "meta.properties").write_text(META.format(cluster=CLUSTER_ID, node=0))

    result = run_start_script(data, legacy, home)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["meta.properties"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_start_script_does_not_format_an_empty_node(node_dirs):
    data, legacy, home = node_dirs

    result = run_start_script(data, legacy, home)

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # Kafka itself refuses to start without meta.properties


def test_layer_checks_broker_and_controller_ports():
    checks = layer({}).checks

    assert checks["kafka-ready"].level == ops.pebble.CheckLevel.READY
    assert checks["kafka-ready"].tcp == {"port": 9092}
    assert checks["kafka-alive"].level == ops.pebble.CheckLevel.ALIVE
    assert checks["kafka-alive"].tcp == {"port": 9093}


def test_layer_changes_with_any_config_file():
    files = workload.config_files(settings())
    changed = {**files, LOG4J_PROPERTIES: workload.log4j_properties("ERROR")}

    before = layer(files).services["kafka"].environment
    same = layer(dict(files)).services["kafka"].environment
    after = layer(changed).services["kafka"].environment

    assert before == same
    assert before != after
    assert before["KAFKA_LOG4J_OPTS"] == f"-Dlog4j.configuration=file:{LOG4J_PROPERTIES}"
