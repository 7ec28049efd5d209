# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The charm through ops.testing: relations, config, workload, statuses and published data."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import ops
import pytest
import yaml
from charms.osm_libs.v0.osm_env import OSM_USER
from literals import CONTAINER, PORT, SERVICE
from ops import testing
from osm_charm_testing import (
    KEYSTONE_DATA,
    MONGODB_URI,
    PASSWORD,
    keystone_relation,
    rotate_mongodb_password,
    run_check_change,
    service_environment,
    withdraw_answer,
)
from workload import ALIVE_CHECK, COMMAND, READY_CHECK, WORKING_DIR

INSECURE = ops.ActiveStatus("insecure default database-commonkey in use")
NOT_RUNNING = ops.BlockedStatus("nbi service is not running")
NOT_READY = ops.WaitingStatus("nbi service is not ready: readiness check failing")
PEBBLE_DOWN = ops.WaitingStatus("waiting for pebble to start")
COMMONKEY = "a-commonkey-for-tests"


@pytest.fixture
def running(ctx, make_state) -> testing.Container:
    """The NBI container as a previous dispatch left it: planned, running, checks up."""
    return ctx.run(ctx.on.config_changed(), make_state()).get_container(CONTAINER)


def nbi_environment(state: testing.State) -> dict[str, str]:
    """The NBI service's environment in the container's plan."""
    return service_environment(state, CONTAINER, SERVICE)


def service_status(state: testing.State) -> ops.pebble.ServiceStatus | None:
    """The NBI service's status in the container (None: never planned)."""
    return state.get_container(CONTAINER).service_statuses.get(SERVICE)


def relation(state: testing.State, endpoint: str) -> testing.Relation:
    """The relation of `state` on `endpoint`."""
    return next(
        r for r in state.relations if r.endpoint == endpoint and isinstance(r, testing.Relation)
    )


def commonkey_secret(content: dict[str, str] | None = None) -> testing.Secret:
    """A user secret granted to the charm, as `database-commonkey` refers to."""
    return testing.Secret(tracked_content=content or {"commonkey": COMMONKEY})


def nbi_relation() -> testing.Relation:
    """The `nbi` relation with an NG-UI."""
    return testing.Relation("nbi", "nbi", remote_app_name="ng-ui")


# --- relations and their data -------------------------------------------------------------


RELATION_STATES = (None, False, True)  # absent, related without data, answered


def expected_status(mongodb: bool | None, kafka: bool | None, keystone: bool | None):
    """The conventions' status for a combination of relation states."""
    relations = {"kafka": kafka, "keystone": keystone, "mongodb": mongodb}
    absent = [name for name in ("kafka", "mongodb") if relations[name] is None]
    if absent:
        noun = "relations" if len(absent) > 1 else "relation"
        return ops.BlockedStatus(f"need {', '.join(absent)} {noun}")
    waiting = [name for name, answered in relations.items() if answered is False]
    if waiting:
        return ops.WaitingStatus(f"waiting for {', '.join(waiting)} data")
    return INSECURE


@pytest.mark.parametrize("keystone", RELATION_STATES)
@pytest.mark.parametrize("kafka", RELATION_STATES)
@pytest.mark.parametrize("mongodb", RELATION_STATES)
def test_every_relation_combination(ctx, make_state, mongodb, kafka, keystone):
    extra = (
        [] if keystone is None else [keystone_relation() if keystone else keystone_relation({})]
    )
    state = make_state(mongodb=mongodb, kafka=kafka, relations=extra)

    out = ctx.run(ctx.on.config_changed(), state)

    expected = expected_status(mongodb, kafka, keystone)
    assert out.unit_status == expected
    runs = service_status(out) is ops.pebble.ServiceStatus.ACTIVE
    assert runs is (expected.name == "active")


def test_all_relations_ready_runs_the_nbi(ctx, make_state):
    state = make_state()

    out = ctx.run(ctx.on.pebble_ready(testing.Container(CONTAINER, can_connect=True)), state)

    service = out.get_container(CONTAINER).plan.services[SERVICE]
    assert (service.command, service.user, service.group) == (COMMAND, OSM_USER, OSM_USER)
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
    assert (plan.services[SERVICE].override, plan.services[SERVICE].startup) == (
        "replace",
        "enabled",
    )
    assert plan.checks[READY_CHECK].level == ops.pebble.CheckLevel.READY
    assert plan.checks[READY_CHECK].http == {"url": f"http://localhost:{PORT}/osm/version"}
    assert plan.checks[ALIVE_CHECK].level == ops.pebble.CheckLevel.ALIVE
    assert plan.checks[ALIVE_CHECK].tcp == {"port": PORT}
    assert plan.services[SERVICE].on_check_failure == {ALIVE_CHECK: "restart"}


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_broken_mandatory_relation_stops_the_nbi(ctx, make_state, running, endpoint):
    state = make_state(containers={running}, relations=[published_nbi_relation()])

    out = ctx.run(ctx.on.relation_broken(relation(state, endpoint)), state)

    assert service_status(out) is ops.pebble.ServiceStatus.INACTIVE
    assert out.unit_status == ops.BlockedStatus(f"need {endpoint} relation")
    assert relation(out, "nbi").local_app_data == {}


def check_statuses(state: testing.State) -> set[ops.pebble.CheckStatus]:
    """The statuses of the NBI container's checks."""
    return {info.status for info in state.get_container(CONTAINER).check_infos}


def test_stopping_the_nbi_stops_its_checks(ctx, make_state, running):
    state = make_state(containers={running})

    out = ctx.run(ctx.on.relation_broken(relation(state, "kafka")), state)

    assert check_statuses(out) == {ops.pebble.CheckStatus.INACTIVE}


def test_restarting_the_nbi_restarts_its_checks(ctx, make_state, running):
    state = make_state(containers={running})
    stopped = ctx.run(ctx.on.relation_broken(relation(state, "kafka")), state)
    state = dataclasses.replace(state, containers={stopped.get_container(CONTAINER)})

    out = ctx.run(ctx.on.relation_changed(relation(state, "kafka")), state)

    assert check_statuses(out) == {ops.pebble.CheckStatus.UP}
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE


@pytest.mark.parametrize(
    ("endpoint", "roles"), [("mongodb", "admin"), ("kafka", "producer,consumer")]
)
def test_leader_requests_the_osm_database_and_topic(ctx, make_state, endpoint, roles):
    state = make_state(mongodb=False, kafka=False)

    out = ctx.run(ctx.on.relation_created(relation(state, endpoint)), state)

    [request] = json.loads(relation(out, endpoint).local_app_data["requests"])
    assert (request["resource"], request["extra-user-roles"]) == ("osm", roles)
    assert out.unit_status == ops.WaitingStatus("waiting for kafka, mongodb data")


@pytest.mark.parametrize("labelled", [True, False], ids=["labelled", "unlabelled"])
def test_mongodb_password_rotation_replans_with_the_new_uri(ctx, make_state, running, labelled):
    """The provider's new revision reaches the environment.

    Whether or not this unit has given the secret its consumer label (the simulator's
    units have not).
    """
    state, rotated = rotate_mongodb_password(
        make_state(containers={running}), "rotated-password", labelled=labelled
    )

    out = ctx.run(ctx.on.secret_changed(rotated), state)

    new_uri = MONGODB_URI.replace(PASSWORD, "rotated-password")
    assert nbi_environment(out)["OSMNBI_DATABASE_URI"] == new_uri
    assert nbi_environment(out)["OSMNBI_STORAGE_URI"] == new_uri
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_provider_answer_starts_the_nbi(ctx, make_state, endpoint):
    state = make_state()

    out = ctx.run(ctx.on.relation_changed(relation(state, endpoint)), state)

    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE
    assert out.unit_status == INSECURE


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_provider_withdrawing_its_answer_stops_the_nbi(ctx, make_state, running, endpoint):
    state, withdrawn = withdraw_answer(make_state(containers={running}), endpoint)

    out = ctx.run(ctx.on.relation_changed(withdrawn), state)

    assert service_status(out) is ops.pebble.ServiceStatus.INACTIVE
    assert out.unit_status == ops.WaitingStatus(f"waiting for {endpoint} data")


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
    keystone = keystone_relation({})
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


# --- prometheus -----------------------------------------------------------------------------


def prometheus_relation(ready: bool = True) -> testing.Relation:
    """The `prometheus` relation; `ready`: the provider has published hostname and port."""
    data = {"hostname": "prometheus", "port": "9090"} if ready else {}
    return testing.Relation(
        "prometheus", "prometheus", remote_app_name="prometheus", remote_app_data=data
    )


def test_a_related_prometheus_is_handed_to_the_nbi(ctx, make_state):
    related = prometheus_relation()
    state = make_state(relations=[related])

    out = ctx.run(ctx.on.relation_changed(related), state)

    env = nbi_environment(out)
    assert (env["OSMNBI_PROMETHEUS_HOST"], env["OSMNBI_PROMETHEUS_PORT"]) == (
        "prometheus",
        "9090",
    )
    assert out.unit_status == INSECURE


def test_a_prometheus_without_data_waits_but_the_nbi_runs(ctx, make_state, running):
    related = prometheus_relation(ready=False)
    state = make_state(containers={running}, relations=[related])

    out = ctx.run(ctx.on.relation_changed(related), state)

    assert out.unit_status == ops.WaitingStatus("waiting for prometheus data")
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE
    assert not any(key.startswith("OSMNBI_PROMETHEUS_") for key in nbi_environment(out))


def test_a_broken_prometheus_relation_returns_the_nbi_to_its_default(ctx, make_state):
    related = prometheus_relation()
    state = make_state(relations=[related])

    out = ctx.run(ctx.on.relation_broken(related), state)

    assert not any(key.startswith("OSMNBI_PROMETHEUS_") for key in nbi_environment(out))
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE


def test_the_prometheus_endpoint_is_optional_and_single():
    charmcraft = yaml.safe_load((Path(__file__).parents[2] / "charmcraft.yaml").read_text())

    assert charmcraft["requires"]["prometheus"] == {
        "interface": "prometheus",
        "optional": True,
        "limit": 1,
    }


# --- config -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "log-level",
            "verbose",
            "invalid log-level 'verbose': use one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL",
        ),
        ("max-body-size", -1, "invalid max-body-size -1: use megabytes, or 0 for no limit"),
        (
            "external-hostname",
            "https://nbi.example.com",
            "invalid external-hostname 'https://nbi.example.com': "
            "use a lower-case DNS name such as nbi.osm.example.com",
        ),
        (
            "tls-secret-name",
            "NBI_TLS",
            "invalid tls-secret-name 'NBI_TLS': use a lower-case DNS name such as nbi-tls",
        ),
    ],
)
def test_invalid_config_blocks_and_leaves_the_nbi_as_it_was(
    ctx, make_state, running, option, value, message
):
    state = make_state(containers={running}, config={option: value})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == ops.BlockedStatus(message)
    assert out.get_container(CONTAINER).plan == running.plan
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE


def test_invalid_config_is_reported_before_missing_relations(ctx, make_state):
    state = make_state(mongodb=None, kafka=None, config={"log-level": "loud"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status.name == "blocked"
    assert out.unit_status.message.startswith("invalid log-level 'loud'")
    assert service_status(out) is None


@pytest.mark.parametrize(
    ("level", "nbi_level"),
    [
        ("trace", "DEBUG"),
        ("Debug", "DEBUG"),
        ("INFO", "INFO"),
        ("warn", "WARN"),
        ("fatal", "FATAL"),
    ],
)
def test_log_level_reaches_the_nbi_in_a_level_python_knows(ctx, make_state, level, nbi_level):
    out = ctx.run(ctx.on.config_changed(), make_state(config={"log-level": level}))

    assert nbi_environment(out)["OSMNBI_LOG_LEVEL"] == nbi_level


def test_config_change_replans_the_running_nbi(ctx, make_state, running):
    state = make_state(containers={running}, config={"log-level": "ERROR"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert nbi_environment(out)["OSMNBI_LOG_LEVEL"] == "ERROR"
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE


# --- database-commonkey -------------------------------------------------------------------


def test_unset_commonkey_uses_the_upstream_default_and_says_so(ctx, make_state):
    out = ctx.run(ctx.on.config_changed(), make_state())

    assert nbi_environment(out)["OSMNBI_DATABASE_COMMONKEY"] == "osm"
    assert out.unit_status == INSECURE


def test_commonkey_secret_not_granted_blocks(ctx, make_state, running):
    not_granted = commonkey_secret()  # exists in the model, but not in this unit's view
    state = make_state(containers={running}, config={"database-commonkey": not_granted.id})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == ops.BlockedStatus(
        "database-commonkey: secret not found or not granted to this application"
    )
    assert out.get_container(CONTAINER).plan == running.plan


def test_commonkey_secret_without_the_key_blocks(ctx, make_state):
    secret = commonkey_secret({"key": COMMONKEY})
    state = make_state(secrets=[secret], config={"database-commonkey": secret.id})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == ops.BlockedStatus(
        "database-commonkey: secret has no 'commonkey' value"
    )
    assert service_status(out) is None


def test_new_commonkey_revision_replans_the_nbi(ctx, make_state, running):
    secret = dataclasses.replace(
        commonkey_secret(), latest_content={"commonkey": "a-rotated-commonkey"}
    )
    state = make_state(
        containers={running}, secrets=[secret], config={"database-commonkey": secret.id}
    )

    out = ctx.run(ctx.on.secret_changed(secret), state)

    assert nbi_environment(out)["OSMNBI_DATABASE_COMMONKEY"] == "a-rotated-commonkey"
    assert out.unit_status == ops.ActiveStatus()


# --- the nbi endpoint, leader and non-leader ----------------------------------------------


def test_leader_publishes_the_nbi_endpoint_when_it_serves(ctx, make_state):
    nbi = nbi_relation()
    state = make_state(relations=[nbi])

    out = ctx.run(ctx.on.relation_created(nbi), state)

    assert out.get_relation(nbi.id).local_app_data == {"host": "osm-nbi", "port": str(PORT)}


def test_non_leader_runs_the_nbi_and_publishes_nothing(ctx, make_state):
    nbi = nbi_relation()
    state = make_state(relations=[nbi], leader=False)

    out = ctx.run(ctx.on.config_changed(), state)

    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE
    assert out.get_relation(nbi.id).local_app_data == {}
    assert out.unit_status == INSECURE


def test_new_leader_publishes_the_endpoint(ctx, make_state, running):
    nbi = nbi_relation()
    state = make_state(relations=[nbi], containers={running})

    out = ctx.run(ctx.on.leader_elected(), state)

    assert out.get_relation(nbi.id).local_app_data == {"host": "osm-nbi", "port": str(PORT)}


def published_nbi_relation() -> testing.Relation:
    """The `nbi` relation with the endpoint published by an earlier dispatch."""
    return testing.Relation(
        "nbi", "nbi", remote_app_name="ng-ui", local_app_data={"host": "osm-nbi", "port": "9999"}
    )


@pytest.mark.parametrize(
    ("nbi", "status", "expected", "published"),
    [
        (published_nbi_relation(), ops.pebble.CheckStatus.DOWN, NOT_READY, {}),
        (nbi_relation(), ops.pebble.CheckStatus.UP, INSECURE, {"host": "osm-nbi", "port": "9999"}),
    ],
    ids=["failed-withdraws", "recovered-publishes"],
)
def test_readiness_check_decides_the_published_endpoint(
    ctx, make_state, running, nbi, status, expected, published
):
    state = make_state(relations=[nbi], containers={running})

    out = run_check_change(ctx, state, CONTAINER, READY_CHECK, status)

    assert out.unit_status == expected
    assert out.get_relation(nbi.id).local_app_data == published


# --- pebble -------------------------------------------------------------------------------


def test_unreachable_pebble_waits_and_publishes_nothing(ctx, make_state):
    nbi = published_nbi_relation()
    state = make_state(relations=[nbi], can_connect=False)

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == PEBBLE_DOWN
    assert out.get_relation(nbi.id).local_app_data == {}
    assert out.opened_ports == {testing.TCPPort(PORT)}


def test_service_that_does_not_start_blocks(ctx, make_state, monkeypatch):
    monkeypatch.setattr(ops.Container, "replan", lambda self: None)
    nbi = nbi_relation()
    state = make_state(relations=[nbi])

    out = ctx.run(ctx.on.config_changed(), state)

    assert SERVICE in out.get_container(CONTAINER).plan.services
    assert out.unit_status == NOT_RUNNING
    assert out.get_relation(nbi.id).local_app_data == {}


def test_pebble_error_while_replanning_does_not_fail_the_hook(ctx, make_state, monkeypatch):
    def fail(_: ops.Container) -> None:
        raise ops.pebble.APIError({}, 500, "Internal Server Error", "cannot start")

    monkeypatch.setattr(ops.Container, "replan", fail)

    out = ctx.run(ctx.on.config_changed(), make_state())

    assert out.unit_status == NOT_RUNNING


def test_upgrade_keeps_the_plan_and_the_service(ctx, make_state, running):
    out = ctx.run(ctx.on.upgrade_charm(), make_state(containers={running}))

    assert out.get_container(CONTAINER).plan == running.plan
    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE
    assert out.unit_status == INSECURE


def test_update_status_restarts_a_stopped_service(ctx, make_state, running):
    stopped = dataclasses.replace(
        running, service_statuses={SERVICE: ops.pebble.ServiceStatus.INACTIVE}
    )

    out = ctx.run(ctx.on.update_status(), make_state(containers={stopped}))

    assert service_status(out) is ops.pebble.ServiceStatus.ACTIVE


# --- nginx-route --------------------------------------------------------------------------


def route_relation(**local: str) -> testing.Relation:
    """The `nginx-route` relation with an nginx-ingress-integrator."""
    return testing.Relation(
        "nginx-route", "nginx-route", remote_app_name="ingress", local_app_data=local
    )


def test_route_defaults_to_the_application_name(ctx, make_state):
    route = route_relation()

    out = ctx.run(ctx.on.relation_created(route), make_state(relations=[route]))

    assert out.get_relation(route.id).local_app_data == {
        "service-hostname": "osm-nbi",
        "service-name": "osm-nbi",
        "service-namespace": out.model.name,
        "service-port": str(PORT),
        "max-body-size": "20",
    }


def test_route_follows_the_config_and_drops_stale_keys(ctx, make_state):
    route = route_relation(**{"tls-secret-name": "old-tls", "limit-rps": "5"})
    config = {"external-hostname": "nbi.osm.example.com", "max-body-size": 0}
    state = make_state(relations=[route], config=config)

    out = ctx.run(ctx.on.config_changed(), state)

    data = out.get_relation(route.id).local_app_data
    assert data["service-hostname"] == "nbi.osm.example.com"
    assert data["max-body-size"] == "0"
    assert "tls-secret-name" not in data
    assert "limit-rps" not in data


def test_route_carries_the_tls_secret_name(ctx, make_state):
    route = route_relation()
    state = make_state(relations=[route], config={"tls-secret-name": "nbi-tls"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.get_relation(route.id).local_app_data["tls-secret-name"] == "nbi-tls"


def test_route_is_requested_without_the_data_relations(ctx, make_state):
    route = route_relation()
    state = make_state(mongodb=None, kafka=None, relations=[route])

    out = ctx.run(ctx.on.relation_created(route), state)

    assert out.get_relation(route.id).local_app_data["service-name"] == "osm-nbi"


@pytest.mark.parametrize(
    ("leader", "config"), [(False, {}), (True, {"external-hostname": "Not A Host"})]
)
def test_route_is_left_alone_by_non_leaders_and_on_bad_config(ctx, make_state, leader, config):
    route = route_relation(**{"service-hostname": "nbi.before.example.com"})
    state = make_state(relations=[route], leader=leader, config=config)

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.get_relation(route.id).local_app_data == {
        "service-hostname": "nbi.before.example.com"
    }


# --- secrets stay secret ------------------------------------------------------------------


def test_credentials_reach_only_the_workload(ctx, make_state, caplog):
    caplog.set_level(logging.DEBUG)
    secret = commonkey_secret()
    nbi, route = nbi_relation(), route_relation()
    state = make_state(
        relations=[keystone_relation(), nbi, route],
        secrets=[secret],
        config={"database-commonkey": secret.id},
    )

    out = ctx.run(ctx.on.config_changed(), state)

    credentials = (COMMONKEY, PASSWORD, KEYSTONE_DATA["password"])
    env = nbi_environment(out)
    assert all(any(value in text for text in env.values()) for value in credentials)
    databags = [str(dict(r.local_app_data)) for r in out.relations]
    for value in credentials:
        assert value not in caplog.text
        assert not any(value in databag for databag in databags)


# --- one shape: a bad option does not keep a service running without its relations ---------


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_a_broken_relation_stops_the_nbi_even_with_a_bad_option(
    ctx, make_state, running, endpoint
):
    state = make_state(containers={running}, config={"log-level": "loud"})

    out = ctx.run(ctx.on.relation_broken(relation(state, endpoint)), state)

    assert out.unit_status.message.startswith("invalid log-level 'loud'")
    assert service_status(out) is ops.pebble.ServiceStatus.INACTIVE
