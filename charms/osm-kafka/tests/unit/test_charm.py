# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The charm's reconcile and status: events, the Pebble plan, files, cluster and ports.

A formatted node (`state`) unless a test says otherwise; test_storage.py covers the
storage itself (formatting, lost and foreign data).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import ops
import pytest
from charm import KafkaCharm
from charms.osm_libs.v0 import component
from conftest import APP, CLUSTER_ID, DATA_DIR, KAFKA_STORAGE, node_state
from helpers import properties, with_config
from literals import (
    CLUSTER_ID_KEY,
    CONFIG_DIR,
    CONTAINER,
    LOG4J_PROPERTIES,
    PEER_RELATION,
    READY_CHECK,
    SERVICE,
)
from ops import testing
from osm_charm_testing import run_check_change, service_environment

Context = testing.Context[KafkaCharm]


EVENTS = {
    "pebble-ready": lambda ctx, s: ctx.on.pebble_ready(s.get_container(CONTAINER)),
    "config-changed": lambda ctx, s: ctx.on.config_changed(),
    "upgrade-charm": lambda ctx, s: ctx.on.upgrade_charm(),
    "leader-elected": lambda ctx, s: ctx.on.leader_elected(),
    "storage-attached": lambda ctx, s: ctx.on.storage_attached(next(iter(s.storages))),
    "peer-created": lambda ctx, s: ctx.on.relation_created(s.get_relations(PEER_RELATION)[0]),
    "update-status": lambda ctx, s: ctx.on.update_status(),
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
    assert service.command.startswith("/bin/bash -c ")
    assert set(state_out.get_container(CONTAINER).plan.checks) == {"kafka-ready", "kafka-alive"}


def test_files_and_data_dir_are_in_the_container(
    ctx: Context, new_state: testing.State, storage: Path
):
    state_out = ctx.run(ctx.on.config_changed(), new_state)

    root = state_out.get_container(CONTAINER).get_filesystem(ctx)
    assert (storage / DATA_DIR).is_dir()
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
    state = node_state(container, peers, leader=False, planned_units=3)

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
    state = node_state(container, peers, planned_units=3)

    state_out = ctx.run(ctx.on.config_changed(), state)

    rendered = properties(ctx, state_out)
    assert rendered["node.id"] == "2"
    assert rendered["advertised.listeners"] == "PLAINTEXT://kafka-2.kafka-endpoints:9092"


def test_departed_unit_leaves_the_quorum(ctx: Context, container: testing.Container):
    # During relation-departed, Juju no longer lists the departing unit on the relation.
    peers = testing.PeerRelation(PEER_RELATION, local_app_data={CLUSTER_ID_KEY: CLUSTER_ID})
    state = node_state(container, peers, leader=True, planned_units=1)

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
    (tmp_path / "config").mkdir()
    config_dir = testing.Mount(location=CONFIG_DIR, source=tmp_path / "config")
    container = state.get_container(CONTAINER)
    container = dataclasses.replace(container, mounts={**container.mounts, "config": config_dir})
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
    state = node_state(container, testing.PeerRelation(PEER_RELATION), leader=True)

    first = ctx.run(ctx.on.leader_elected(), state)
    second = ctx.run(ctx.on.config_changed(), first)

    cluster_id = first.get_relations(PEER_RELATION)[0].local_app_data[CLUSTER_ID_KEY]
    assert len(cluster_id) == 22
    assert second.get_relations(PEER_RELATION)[0].local_app_data[CLUSTER_ID_KEY] == cluster_id
    formats = [run.command for run in ctx.exec_history[CONTAINER]]
    assert [command[:2] for command in formats] == [[KAFKA_STORAGE, "format"]]
    assert formats[0][formats[0].index("--cluster-id") + 1] == cluster_id


def test_leader_replaces_a_malformed_cluster_id(ctx: Context, container: testing.Container):
    peers = testing.PeerRelation(PEER_RELATION, local_app_data={CLUSTER_ID_KEY: "not an id"})
    state = node_state(container, peers, leader=True)

    state_out = ctx.run(ctx.on.config_changed(), state)

    cluster_id = state_out.get_relations(PEER_RELATION)[0].local_app_data[CLUSTER_ID_KEY]
    assert cluster_id != "not an id"
    assert state_out.unit_status == testing.ActiveStatus()


def test_non_leader_waits_for_the_cluster_id(ctx: Context, container: testing.Container):
    peers = testing.PeerRelation(PEER_RELATION, peers_data={1: {}})
    state = node_state(container, peers, leader=False, planned_units=2)

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert state_out.get_relations(PEER_RELATION)[0].local_app_data == {}
    assert state_out.unit_status == testing.WaitingStatus(
        "waiting for the leader to set the cluster id"
    )
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


def test_waits_for_the_peer_relation(ctx: Context, container: testing.Container):
    state = node_state(container, None, leader=True)

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert state_out.unit_status == testing.WaitingStatus("waiting for the cluster peer relation")


def test_waits_for_pebble(ctx: Context, state: testing.State):
    container = testing.Container(CONTAINER, can_connect=False)
    state_in = dataclasses.replace(state, containers={container})

    state_out = ctx.run(ctx.on.config_changed(), state_in)

    assert state_out.unit_status == testing.WaitingStatus("waiting for pebble to start")
    # The application's service carries the client port from the first hook on: it is the
    # clients' bootstrap address, and Kubernetes routes it only to ready brokers.
    assert state_out.opened_ports == {testing.TCPPort(9092)}


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


def test_stopped_service_blocks_until_a_reconcile_starts_it(ctx: Context, state: testing.State):
    running = ctx.run(ctx.on.config_changed(), state)
    container = dataclasses.replace(
        running.get_container(CONTAINER),
        service_statuses={SERVICE: ops.pebble.ServiceStatus.INACTIVE},
    )
    stopped = dataclasses.replace(running, containers={container})

    seen = ctx.run(ctx.on.start(), stopped)  # not reconciled: collect-status only
    restarted = ctx.run(ctx.on.update_status(), stopped)

    assert seen.unit_status == testing.BlockedStatus("kafka service is not running")
    assert restarted.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.ACTIVE
    )
    assert restarted.unit_status == testing.ActiveStatus()


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


def test_config_and_relations_are_read_once_per_dispatch(
    ctx: Context, state: testing.State, monkeypatch: pytest.MonkeyPatch
):
    reads = []
    load_config = KafkaCharm.load_config

    def counting(self, cls, *args, **kwargs):
        reads.append(cls)
        return load_config(self, cls, *args, **kwargs)

    monkeypatch.setattr(KafkaCharm, "load_config", counting)

    with ctx(ctx.on.config_changed(), state) as manager:
        state_out = manager.run()
        inputs = manager.charm._inputs

    assert len(reads) == 1  # by reconcile and collect-status together
    assert isinstance(inputs, component.Inputs)
    assert inputs.settings is not None and inputs.settings.cluster_id == CLUSTER_ID
    assert state_out.unit_status == testing.ActiveStatus()


def test_collect_status_only_reads(ctx: Context, container: testing.Container):
    # `start` is not reconciled: only collect-status runs, on a leader that has yet to set
    # the cluster id and a node that has yet to be formatted.
    state = node_state(container, testing.PeerRelation(PEER_RELATION), leader=True)

    state_out = ctx.run(ctx.on.start(), state)

    assert state_out.get_relations(PEER_RELATION)[0].local_app_data == {}
    assert ctx.exec_history == {}
    assert state_out.get_container(CONTAINER).layers == {}
    assert state_out.unit_status == testing.WaitingStatus(
        "waiting for the leader to set the cluster id"
    )
