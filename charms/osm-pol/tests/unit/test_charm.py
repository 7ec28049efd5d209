# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The osm-pol charm end to end: events in, Pebble plan, storage and status out."""

from __future__ import annotations

import dataclasses
import logging

import ops
import pytest
from helpers import (
    MYSQL_ROOT_PASSWORD,
    MYSQL_UNIT_DATA,
    mysql_relation,
    mysql_uri_secret,
    pol_environment,
    pol_state,
)
from literals import (
    ALIVE_CHECK,
    CONTAINER,
    MYSQL_CONFLICT,
    READY_CHECK,
    SERVICE,
    WAITING_FOR_STORAGE,
)
from ops import testing
from osm_charm_testing import (
    DATA_RELATION_PROBLEMS,
    KAFKA_BOOTSTRAP,
    MONGODB_URI,
    mongodb_relation,
    rotate_secret,
    run_check_change,
    withdraw_answer,
)

SQLITE_URI = "sqlite:////app/database/pol/policy_module.db"
EXTERNAL_URI = "mysql://pol:ext3rnal-pass@mysql.example.com:3306/pol"


def service_status(state: testing.State) -> ops.pebble.ServiceStatus | None:
    return state.get_container(CONTAINER).service_statuses.get(SERVICE)


def started(ctx, container, *extra, **state_args) -> testing.State:
    """The state after pebble-ready, from `pol_state(container, *extra, **state_args)`."""
    return ctx.run(ctx.on.pebble_ready(container), pol_state(container, *extra, **state_args))


# --- the happy path ---------------------------------------------------------------------------


@pytest.mark.parametrize("leader", [True, False])
def test_pebble_ready_with_backends_runs_pol_on_sqlite(ctx, container, tmp_path, leader):
    state_out = started(ctx, container, leader=leader)

    plan = state_out.get_container(CONTAINER).plan
    service = plan.services[SERVICE]
    assert service.command == "/bin/bash scripts/start.sh"
    assert (service.user, service.group) == ("appuser", "appuser")
    assert "working-dir" not in service.to_dict()  # the image's own
    assert service.on_check_failure == {ALIVE_CHECK: "restart"}
    assert pol_environment(state_out) == {
        "OSMPOL_GLOBAL_LOGLEVEL": "INFO",
        "OSMPOL_MESSAGE_DRIVER": "kafka",
        "OSMPOL_MESSAGE_HOST": KAFKA_BOOTSTRAP.split(":")[0],
        "OSMPOL_MESSAGE_PORT": "9092",
        "OSMPOL_DATABASE_DRIVER": "mongo",
        "OSMPOL_DATABASE_URI": MONGODB_URI,
        "OSMPOL_SQL_DATABASE_URI": SQLITE_URI,
    }
    assert service_status(state_out) == ops.pebble.ServiceStatus.ACTIVE
    assert (tmp_path / "pol").is_dir()
    assert state_out.unit_status == testing.ActiveStatus()


def test_checks_run_in_the_service_context_without_the_images_healthcheck(ctx, container):
    state_out = started(ctx, container)

    checks = state_out.get_container(CONTAINER).plan.checks
    assert checks[READY_CHECK].level is ops.pebble.CheckLevel.READY
    assert checks[ALIVE_CHECK].level is ops.pebble.CheckLevel.ALIVE
    for check in (checks[READY_CHECK], checks[ALIVE_CHECK]):
        assert check.exec is not None
        assert check.exec.get("service-context") == SERVICE
        assert "osm-pol-healthcheck" not in check.exec.get("command", "")  # it runs ps


def test_upgrade_charm_reapplies_the_plan(ctx, container):
    state_out = ctx.run(ctx.on.upgrade_charm(), pol_state(container))

    assert pol_environment(state_out)["OSMPOL_SQL_DATABASE_URI"] == SQLITE_URI


# --- mongodb and kafka ------------------------------------------------------------------------


@pytest.mark.parametrize(("mongodb", "kafka", "expected"), DATA_RELATION_PROBLEMS)
def test_absent_relations_block_and_unanswered_ones_wait(ctx, container, mongodb, kafka, expected):
    state_out = started(ctx, container, mongodb=mongodb, kafka=kafka)

    assert state_out.unit_status == expected
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


@pytest.mark.parametrize("name", ["mongodb", "kafka"])
def test_mandatory_relation_broken_stops_pol(ctx, container, name):
    state = started(ctx, container)
    broken = next(relation for relation in state.relations if relation.endpoint == name)

    state_out = ctx.run(ctx.on.relation_broken(broken), state)

    assert service_status(state_out) == ops.pebble.ServiceStatus.INACTIVE
    assert state_out.unit_status == testing.BlockedStatus(f"need {name} relation")


@pytest.mark.parametrize("name", ["mongodb", "kafka"])
def test_provider_withdrawing_its_answer_stops_pol(ctx, container, name):
    state, withdrawn = withdraw_answer(started(ctx, container), name)

    state_out = ctx.run(ctx.on.relation_changed(withdrawn), state)

    assert service_status(state_out) == ops.pebble.ServiceStatus.INACTIVE
    assert state_out.unit_status == testing.WaitingStatus(f"waiting for {name} data")


def test_mongodb_answer_arriving_starts_pol(ctx, container):
    waiting = started(ctx, container, mongodb=False)
    mongodb, secret = mongodb_relation()
    relation = next(r for r in waiting.relations if r.endpoint == "mongodb")
    answered = dataclasses.replace(relation, remote_app_data=mongodb.remote_app_data)
    assert secret is not None
    state = dataclasses.replace(
        waiting,
        relations=(waiting.relations - {relation}) | {answered},
        secrets=waiting.secrets | {secret},
    )

    state_out = ctx.run(ctx.on.relation_changed(answered), state)

    assert pol_environment(state_out)["OSMPOL_DATABASE_URI"] == MONGODB_URI
    assert state_out.unit_status == testing.ActiveStatus()


# --- SQL store: SQLite, mysql relation, mysql-uri ----------------------------------------------


def test_sqlite_needs_the_storage(ctx, container):
    state_out = started(ctx, container, storage=False)

    assert state_out.unit_status == testing.WaitingStatus(WAITING_FOR_STORAGE)
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


def test_storage_attached_starts_pol(ctx, container):
    state = pol_state(container)

    state_out = ctx.run(ctx.on.storage_attached(next(iter(state.storages))), state)

    assert pol_environment(state_out)["OSMPOL_SQL_DATABASE_URI"] == SQLITE_URI
    assert state_out.unit_status == testing.ActiveStatus()


def test_mysql_relation_gives_the_root_uri_of_the_pol_database(ctx, container):
    state_out = started(ctx, container, mysql_relation())

    assert pol_environment(state_out)["OSMPOL_SQL_DATABASE_URI"] == (
        f"mysql://root:{MYSQL_ROOT_PASSWORD}@mariadb-k8s:3306/pol"
    )
    assert state_out.unit_status == testing.ActiveStatus()


def test_mysql_relation_needs_no_storage(ctx, container):
    state_out = started(ctx, container, mysql_relation(), storage=False)

    assert state_out.unit_status == testing.ActiveStatus()


def test_mysql_root_password_is_percent_encoded(ctx, container):
    data = {**MYSQL_UNIT_DATA, "root_password": "p@ss/w:rd"}

    state_out = started(ctx, container, mysql_relation(data))

    assert pol_environment(state_out)["OSMPOL_SQL_DATABASE_URI"] == (
        "mysql://root:p%40ss%2Fw%3Ard@mariadb-k8s:3306/pol"
    )


@pytest.mark.parametrize("missing", ["host", "port", "root_password"])
def test_mysql_relation_without_data_waits_and_leaves_pol_alone(ctx, container, missing):
    state = started(ctx, container)
    incomplete = {key: value for key, value in MYSQL_UNIT_DATA.items() if key != missing}
    relation = mysql_relation(incomplete)
    state = dataclasses.replace(state, relations=state.relations | {relation})

    state_out = ctx.run(ctx.on.relation_changed(relation), state)

    assert state_out.unit_status == testing.WaitingStatus("waiting for mysql data")
    assert pol_environment(state_out)["OSMPOL_SQL_DATABASE_URI"] == SQLITE_URI
    assert service_status(state_out) == ops.pebble.ServiceStatus.ACTIVE


def test_mysql_relation_broken_falls_back_to_sqlite(ctx, container):
    state = started(ctx, container, mysql_relation())
    mysql = next(relation for relation in state.relations if relation.endpoint == "mysql")

    state_out = ctx.run(ctx.on.relation_broken(mysql), state)

    assert pol_environment(state_out)["OSMPOL_SQL_DATABASE_URI"] == SQLITE_URI
    assert state_out.unit_status == testing.ActiveStatus()


def test_mysql_uri_option_is_read_from_its_secret(ctx, container):
    secret = mysql_uri_secret(EXTERNAL_URI)

    state_out = started(
        ctx, container, config={"mysql-uri": secret.id}, secrets=[secret], storage=False
    )

    assert pol_environment(state_out)["OSMPOL_SQL_DATABASE_URI"] == EXTERNAL_URI
    assert state_out.unit_status == testing.ActiveStatus()


def test_rotated_mysql_uri_secret_is_applied_on_secret_changed(ctx, container):
    secret = mysql_uri_secret(EXTERNAL_URI)
    state = started(ctx, container, config={"mysql-uri": secret.id}, secrets=[secret])
    rotated_uri = EXTERNAL_URI.replace("ext3rnal-pass", "r0tated-pass")
    state, rotated = rotate_secret(state, secret, {"uri": rotated_uri})

    state_out = ctx.run(ctx.on.secret_changed(rotated), state)

    assert pol_environment(state_out)["OSMPOL_SQL_DATABASE_URI"] == rotated_uri


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"uri": "mysql://pol@mysql:3306/pol"}, "invalid mysql-uri: use mysql://user:password@"),
        (
            {"uri": "postgres://pol:pw@db:5432/pol"},
            "invalid mysql-uri: use mysql://user:password@",
        ),
        (
            {"uri": "mysql://pol:pw@mysql:99999/pol"},
            "invalid mysql-uri: use mysql://user:password@",
        ),
        ({"url": EXTERNAL_URI}, "mysql-uri: secret has no 'uri' value"),
    ],
)
def test_bad_mysql_uri_secret_blocks_without_showing_it(ctx, container, content, message):
    secret = testing.Secret(tracked_content=content)
    state = started(ctx, container)
    state = dataclasses.replace(
        state, config={"mysql-uri": secret.id}, secrets=state.secrets | {secret}
    )

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert isinstance(state_out.unit_status, testing.BlockedStatus)
    assert state_out.unit_status.message.startswith(message)
    assert "pw@" not in state_out.unit_status.message
    assert pol_environment(state_out)["OSMPOL_SQL_DATABASE_URI"] == SQLITE_URI


def test_mysql_uri_secret_not_granted_blocks(ctx, container):
    state = pol_state(container, config={"mysql-uri": "secret:d2ll1vfmp25c7803s9pg"})

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert state_out.unit_status == testing.BlockedStatus(
        "mysql-uri: secret not found or not granted to this application"
    )


def test_mysql_uri_and_mysql_relation_together_block(ctx, container):
    secret = mysql_uri_secret(EXTERNAL_URI)

    state_out = started(
        ctx,
        container,
        mysql_relation(),
        config={"mysql-uri": secret.id},
        secrets=[secret],
    )

    assert state_out.unit_status == testing.BlockedStatus(MYSQL_CONFLICT)
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


def test_no_password_reaches_the_logs(ctx, container, caplog):
    secret = mysql_uri_secret(EXTERNAL_URI)
    caplog.set_level(logging.DEBUG)

    started(ctx, container, config={"mysql-uri": secret.id}, secrets=[secret])
    started(ctx, container, mysql_relation())

    logged = caplog.text + "".join(line.message for line in ctx.juju_log)
    for password in ("ext3rnal-pass", MYSQL_ROOT_PASSWORD, "test-password"):
        assert password not in logged


# --- config -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("trace", "DEBUG"),
        ("debug", "DEBUG"),
        ("Warn", "WARN"),
        ("ERROR", "ERROR"),
        ("fatal", "FATAL"),
    ],
)
def test_log_level_reaches_pol(ctx, container, level, expected):
    state_out = started(ctx, container, config={"log-level": level})

    assert pol_environment(state_out)["OSMPOL_GLOBAL_LOGLEVEL"] == expected


def test_invalid_log_level_blocks_and_keeps_pol_as_it_was(ctx, container):
    state = started(ctx, container)
    before = pol_environment(state)

    state_out = ctx.run(
        ctx.on.config_changed(), dataclasses.replace(state, config={"log-level": "loud"})
    )

    assert state_out.unit_status.message.startswith("invalid log-level 'loud'")
    assert isinstance(state_out.unit_status, testing.BlockedStatus)
    assert pol_environment(state_out) == before
    assert service_status(state_out) == ops.pebble.ServiceStatus.ACTIVE


# --- Pebble -----------------------------------------------------------------------------------


def test_leader_elected_runs_pol(ctx, container):
    state = pol_state(container)

    state_out = ctx.run(ctx.on.leader_elected(), state)

    assert service_status(state_out) == ops.pebble.ServiceStatus.ACTIVE


def test_sqlite_directory_that_cannot_be_made_leaves_pol_unplanned(ctx, container, monkeypatch):
    def refuse(*_: object, **__: object) -> None:
        raise ops.pebble.PathError("permission-denied", "cannot make the directory")

    monkeypatch.setattr(ops.Container, "make_dir", refuse)

    state_out = started(ctx, container)

    assert SERVICE not in state_out.get_container(CONTAINER).plan.services
    assert state_out.unit_status == testing.BlockedStatus("pol service is not running")


def test_pebble_unreachable_waits(ctx):
    container = testing.Container(CONTAINER, can_connect=False)

    state_out = ctx.run(ctx.on.config_changed(), pol_state(container))

    assert state_out.unit_status == testing.WaitingStatus("waiting for pebble to start")


def test_planned_service_not_running_blocks(ctx, container):
    state = started(ctx, container)
    stopped = dataclasses.replace(
        state.get_container(CONTAINER),
        service_statuses={SERVICE: ops.pebble.ServiceStatus.INACTIVE},
    )

    state_out = ctx.run(ctx.on.update_status(), dataclasses.replace(state, containers={stopped}))

    assert state_out.unit_status == testing.BlockedStatus("pol service is not running")


def test_failing_readiness_check_waits_until_it_recovers(ctx, container):
    state = started(ctx, container)

    failed = run_check_change(ctx, state, CONTAINER, READY_CHECK, ops.pebble.CheckStatus.DOWN)
    recovered = run_check_change(ctx, failed, CONTAINER, READY_CHECK, ops.pebble.CheckStatus.UP)

    assert failed.unit_status == testing.WaitingStatus(
        "pol service is not ready: readiness check failing"
    )
    assert recovered.unit_status == testing.ActiveStatus()


# --- one shape: a bad option does not keep a service running without its relations ---------


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_a_broken_relation_stops_pol_even_with_a_bad_option(ctx, container, endpoint):
    running = started(ctx, container).get_container(CONTAINER)
    state = pol_state(running, config={"log-level": "loud"})
    relation = next(r for r in state.relations if r.endpoint == endpoint)

    out = ctx.run(ctx.on.relation_broken(relation), state)

    assert out.unit_status.message.startswith("invalid log-level 'loud'")
    assert service_status(out) == ops.pebble.ServiceStatus.INACTIVE
