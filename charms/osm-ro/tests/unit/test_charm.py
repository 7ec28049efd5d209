# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The osm-ro charm's events, statuses, Pebble plan, files and relation data."""

from __future__ import annotations

import base64
import dataclasses
import stat

import ops
import pytest
from conftest import COMMONKEY, environment, ready_state, running_container
from literals import READY_CHECK
from ops import testing
from osm_charm_testing import (
    DATA_RELATION_PROBLEMS,
    KAFKA_BOOTSTRAP,
    MONGODB_URI,
    PASSWORD,
    rotate_mongodb_password,
    rotate_secret,
    run_check_change,
    withdraw_answer,
)

CONTAINER = testing.Container("ro", can_connect=True)
ACTIVE_INSECURE = testing.ActiveStatus("insecure default database-commonkey in use")
PUBLISHED = {"host": "ro", "port": "9090"}


def ro_relation() -> testing.Relation:
    return testing.Relation("ro", interface="ro", remote_app_name="lcm")


def commonkey_secret(content: dict[str, str] | None = None) -> testing.Secret:
    return testing.Secret({"commonkey": COMMONKEY} if content is None else content)


# --- relations -----------------------------------------------------------------------------


@pytest.mark.parametrize(("mongodb", "kafka", "expected"), DATA_RELATION_PROBLEMS)
def test_absent_relations_block_and_unanswered_ones_wait(ctx, mongodb, kafka, expected):
    out = ctx.run(ctx.on.config_changed(), ready_state(mongodb=mongodb, kafka=kafka))

    assert out.unit_status == expected
    assert out.get_container("ro").plan.services == {}


@pytest.mark.parametrize(
    "event", ["pebble_ready", "config_changed", "upgrade_charm", "leader_elected"]
)
def test_ready_relations_plan_the_service(ctx, event):
    state = ready_state()
    trigger = (
        ctx.on.pebble_ready(CONTAINER) if event == "pebble_ready" else getattr(ctx.on, event)()
    )

    out = ctx.run(trigger, state)

    assert environment(out)["OSMRO_DATABASE_URI"] == MONGODB_URI
    assert environment(out)["OSMRO_STORAGE_URI"] == MONGODB_URI
    assert environment(out)["OSMRO_MESSAGE_HOST"] == KAFKA_BOOTSTRAP.split(":")[0]
    assert environment(out)["OSMRO_MESSAGE_PORT"] == 9092
    assert out.get_container("ro").service_statuses["ro"] == ops.pebble.ServiceStatus.ACTIVE
    assert out.unit_status == ACTIVE_INSECURE
    assert testing.TCPPort(9090) in out.opened_ports


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_broken_mandatory_relation_stops_the_service(ctx, endpoint):
    state = ready_state(container=running_container())
    relation = next(r for r in state.relations if r.endpoint == endpoint)

    out = ctx.run(ctx.on.relation_broken(relation), state)

    assert out.get_container("ro").service_statuses["ro"] == ops.pebble.ServiceStatus.INACTIVE
    assert out.unit_status == testing.BlockedStatus(f"need {endpoint} relation")


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_provider_withdrawing_its_answer_stops_the_service(ctx, endpoint):
    ro = dataclasses.replace(ro_relation(), local_app_data=PUBLISHED)
    ready = ready_state(ro, container=running_container(), leader=True)
    state, withdrawn = withdraw_answer(ready, endpoint)

    out = ctx.run(ctx.on.relation_changed(withdrawn), state)

    assert out.get_container("ro").service_statuses["ro"] == ops.pebble.ServiceStatus.INACTIVE
    assert out.unit_status == testing.WaitingStatus(f"waiting for {endpoint} data")
    assert out.get_relation(ro.id).local_app_data == {}


def test_mongodb_credential_rotation_replans_with_the_new_uri(ctx):
    state = ready_state(container=running_container())
    state, rotated = rotate_mongodb_password(state, "rotated-pass")

    out = ctx.run(ctx.on.secret_changed(rotated), state)

    rotated_uri = MONGODB_URI.replace(PASSWORD, "rotated-pass")
    assert environment(out)["OSMRO_DATABASE_URI"] == rotated_uri
    assert environment(out)["OSMRO_STORAGE_URI"] == rotated_uri
    assert out.get_container("ro").service_statuses["ro"] == ops.pebble.ServiceStatus.ACTIVE


# --- config --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"log-level": "loud"}, "invalid log-level 'loud'"),
        ({"period-refresh-active": 10}, "invalid period-refresh-active 10"),
        ({"certificates": "ca.pem"}, "invalid certificates entry 1"),
        ({"certificates": "../x:YQ=="}, "invalid certificates name '../x'"),
    ],
)
def test_bad_config_blocks_and_leaves_the_service_alone(ctx, config, message):
    container = running_container()
    state = ready_state(container=container, config=config)

    out = ctx.run(ctx.on.config_changed(), state)

    assert isinstance(out.unit_status, testing.BlockedStatus)
    assert out.unit_status.message.startswith(message)
    assert out.get_container("ro").plan == container.plan
    assert out.get_container("ro").service_statuses["ro"] == ops.pebble.ServiceStatus.ACTIVE


@pytest.mark.parametrize(
    ("level", "ro_level"), [("trace", "DEBUG"), ("debug", "DEBUG"), ("Fatal", "FATAL")]
)
def test_config_is_planned(ctx, level, ro_level):
    state = ready_state(config={"log-level": level, "period-refresh-active": -1})

    out = ctx.run(ctx.on.config_changed(), state)

    assert environment(out)["OSMRO_LOG_LEVEL"] == ro_level
    assert environment(out)["OSMRO_PERIOD_REFRESH_ACTIVE"] == -1


def test_commonkey_secret_reaches_only_the_environment(ctx):
    secret = commonkey_secret()
    state = ready_state(
        ro_relation(), secrets=[secret], config={"database-commonkey": secret.id}, leader=True
    )

    out = ctx.run(ctx.on.config_changed(), state)

    assert environment(out)["OSMRO_DATABASE_COMMONKEY"] == COMMONKEY
    assert out.unit_status == testing.ActiveStatus()
    logged = " ".join(line.message for line in ctx.juju_log)
    assert COMMONKEY not in logged
    assert PASSWORD not in logged
    ro = next(r for r in out.relations if r.endpoint == "ro")
    assert COMMONKEY not in ro.local_app_data.values()


def test_unset_commonkey_uses_the_insecure_default_and_says_so(ctx):
    out = ctx.run(ctx.on.config_changed(), ready_state())

    assert environment(out)["OSMRO_DATABASE_COMMONKEY"] == "osm"
    assert out.unit_status == ACTIVE_INSECURE


@pytest.mark.parametrize(
    ("content", "granted", "message"),
    [
        ({"commonkey": COMMONKEY}, False, "database-commonkey: secret not found or not granted"),
        ({"other": "x"}, True, "database-commonkey: secret has no 'commonkey' value"),
        ({"commonkey": ""}, True, "database-commonkey: secret has no 'commonkey' value"),
    ],
)
def test_unreadable_commonkey_blocks(ctx, content, granted, message):
    secret = commonkey_secret(content)
    state = ready_state(
        secrets=[secret] if granted else [], config={"database-commonkey": secret.id}
    )

    out = ctx.run(ctx.on.config_changed(), state)

    assert isinstance(out.unit_status, testing.BlockedStatus)
    assert out.unit_status.message.startswith(message)
    assert COMMONKEY not in out.unit_status.message
    assert out.get_container("ro").plan.services == {}


def test_commonkey_rotation_replans(ctx):
    secret = commonkey_secret()
    state = ready_state(
        container=running_container(), secrets=[secret], config={"database-commonkey": secret.id}
    )
    state, rotated = rotate_secret(state, secret, {"commonkey": "new-key"})

    out = ctx.run(ctx.on.secret_changed(rotated), state)

    assert environment(out)["OSMRO_DATABASE_COMMONKEY"] == "new-key"


# --- certificates --------------------------------------------------------------------------


def test_certificates_are_pushed_read_only(ctx):
    content = b"-----BEGIN CERTIFICATE-----\n"
    encoded = base64.b64encode(content).decode()
    state = ready_state(config={"certificates": f"vim-ca.pem:{encoded}"})

    out = ctx.run(ctx.on.config_changed(), state)

    pushed = out.get_container("ro").get_filesystem(ctx) / "certs" / "vim-ca.pem"
    assert pushed.read_bytes() == content
    assert stat.S_IMODE(pushed.stat().st_mode) == 0o400


def test_dropped_certificates_are_removed(ctx, tmp_path):
    (tmp_path / "old.pem").write_text("old")
    (tmp_path / "kept.pem").write_text("old content")
    mount = testing.Mount(location="/certs", source=tmp_path)
    container = dataclasses.replace(CONTAINER, mounts={"certs": mount})
    state = ready_state(container=container, config={"certificates": "kept.pem:bmV3"})

    ctx.run(ctx.on.config_changed(), state)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["kept.pem"]
    assert (tmp_path / "kept.pem").read_bytes() == b"new"


def test_certificates_that_cannot_be_written_fail_no_hook(ctx, monkeypatch):
    def refuse(*_: object, **__: object) -> None:
        raise ops.pebble.PathError("permission-denied", "cannot write /certs")

    monkeypatch.setattr(ops.Container, "push", refuse)
    state = ready_state(config={"certificates": "vim-ca.pem:bmV3"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.get_container("ro").service_statuses["ro"] == ops.pebble.ServiceStatus.ACTIVE
    assert "could not write the certificates" in " ".join(line.message for line in ctx.juju_log)


# --- Pebble --------------------------------------------------------------------------------


def test_unreachable_pebble_waits(ctx):
    state = ready_state(container=testing.Container("ro", can_connect=False))

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == testing.WaitingStatus("waiting for pebble to start")


def test_unreachable_pebble_withdraws_the_endpoint(ctx):
    relation = dataclasses.replace(ro_relation(), local_app_data=PUBLISHED)
    container = testing.Container("ro", can_connect=False)
    state = ready_state(relation, container=container, leader=True)

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.get_relation(relation.id).local_app_data == {}


def test_planned_service_that_does_not_run_blocks(ctx):
    container = running_container(running=False)

    out = ctx.run(ctx.on.update_status(), ready_state(container=container))

    assert out.unit_status == testing.BlockedStatus("ro service is not running")


@pytest.mark.parametrize(
    ("published", "status", "expected", "after"),
    [
        (
            PUBLISHED,
            ops.pebble.CheckStatus.DOWN,
            testing.WaitingStatus("ro service is not ready: readiness check failing"),
            {},
        ),
        ({}, ops.pebble.CheckStatus.UP, ACTIVE_INSECURE, PUBLISHED),
    ],
    ids=["failed-withdraws", "recovered-publishes"],
)
def test_readiness_check_decides_the_published_endpoint(ctx, published, status, expected, after):
    relation = dataclasses.replace(ro_relation(), local_app_data=published)
    state = ready_state(relation, container=running_container(), leader=True)

    out = run_check_change(ctx, state, "ro", READY_CHECK, status)

    assert out.unit_status == expected
    assert out.get_relation(relation.id).local_app_data == after


# --- the ro relation -----------------------------------------------------------------------


@pytest.mark.parametrize("leader", [True, False])
def test_endpoint_is_published_by_the_leader_only(ctx, leader):
    relation = ro_relation()
    state = ready_state(relation, container=running_container(), leader=leader)

    out = ctx.run(ctx.on.relation_created(relation), state)

    expected = PUBLISHED if leader else {}
    assert out.get_relation(relation.id).local_app_data == expected


def test_endpoint_is_published_once_the_service_is_planned(ctx):
    relation = ro_relation()
    state = ready_state(relation, leader=True)

    out = ctx.run(ctx.on.pebble_ready(CONTAINER), state)

    assert out.get_relation(relation.id).local_app_data == PUBLISHED


def test_endpoint_is_not_published_without_the_service(ctx):
    relation = ro_relation()
    state = testing.State(containers={CONTAINER}, relations={relation}, leader=True)

    out = ctx.run(ctx.on.relation_created(relation), state)

    assert out.get_relation(relation.id).local_app_data == {}


def test_endpoint_is_withdrawn_when_a_mandatory_relation_breaks(ctx):
    relation = dataclasses.replace(ro_relation(), local_app_data=PUBLISHED)
    state = ready_state(relation, container=running_container(), leader=True)
    mongodb = next(r for r in state.relations if r.endpoint == "mongodb")

    out = ctx.run(ctx.on.relation_broken(mongodb), state)

    assert out.get_relation(relation.id).local_app_data == {}


@pytest.mark.parametrize("leader", [True, False])
def test_leader_and_non_leader_run_the_service(ctx, leader):
    out = ctx.run(ctx.on.config_changed(), ready_state(leader=leader))

    assert out.get_container("ro").service_statuses["ro"] == ops.pebble.ServiceStatus.ACTIVE
    assert out.unit_status == ACTIVE_INSECURE


def test_new_leader_publishes_the_endpoint(ctx):
    relation = ro_relation()
    state = ready_state(relation, container=running_container(), leader=True)

    out = ctx.run(ctx.on.leader_elected(), state)

    assert out.get_relation(relation.id).local_app_data == PUBLISHED


# --- one shape: a bad option does not keep a service running without its relations ---------


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_a_broken_relation_stops_ro_even_with_a_bad_option(ctx, endpoint):
    state = ready_state(container=running_container(), config={"log-level": "loud"})
    relation = next(r for r in state.relations if r.endpoint == endpoint)

    out = ctx.run(ctx.on.relation_broken(relation), state)

    assert out.unit_status.message.startswith("invalid log-level 'loud'")
    assert out.get_container("ro").service_statuses["ro"] == ops.pebble.ServiceStatus.INACTIVE
