# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The charm through ops.testing: relations, config, workload, statuses and published data."""

from __future__ import annotations

import dataclasses

import ops
import pytest
from charms.osm_libs.v0.testing import MONGODB_URI, PASSWORD
from literals import CONTAINER, PORT, SERVICE
from ops import testing
from workload import ALIVE_CHECK, COMMAND, READY_CHECK, USER, WORKING_DIR

INSECURE = ops.ActiveStatus("insecure default database-commonkey in use")
NOT_RUNNING = ops.BlockedStatus("nbi service is not running")
NOT_READY = ops.WaitingStatus("nbi service is not ready: readiness check failing")
PEBBLE_DOWN = ops.WaitingStatus("waiting for pebble to start")
COMMONKEY = "a-commonkey-for-tests"
KEYSTONE_DATA = {
    "host": "http://keystone:5000/v3",
    "port": "5000",
    "user_domain_name": "default",
    "project_domain_name": "default",
    "username": "nbi",
    "password": "keystone-service-password",
    "service": "service",
    "keystone_db_password": "keystone-db-password",
    "region_id": "RegionOne",
    "admin_username": "admin",
    "admin_password": "keystone-admin-password",
    "admin_project_name": "admin",
}


def keystone_relation(data: dict[str, str] | None = None) -> testing.Relation:
    """A `keystone` relation whose provider published `data` (all twelve keys by default)."""
    return testing.Relation(
        "keystone",
        "keystone",
        remote_app_name="keystone",
        remote_app_data=KEYSTONE_DATA if data is None else data,
    )


@pytest.fixture
def running(ctx, make_state) -> testing.Container:
    """The NBI container as a previous dispatch left it: planned, running, checks up."""
    return ctx.run(ctx.on.config_changed(), make_state()).get_container(CONTAINER)


def with_check(container: testing.Container, name: str, status: ops.pebble.CheckStatus):
    """`container` with check `name` in `status`."""
    infos = {
        dataclasses.replace(info, status=status) if info.name == name else info
        for info in container.check_infos
    }
    return dataclasses.replace(container, check_infos=infos)


def nbi_environment(state: testing.State) -> dict[str, str]:
    """The NBI service's environment in the container's plan."""
    return dict(state.get_container(CONTAINER).plan.services[SERVICE].environment)


def service_status(state: testing.State) -> ops.pebble.ServiceStatus | None:
    """The NBI service's status in the container (None: never planned)."""
    return state.get_container(CONTAINER).service_statuses.get(SERVICE)


def relation(state: testing.State, endpoint: str) -> testing.Relation:
    """The relation of `state` on `endpoint`."""
    return next(
        r for r in state.relations if r.endpoint == endpoint and isinstance(r, testing.Relation)
    )


def data_secret(state: testing.State, endpoint: str) -> testing.Secret:
    """The provider's `secret-user` secret of the data relation on `endpoint`."""
    return next(s for s in state.secrets if (s.label or "").startswith(f"{endpoint}."))


def commonkey_secret(content: dict[str, str] | None = None) -> testing.Secret:
    """A user secret granted to the charm, as `database-commonkey` refers to."""
    return testing.Secret(tracked_content=content or {"commonkey": COMMONKEY})


def nbi_relation() -> testing.Relation:
    """The `nbi` relation with an NG-UI."""
    return testing.Relation("nbi", "nbi", remote_app_name="ng-ui")


# --- relations and their data -------------------------------------------------------------


@pytest.mark.parametrize(
    ("mongodb", "kafka", "message"),
    [
        (None, None, "need kafka, mongodb relations"),
        (None, True, "need mongodb relation"),
        (True, None, "need kafka relation"),
        (None, False, "need mongodb relation"),
    ],
)
def test_missing_mandatory_relations_block(ctx, make_state, mongodb, kafka, message):
    state = make_state(mongodb=mongodb, kafka=kafka)

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == ops.BlockedStatus(message)
    assert service_status(out) is None


@pytest.mark.parametrize(
    ("mongodb", "kafka", "message"),
    [
        (False, False, "waiting for kafka, mongodb data"),
        (False, True, "waiting for mongodb data"),
        (True, False, "waiting for kafka data"),
    ],
)
def test_relations_without_data_wait(ctx, make_state, mongodb, kafka, message):
    state = make_state(mongodb=mongodb, kafka=kafka)

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == ops.WaitingStatus(message)
    assert service_status(out) is None


def test_all_relations_ready_runs_the_nbi(ctx, make_state):
    state = make_state()

    out = ctx.run(ctx.on.pebble_ready(testing.Container(CONTAINER, can_connect=True)), state)

    service = out.get_container(CONTAINER).plan.services[SERVICE]
    assert (service.command, service.user, service.group) == (COMMAND, USER, USER)
    assert service.working_dir == WORKING_DIR
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE
    assert out.unit_status == INSECURE
    assert out.opened_ports == {testing.TCPPort(PORT)}


def test_environment_comes_from_relations_and_config(ctx, make_state):
    secret = commonkey_secret()
    state = make_state(
        secrets=[secret], config={"database-commonkey": secret.id, "log-level": "debug"}
    )

    out = ctx.run(ctx.on.config_changed(), state)

    env = nbi_environment(out)
    assert env["OSMNBI_DATABASE_URI"] == MONGODB_URI
    assert env["OSMNBI_STORAGE_URI"] == MONGODB_URI
    assert (env["OSMNBI_MESSAGE_HOST"], env["OSMNBI_MESSAGE_PORT"]) == (
        "kafka-0.kafka-endpoints",
        "9092",
    )
    assert env["OSMNBI_DATABASE_COMMONKEY"] == COMMONKEY
    assert env["OSMNBI_LOG_LEVEL"] == "DEBUG"
    assert env["OSMNBI_AUTHENTICATION_BACKEND"] == "internal"
    assert out.unit_status == ops.ActiveStatus()


def test_the_plan_has_readiness_and_liveness_checks(ctx, make_state):
    out = ctx.run(ctx.on.config_changed(), make_state())

    plan = out.get_container(CONTAINER).plan
    assert plan.checks[READY_CHECK].level == ops.pebble.CheckLevel.READY
    assert plan.checks[READY_CHECK].http == {"url": f"http://localhost:{PORT}/osm/version"}
    assert plan.checks[ALIVE_CHECK].level == ops.pebble.CheckLevel.ALIVE
    assert plan.services[SERVICE].on_check_failure == {ALIVE_CHECK: "restart"}


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_broken_mandatory_relation_stops_the_nbi(ctx, make_state, running, endpoint):
    state = make_state(containers={running}, relations=[nbi_relation()])

    out = ctx.run(ctx.on.relation_broken(relation(state, endpoint)), state)

    assert service_status(out) is ops.pebble.ServiceStatus.INACTIVE
    assert out.unit_status == ops.BlockedStatus(f"need {endpoint} relation")
    assert relation(out, "nbi").local_app_data == {}


def test_mongodb_password_rotation_replans_with_the_new_uri(ctx, make_state, running):
    state = make_state(containers={running})
    secret = data_secret(state, "mongodb")
    new_uri = MONGODB_URI.replace(PASSWORD, "rotated-password")
    rotated = dataclasses.replace(
        secret,
        latest_content={**secret.tracked_content, "password": "rotated-password", "uris": new_uri},
    )
    state = dataclasses.replace(
        state, secrets={rotated, *(s for s in state.secrets if s != secret)}
    )

    out = ctx.run(ctx.on.secret_changed(rotated), state)

    assert nbi_environment(out)["OSMNBI_DATABASE_URI"] == new_uri
    assert nbi_environment(out)["OSMNBI_STORAGE_URI"] == new_uri
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_provider_answer_starts_the_nbi(ctx, make_state, endpoint):
    state = make_state()

    out = ctx.run(ctx.on.relation_changed(relation(state, endpoint)), state)

    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE
    assert out.unit_status == INSECURE


# --- keystone -----------------------------------------------------------------------------


def test_keystone_relation_switches_to_keystone_authentication(ctx, make_state, running):
    keystone = keystone_relation()
    state = make_state(relations=[keystone], containers={running})

    out = ctx.run(ctx.on.relation_changed(keystone), state)

    env = nbi_environment(out)
    assert env["OSMNBI_AUTHENTICATION_BACKEND"] == "keystone"
    assert env["OSMNBI_AUTHENTICATION_AUTH_URL"] == KEYSTONE_DATA["host"]
    assert env["OSMNBI_AUTHENTICATION_SERVICE_PASSWORD"] == KEYSTONE_DATA["password"]
    assert out.unit_status == INSECURE


def test_keystone_relation_without_data_waits_and_stops_the_nbi(ctx, make_state, running):
    keystone = keystone_relation(data={})
    state = make_state(relations=[keystone], containers={running})

    out = ctx.run(ctx.on.relation_changed(keystone), state)

    assert out.unit_status == ops.WaitingStatus("waiting for keystone data")
    assert service_status(out) is ops.pebble.ServiceStatus.INACTIVE


def test_keystone_relation_broken_returns_to_internal_authentication(ctx, make_state):
    keystone = keystone_relation()
    state = make_state(relations=[keystone])

    out = ctx.run(ctx.on.relation_broken(keystone), state)

    env = nbi_environment(out)
    assert env["OSMNBI_AUTHENTICATION_BACKEND"] == "internal"
    assert not any(key.startswith("OSMNBI_AUTHENTICATION_AUTH") for key in env)
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE
