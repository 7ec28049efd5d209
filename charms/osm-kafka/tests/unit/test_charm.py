# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The charm's reconcile and status: events, the Pebble plan, files, cluster and ports."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import ops
import pytest
from charm import KafkaCharm
from conftest import APP, CLUSTER_ID
from literals import (
    CLUSTER_ID_KEY,
    CONFIG_DIR,
    CONTAINER,
    LOG4J_PROPERTIES,
    PEER_RELATION,
    READY_CHECK,
    SERVER_PROPERTIES,
    SERVICE,
)
from ops import testing
from osm_charm_testing import run_check_change, service_environment

Context = testing.Context[KafkaCharm]


def properties(ctx: Context, state: testing.State) -> dict[str, str]:
    """The server.properties pushed into the container, as a dict."""
    root = state.get_container(CONTAINER).get_filesystem(ctx)
    text = (root / SERVER_PROPERTIES.lstrip("/")).read_text()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def with_config(state: testing.State, **options: str | int | bool) -> testing.State:
    return dataclasses.replace(state, config=options)


EVENTS = {
    "pebble-ready": lambda ctx, s: ctx.on.pebble_ready(s.get_container(CONTAINER)),
    "config-changed": lambda ctx, s: ctx.on.config_changed(),
    "upgrade-charm": lambda ctx, s: ctx.on.upgrade_charm(),
    "leader-elected": lambda ctx, s: ctx.on.leader_elected(),
    "storage-attached": lambda ctx, s: ctx.on.storage_attached(next(iter(s.storages))),
    "peer-created": lambda ctx, s: ctx.on.relation_created(s.get_relations(PEER_RELATION)[0]),
}


@pytest.mark.parametrize("event", EVENTS)
def test_every_event_configures_and_starts_kafka(ctx: Context, state: testing.State, event: str):
    state_out = ctx.run(EVENTS[event](ctx, state), state)

    container = state_out.get_container(CONTAINER)
    assert container.service_statuses[SERVICE] == ops.pebble.ServiceStatus.ACTIVE
    assert properties(ctx, state_out)["node.id"] == "0"
    assert state_out.unit_status == testing.ActiveStatus()


def test_plan_runs_kafka_as_appuser(ctx: Context, state: testing.State):
    state_out = ctx.run(ctx.on.config_changed(), state)

    service = state_out.get_container(CONTAINER).plan.services[SERVICE]
    assert service.user == "appuser"
    assert service.working_dir == "/opt/kafka"
    assert f"--cluster-id {CLUSTER_ID}" in service.command
    assert set(state_out.get_container(CONTAINER).plan.checks) == {"kafka-ready", "kafka-alive"}


def test_files_and_data_dir_are_in_the_container(ctx: Context, state: testing.State):
    state_out = ctx.run(ctx.on.config_changed(), state)

    root = state_out.get_container(CONTAINER).get_filesystem(ctx)
    assert (root / "var/lib/kafka/data").is_dir()
    assert "log4j.rootLogger=INFO, stdout" in (root / LOG4J_PROPERTIES.lstrip("/")).read_text()
    assert properties(ctx, state_out)["advertised.listeners"] == (
        "PLAINTEXT://kafka-0.kafka-endpoints:9092"
    )


def test_client_port_is_opened(ctx: Context, state: testing.State):
    state_out = ctx.run(ctx.on.config_changed(), state)

    assert state_out.opened_ports == {testing.TCPPort(9092)}


def test_new_config_changes_the_layer_so_replan_restarts(ctx: Context, state: testing.State):
    first = ctx.run(ctx.on.config_changed(), state)

    second = ctx.run(ctx.on.config_changed(), with_config(first, **{"log-level": "debug"}))

    assert service_environment(first, CONTAINER, SERVICE) != service_environment(
        second, CONTAINER, SERVICE
    )
    assert properties(ctx, second) == properties(ctx, first)


def test_options_reach_server_properties(ctx: Context, state: testing.State):
    options = {"num-partitions": 4, "retention-hours": 24, "auto-create-topics": False}

    state_out = ctx.run(ctx.on.config_changed(), with_config(state, **options))

    rendered = properties(ctx, state_out)
    assert rendered["num.partitions"] == "4"
    assert rendered["log.retention.hours"] == "24"
    assert rendered["auto.create.topics.enable"] == "false"
    assert "log.retention.ms" not in rendered


PEER_EVENTS = {
    "joined": lambda ctx, peers: ctx.on.relation_joined(peers, remote_unit=2),
    "changed": lambda ctx, peers: ctx.on.relation_changed(peers, remote_unit=1),
}


@pytest.mark.parametrize("event", PEER_EVENTS)
def test_three_units_form_one_quorum(ctx: Context, container: testing.Container, event: str):
    peers = testing.PeerRelation(
        PEER_RELATION,
        local_app_data={CLUSTER_ID_KEY: CLUSTER_ID},
        peers_data={1: {}, 2: {}},
    )
    state = testing.State(leader=False, containers={container}, relations={peers}, planned_units=3)

    state_out = ctx.run(PEER_EVENTS[event](ctx, peers), state)

    rendered = properties(ctx, state_out)
    assert rendered["controller.quorum.voters"] == (
        "0@kafka-0.kafka-endpoints:9093,1@kafka-1.kafka-endpoints:9093,"
        "2@kafka-2.kafka-endpoints:9093"
    )
    assert rendered["default.replication.factor"] == "3"
    assert rendered["min.insync.replicas"] == "2"
    assert state_out.unit_status == testing.ActiveStatus()


def test_node_id_is_the_unit_number(container: testing.Container):
    ctx = testing.Context(KafkaCharm, app_name=APP, unit_id=2)
    peers = testing.PeerRelation(
        PEER_RELATION, local_app_data={CLUSTER_ID_KEY: CLUSTER_ID}, peers_data={0: {}, 1: {}}
    )
    state = testing.State(containers={container}, relations={peers}, planned_units=3)

    state_out = ctx.run(ctx.on.config_changed(), state)

    rendered = properties(ctx, state_out)
    assert rendered["node.id"] == "2"
    assert rendered["advertised.listeners"] == "PLAINTEXT://kafka-2.kafka-endpoints:9092"


def test_departed_unit_leaves_the_quorum(ctx: Context, container: testing.Container):
    # During relation-departed, Juju no longer lists the departing unit on the relation.
    peers = testing.PeerRelation(PEER_RELATION, local_app_data={CLUSTER_ID_KEY: CLUSTER_ID})
    state = testing.State(leader=True, containers={container}, relations={peers}, planned_units=1)

    state_out = ctx.run(ctx.on.relation_departed(peers, remote_unit=1, departing_unit=1), state)

    rendered = properties(ctx, state_out)
    assert rendered["controller.quorum.voters"] == "0@kafka-0.kafka-endpoints:9093"
    assert rendered["default.replication.factor"] == "1"


def test_waits_for_every_planned_unit(ctx: Context, state: testing.State):
    state_in = dataclasses.replace(state, planned_units=3)

    state_out = ctx.run(ctx.on.config_changed(), state_in)

    assert state_out.unit_status == testing.WaitingStatus(
        "waiting for units to join the cluster: 1 of 3"
    )
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


def test_running_kafka_keeps_its_quorum_until_every_new_unit_joined(
    ctx: Context, state: testing.State, tmp_path: Path
):
    config_dir = testing.Mount(location=CONFIG_DIR, source=tmp_path)
    container = dataclasses.replace(state.get_container(CONTAINER), mounts={"config": config_dir})
    running = ctx.run(ctx.on.config_changed(), dataclasses.replace(state, containers={container}))
    before = properties(ctx, running)
    peers = dataclasses.replace(running.get_relations(PEER_RELATION)[0], peers_data={1: {}})
    scaling = dataclasses.replace(running, relations={peers}, planned_units=3)

    state_out = ctx.run(ctx.on.relation_joined(peers, remote_unit=1), scaling)

    assert properties(ctx, state_out) == before
    assert before["controller.quorum.voters"] == "0@kafka-0.kafka-endpoints:9093"
    assert state_out.get_container(CONTAINER).plan == running.get_container(CONTAINER).plan
    assert state_out.unit_status == testing.WaitingStatus(
        "waiting for units to join the cluster: 2 of 3"
    )


def test_leader_generates_the_cluster_id_once(ctx: Context, container: testing.Container):
    state = testing.State(
        leader=True, containers={container}, relations={testing.PeerRelation(PEER_RELATION)}
    )

    first = ctx.run(ctx.on.leader_elected(), state)
    second = ctx.run(ctx.on.config_changed(), first)

    cluster_id = first.get_relations(PEER_RELATION)[0].local_app_data[CLUSTER_ID_KEY]
    assert len(cluster_id) == 22
    assert second.get_relations(PEER_RELATION)[0].local_app_data[CLUSTER_ID_KEY] == cluster_id
    assert (
        f"--cluster-id {cluster_id}"
        in second.get_container(CONTAINER).plan.services[SERVICE].command
    )


def test_leader_replaces_a_malformed_cluster_id(ctx: Context, container: testing.Container):
    peers = testing.PeerRelation(PEER_RELATION, local_app_data={CLUSTER_ID_KEY: "not an id"})
    state = testing.State(leader=True, containers={container}, relations={peers})

    state_out = ctx.run(ctx.on.config_changed(), state)

    cluster_id = state_out.get_relations(PEER_RELATION)[0].local_app_data[CLUSTER_ID_KEY]
    assert cluster_id != "not an id"
    assert state_out.unit_status == testing.ActiveStatus()


def test_non_leader_waits_for_the_cluster_id(ctx: Context, container: testing.Container):
    peers = testing.PeerRelation(PEER_RELATION, peers_data={1: {}})
    state = testing.State(leader=False, containers={container}, relations={peers}, planned_units=2)

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert state_out.get_relations(PEER_RELATION)[0].local_app_data == {}
    assert state_out.unit_status == testing.WaitingStatus(
        "waiting for the leader to set the cluster id"
    )
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


def test_waits_for_the_peer_relation(ctx: Context, container: testing.Container):
    state = testing.State(leader=True, containers={container})

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert state_out.unit_status == testing.WaitingStatus("waiting for the cluster peer relation")


def test_waits_for_pebble(ctx: Context, state: testing.State):
    container = testing.Container(CONTAINER, can_connect=False)
    state_in = dataclasses.replace(state, containers={container})

    state_out = ctx.run(ctx.on.config_changed(), state_in)

    assert state_out.unit_status == testing.WaitingStatus("waiting for pebble to start")
    assert state_out.opened_ports == frozenset()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"log-level": "loud"}, "invalid log-level 'loud'"),
        ({"num-partitions": 0}, "invalid num-partitions 0"),
        ({"retention-ms": -5}, "invalid retention-ms -5"),
        ({"replication-factor": 3}, "invalid replication-factor 3: exceeds the number of units"),
        ({"min-insync-replicas": 2}, "invalid min-insync-replicas 2: exceeds the replication"),
    ],
)
def test_bad_config_blocks_without_touching_kafka(
    ctx: Context, state: testing.State, options: dict, message: str
):
    state_out = ctx.run(ctx.on.config_changed(), with_config(state, **options))

    assert isinstance(state_out.unit_status, testing.BlockedStatus)
    assert state_out.unit_status.message.startswith(message)
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


def test_bad_config_outranks_a_missing_pebble(ctx: Context, state: testing.State):
    container = testing.Container(CONTAINER, can_connect=False)
    state_in = with_config(
        dataclasses.replace(state, containers={container}), **{"log-level": "x"}
    )

    state_out = ctx.run(ctx.on.config_changed(), state_in)

    assert isinstance(state_out.unit_status, testing.BlockedStatus)


def test_stopped_service_blocks(ctx: Context, state: testing.State):
    running = ctx.run(ctx.on.config_changed(), state)
    container = dataclasses.replace(
        running.get_container(CONTAINER),
        service_statuses={SERVICE: ops.pebble.ServiceStatus.INACTIVE},
    )

    state_out = ctx.run(
        ctx.on.update_status(), dataclasses.replace(running, containers={container})
    )

    assert state_out.unit_status == testing.BlockedStatus("kafka service is not running")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            ops.pebble.CheckStatus.DOWN,
            testing.WaitingStatus("kafka service is not ready: readiness check failing"),
        ),
        (ops.pebble.CheckStatus.UP, testing.ActiveStatus()),
    ],
    ids=["failed", "recovered"],
)
def test_readiness_check_events(ctx: Context, state: testing.State, status, expected):
    running = ctx.run(ctx.on.config_changed(), state)

    state_out = run_check_change(ctx, running, CONTAINER, READY_CHECK, status)

    assert state_out.unit_status == expected


@pytest.mark.parametrize(
    ("method", "error"),
    [
        ("replan", ops.pebble.APIError({}, 500, "Internal Server Error", "cannot replan")),
        ("make_dir", ops.pebble.PathError("permission-denied", "cannot make the directory")),
    ],
    ids=["replan", "make-dir"],
)
def test_pebble_error_ends_in_a_status(
    ctx: Context, state: testing.State, monkeypatch: pytest.MonkeyPatch, method, error
):
    def refuse(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr(ops.Container, method, refuse)

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert state_out.unit_status == testing.BlockedStatus("kafka service is not running")
    assert state_out.opened_ports == frozenset()
