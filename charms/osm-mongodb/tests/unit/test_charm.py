"""The charm's workload, replica set and statuses, over ops.testing."""

from __future__ import annotations

import dataclasses
import json

import mongosh
import ops
import pytest
from builders import (
    ADMIN_PASSWORD,
    APP,
    CREDENTIALS,
    HOST,
    KEYFILE,
    VERSION,
    container,
    execs_of,
    hello,
    mongosh_exec,
    peers,
    state,
)
from literals import CONTAINER, CREDENTIALS_ID_FIELD, INITIATED_FIELD, READY_CHECK, READY_FIELD
from ops import testing
from osm_charm_testing import run_check_change


def peer_data(out: testing.State) -> testing.PeerRelation:
    [relation] = [r for r in out.relations if isinstance(r, testing.PeerRelation)]
    return relation


# Credentials


def test_leader_creates_the_credentials_once(ctx):
    peer = peers(None, initiated=False)
    base = state(peer=peer)
    fresh = dataclasses.replace(base, secrets=frozenset())

    out = ctx.run(ctx.on.config_changed(), fresh)

    [secret] = out.secrets
    assert secret.owner == "app"
    assert set(secret.tracked_content) == {"password", "keyfile"}
    assert peer_data(out).local_app_data[CREDENTIALS_ID_FIELD] == secret.id
    again = ctx.run(ctx.on.config_changed(), out)
    assert again.secrets == out.secrets


def test_non_leader_waits_for_the_credentials(ctx):
    peer = peers(None, initiated=False)
    unplanned = container(planned=False)
    fresh = dataclasses.replace(
        state(leader=False, peer=peer, container_=unplanned), secrets=frozenset()
    )

    out = ctx.run(ctx.on.config_changed(), fresh)

    assert out.secrets == frozenset()
    assert out.unit_status == testing.WaitingStatus(
        "waiting for the leader to create the credentials"
    )
    assert out.get_container(CONTAINER).plan.services == {}


@pytest.mark.parametrize("leader", [True, False])
def test_unreadable_credentials_wait_and_are_not_replaced(ctx, leader):
    missing = dataclasses.replace(state(leader=leader), secrets=frozenset())

    out = ctx.run(ctx.on.update_status(), missing)

    waiting = testing.WaitingStatus("waiting for the leader to create the credentials")
    assert out.unit_status == waiting
    assert out.app_status == (waiting if leader else testing.UnknownStatus())
    assert out.secrets == frozenset()
    assert peer_data(out).local_app_data[CREDENTIALS_ID_FIELD] == CREDENTIALS.id


def test_without_the_peer_relation_the_unit_waits(ctx):
    base = state()
    alone = dataclasses.replace(base, relations=frozenset())

    out = ctx.run(ctx.on.config_changed(), alone)

    assert out.unit_status == testing.WaitingStatus("waiting for the peer relation")
    assert out.app_status == testing.WaitingStatus("waiting for the peer relation")
    assert out.secrets == frozenset({CREDENTIALS})


# Workload


@pytest.mark.parametrize("leader", [True, False])
def test_pebble_ready_plans_mongod_and_writes_the_keyfile(ctx, leader):
    fresh = container(planned=False)

    out = ctx.run(ctx.on.pebble_ready(fresh), state(leader=leader, container_=fresh))

    out_container = out.get_container(CONTAINER)
    service = out_container.plan.services["mongod"]
    assert service.command.split()[:2] == ["mongod", "--bind_ip_all"]
    assert f"--replSet={APP}" in service.command
    assert (service.user, service.group) == ("mongodb", "mongodb")
    assert set(out_container.plan.checks) == {"mongod-ready", "mongod-alive"}
    keyfile = out_container.get_filesystem(ctx) / "etc/mongod/keyfile"
    assert keyfile.read_text() == KEYFILE
    assert [
        call.command for call in ctx.exec_history[CONTAINER] if call.command[0] == "chown"
    ] == [["chown", "mongodb:mongodb", "/data/db"]]


def test_a_running_mongod_is_not_chowned_again(ctx):
    ctx.run(ctx.on.update_status(), state())

    assert not [call for call in ctx.exec_history[CONTAINER] if call.command[0] == "chown"]


def test_config_reaches_the_command(ctx):
    out = ctx.run(
        ctx.on.config_changed(), state(config={"cache-size-gb": 1.5, "log-verbosity": 2})
    )

    command = out.get_container(CONTAINER).plan.services["mongod"].command
    assert command.endswith("--auth --wiredTigerCacheSizeGB=1.5 -vv")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"cache-size-gb": 0.1}, "invalid cache-size-gb 0.1"),
        ({"log-verbosity": 9}, "invalid log-verbosity 9"),
    ],
)
def test_invalid_config_blocks_and_changes_nothing(ctx, config, message):
    before = state(config=config)

    out = ctx.run(ctx.on.config_changed(), before)

    assert isinstance(out.unit_status, testing.BlockedStatus)
    assert out.unit_status.message.startswith(message)
    assert out.get_container(CONTAINER).plan == before.get_container(CONTAINER).plan
    assert ctx.exec_history.get(CONTAINER, []) == []


def test_pebble_not_reachable_waits(ctx):
    offline = container(can_connect=False)

    out = ctx.run(ctx.on.update_status(), state(container_=offline))

    assert out.unit_status == testing.WaitingStatus("waiting for pebble to start")


def test_a_stopped_service_blocks(ctx):
    # `start` does not reconcile (nothing replans), as after a crash between two hooks.
    stopped = container(running=False)

    out = ctx.run(ctx.on.start(), state(container_=stopped))

    assert out.unit_status == testing.BlockedStatus("mongod service is not running")


def test_failing_readiness_waits_and_clears_the_ready_flag(ctx):
    unready = container(ready=False)

    out = ctx.run(ctx.on.update_status(), state(container_=unready, leader=False))

    assert out.unit_status == testing.WaitingStatus(
        "mongod service is not ready: readiness check failing"
    )
    assert READY_FIELD not in peer_data(out).local_unit_data


def test_readiness_sets_the_ready_flag(ctx):
    peer = peers(local_ready=False)

    out = ctx.run(ctx.on.update_status(), state(peer=peer, leader=False))

    assert peer_data(out).local_unit_data[READY_FIELD] == "true"


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (hello(0, (0, 1), primary=True), testing.ActiveStatus("primary")),
        (hello(1, (0, 1), primary=False), testing.ActiveStatus("secondary")),
        (hello(None), testing.WaitingStatus("waiting to join the replica set")),
        (
            hello(2, (0, 1), primary=False),
            testing.WaitingStatus("waiting to join the replica set"),
        ),
    ],
)
def test_unit_status_follows_hello(ctx, answer, status):
    out = ctx.run(
        ctx.on.update_status(), state(leader=False, container_=container(hello_answer=answer))
    )

    assert out.unit_status == status
    assert out.workload_version == (VERSION if status.name == "active" else "")


def test_a_failing_hello_waits(ctx):
    broken = container(execs=[mongosh_exec(mongosh.HELLO, code=1)])

    out = ctx.run(ctx.on.update_status(), state(leader=False, container_=broken))

    assert out.unit_status == testing.WaitingStatus("waiting to join the replica set")


@pytest.mark.parametrize(
    "trigger",
    [
        lambda ctx, c, p, s: ctx.on.pebble_ready(c),
        lambda ctx, c, p, s: ctx.on.pebble_check_failed(c, testing.CheckInfo("mongod-ready")),
        lambda ctx, c, p, s: ctx.on.pebble_check_recovered(c, testing.CheckInfo("mongod-ready")),
        lambda ctx, c, p, s: ctx.on.config_changed(),
        lambda ctx, c, p, s: ctx.on.upgrade_charm(),
        lambda ctx, c, p, s: ctx.on.update_status(),
        lambda ctx, c, p, s: ctx.on.leader_elected(),
        lambda ctx, c, p, s: ctx.on.storage_attached(s),
        lambda ctx, c, p, s: ctx.on.relation_created(p),
        lambda ctx, c, p, s: ctx.on.relation_joined(p, remote_unit=1),
        lambda ctx, c, p, s: ctx.on.relation_changed(p, remote_unit=1),
        lambda ctx, c, p, s: ctx.on.relation_departed(p, remote_unit=1, departing_unit=1),
    ],
    ids=[
        "pebble-ready",
        "check-failed",
        "check-recovered",
        "config-changed",
        "upgrade-charm",
        "update-status",
        "leader-elected",
        "storage-attached",
        "peer-created",
        "peer-joined",
        "peer-changed",
        "peer-departed",
    ],
)
def test_every_event_reconciles(ctx, trigger):
    planned = container()
    peer = peers(units=[1])
    storage = testing.Storage("db")
    before = dataclasses.replace(state(container_=planned, peer=peer), storages={storage})

    out = ctx.run(trigger(ctx, planned, peer, storage), before)

    keyfile = out.get_container(CONTAINER).get_filesystem(ctx) / "etc/mongod/keyfile"
    assert keyfile.read_text() == KEYFILE


# Replica set


def test_leader_initiates_the_set_with_itself_and_creates_the_admin(ctx):
    peer = peers(initiated=False)

    out = ctx.run(ctx.on.update_status(), state(peer=peer))

    [call] = execs_of(ctx, mongosh.INITIATE)
    assert call.environment["MONGO_HOST"] == HOST[0]
    assert call.environment["MONGO_REPLICA_SET"] == APP
    assert call.environment["MONGO_ADMIN_PASSWORD"] == ADMIN_PASSWORD
    assert ADMIN_PASSWORD not in " ".join(call.command)
    assert peer_data(out).local_app_data[INITIATED_FIELD] == "true"
    assert out.app_status == testing.ActiveStatus()


def test_the_set_is_initiated_only_once(ctx):
    ctx.run(ctx.on.update_status(), state())

    assert execs_of(ctx, mongosh.INITIATE) == []


def test_an_unready_leader_does_not_initiate(ctx):
    peer = peers(initiated=False, local_ready=False)

    out = ctx.run(ctx.on.update_status(), state(peer=peer, container_=container(ready=False)))

    assert execs_of(ctx, mongosh.INITIATE) == []
    assert out.app_status == testing.WaitingStatus("initiating the replica set")


def test_a_failed_initiation_is_retried_later(ctx, caplog):
    peer = peers(initiated=False)
    failing = container(execs=[mongosh_exec(mongosh.INITIATE, code=1)])

    out = ctx.run(ctx.on.update_status(), state(peer=peer, container_=failing))

    assert INITIATED_FIELD not in peer_data(out).local_app_data
    assert out.app_status == testing.WaitingStatus("initiating the replica set")
    assert "initiate failed (exit code 1)" in caplog.text
    assert ADMIN_PASSWORD not in caplog.text


def test_non_leaders_do_not_manage_the_set(ctx):
    peer = peers(initiated=False, units=[1], ready_units=[1])

    ctx.run(ctx.on.update_status(), state(leader=False, peer=peer))

    assert execs_of(ctx, mongosh.INITIATE) == []
    assert execs_of(ctx, mongosh.SET_MEMBERS) == []


def test_ready_units_join_the_set(ctx):
    peer = peers(units=[1, 2, 3], ready_units=[2, 1])

    out = ctx.run(ctx.on.relation_changed(peer, remote_unit=2), state(peer=peer))

    [call] = execs_of(ctx, mongosh.SET_MEMBERS)
    assert json.loads(call.environment["MONGO_MEMBERS"]) == [HOST[0], HOST[1], HOST[2]]
    seeds = f"mongodb://{HOST[0]},{HOST[1]},{HOST[2]},{HOST[3]}/admin?replicaSet={APP}"
    assert call.command[-1] == seeds
    assert out.app_status == testing.WaitingStatus("updating the replica set members")


def test_departed_units_leave_the_set(ctx):
    peer = peers(units=[1], ready_units=[1])
    three = container(hello_answer=hello(0, (0, 1, 2)))

    ctx.run(
        ctx.on.relation_departed(peer, remote_unit=2, departing_unit=2),
        state(peer=peer, container_=three),
    )

    [call] = execs_of(ctx, mongosh.SET_MEMBERS)
    assert json.loads(call.environment["MONGO_MEMBERS"]) == [HOST[0], HOST[1]]


def test_members_in_step_are_left_alone(ctx):
    peer = peers(units=[1], ready_units=[1])
    two = container(hello_answer=hello(0, (0, 1)))

    out = ctx.run(ctx.on.update_status(), state(peer=peer, container_=two))

    assert execs_of(ctx, mongosh.SET_MEMBERS) == []
    assert out.app_status == testing.ActiveStatus()
    assert out.unit_status == testing.ActiveStatus("primary")


def test_a_failed_reconfiguration_is_retried_later(ctx):
    peer = peers(units=[1], ready_units=[1])
    failing = container(execs=[mongosh_exec(mongosh.SET_MEMBERS, code=2)])

    out = ctx.run(ctx.on.update_status(), state(peer=peer, container_=failing))

    assert out.app_status == testing.WaitingStatus("updating the replica set members")


def test_a_leader_outside_the_set_changes_nothing(ctx):
    peer = peers(units=[1], ready_units=[1])
    outside = container(hello_answer=hello(None))

    ctx.run(ctx.on.update_status(), state(peer=peer, container_=outside))

    assert execs_of(ctx, mongosh.SET_MEMBERS) == []
    assert execs_of(ctx, mongosh.SET_USERS) == []


def test_secrets_stay_out_of_commands_and_logs(ctx, caplog):
    peer = peers(units=[1], ready_units=[1])
    caplog.set_level("DEBUG")

    ctx.run(ctx.on.update_status(), state(peer=peer))

    for call in ctx.exec_history[CONTAINER]:
        assert ADMIN_PASSWORD not in " ".join(call.command)
        assert KEYFILE not in " ".join(call.command)
    assert ADMIN_PASSWORD not in caplog.text
    assert KEYFILE not in caplog.text


def test_the_admin_status_is_active_once_in_step(ctx):
    out = ctx.run(ctx.on.update_status(), state())

    assert out.app_status == testing.ActiveStatus()
    assert out.unit_status == testing.ActiveStatus("primary")
    assert out.workload_version == VERSION


def test_check_events_are_observed(ctx):
    out = run_check_change(ctx, state(), CONTAINER, READY_CHECK, ops.pebble.CheckStatus.DOWN)

    assert out.unit_status == testing.WaitingStatus(
        "mongod service is not ready: readiness check failing"
    )


# One shape: inputs read once, one reconcile, collect-status that only reads


def test_collect_status_runs_no_workload_command(ctx):
    # `start` and actions do not reconcile: the status may only read what is there.
    stopped = container(running=False)

    out = ctx.run(ctx.on.start(), state(container_=stopped))
    ctx.run(ctx.on.action("get-admin-password"), state())

    assert ctx.exec_history.get(CONTAINER, []) == []
    assert out.unit_status == testing.BlockedStatus("mongod service is not running")


@pytest.mark.parametrize("leader", [True, False])
def test_a_reconcile_asks_mongod_once_and_the_status_uses_its_answer(ctx, leader):
    peer = peers(units=[1], ready_units=[1])
    two = container(hello_answer=hello(0, (0, 1)))

    out = ctx.run(ctx.on.update_status(), state(leader=leader, peer=peer, container_=two))

    assert len(execs_of(ctx, mongosh.HELLO)) == 1
    assert out.unit_status == testing.ActiveStatus("primary")


@pytest.mark.parametrize("leader", [True, False])
def test_inputs_are_read_once_per_dispatch(ctx, monkeypatch, leader):
    reads = {"config": 0, "secret": 0}
    load_config, get_secret = ops.CharmBase.load_config, ops.Model.get_secret

    def counting_load_config(self, *args, **kwargs):
        reads["config"] += 1
        return load_config(self, *args, **kwargs)

    def counting_get_secret(self, *args, **kwargs):
        reads["secret"] += 1
        return get_secret(self, *args, **kwargs)

    monkeypatch.setattr(ops.CharmBase, "load_config", counting_load_config)
    monkeypatch.setattr(ops.Model, "get_secret", counting_get_secret)

    ctx.run(ctx.on.update_status(), state(leader=leader, peer=peers(units=[1], ready_units=[1])))

    assert reads == {"config": 1, "secret": 1}
