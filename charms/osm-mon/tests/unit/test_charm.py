# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import dataclasses
import json

import ops
import pytest
from charm import OsmMonCharm
from conftest import FQDN, StateFactory, running_container, user_secret
from ops import testing
from osm_charm_testing import (
    KEYSTONE_DATA,
    MONGODB_URI,
    PASSWORD,
    VCA_DATA,
    keystone_relation,
    rotate_mongodb_password,
    run_check_change,
    service_environment,
    vca_relation,
    withdraw_answer,
)
from workload_standins import keystone_enabled

Ctx = testing.Context[OsmMonCharm]
INSECURE = testing.ActiveStatus("insecure default database-commonkey in use")


def mon_container(state: testing.State) -> testing.Container:
    return state.get_container("mon")


SERVICES = ("mon-server", "mon-evaluator", "mon-collector", "mon-dashboarder")


def mon_environment(state: testing.State) -> dict[str, str]:
    """The environment of MON's processes (every service has the same)."""
    [environment] = {
        tuple(sorted(service_environment(state, "mon", service).items())) for service in SERVICES
    }
    return dict(environment)


def statuses(state: testing.State) -> set[ops.pebble.ServiceStatus]:
    """The statuses of MON's services, each service once."""
    container = mon_container(state)
    assert set(container.service_statuses) == set(SERVICES)
    return set(container.service_statuses.values())


def scrape_relation() -> testing.Relation:
    return testing.Relation("metrics-endpoint", remote_app_name="prometheus")


# Planning the workload


def test_pebble_ready_runs_each_mon_process_as_a_service(ctx: Ctx, make_state: StateFactory):
    state = make_state()

    out = ctx.run(ctx.on.pebble_ready(mon_container(state)), state)

    plan = mon_container(out).plan
    assert {name: service.command for name, service in plan.services.items()} == {
        "mon-server": "osm-mon-server",
        "mon-evaluator": "osm-mon-evaluator",
        "mon-collector": "osm-mon-collector",
        "mon-dashboarder": "osm-mon-dashboarder",
    }
    assert not any("working-dir" in service.to_dict() for service in plan.services.values())
    assert statuses(out) == {ops.pebble.ServiceStatus.ACTIVE}
    assert set(plan.checks) == {
        f"{service}-{level}" for service in SERVICES for level in ("ready", "alive")
    }
    assert out.opened_ports == {testing.TCPPort(8000)}


def test_environment_with_defaults(ctx: Ctx, make_state: StateFactory):
    state = make_state()

    out = ctx.run(ctx.on.config_changed(), state)

    assert mon_environment(out) == {
        "OSMMON_GLOBAL_LOGLEVEL": "INFO",
        "OSMMON_OPENSTACK_DEFAULT_GRANULARITY": "300",
        "OSMMON_GLOBAL_REQUEST_TIMEOUT": "10",
        "OSMMON_COLLECTOR_INTERVAL": "30",
        "OSMMON_EVALUATOR_INTERVAL": "30",
        "OSMMON_COLLECTOR_VM_INFRA_METRICS": "true",
        "OSMMON_MESSAGE_DRIVER": "kafka",
        "OSMMON_MESSAGE_HOST": "kafka-0.kafka-endpoints",
        "OSMMON_MESSAGE_PORT": "9092",
        "OSMMON_DATABASE_DRIVER": "mongo",
        "OSMMON_DATABASE_URI": MONGODB_URI,
        "OSMMON_DATABASE_COMMONKEY": "osm",
        "OSMMON_PROMETHEUS_URL": "http://prometheus:9090",
        "OSMMON_GRAFANA_URL": "http://grafana:3000",
        "OSMMON_GRAFANA_USER": "admin",
    }
    assert out.unit_status == INSECURE


def test_options_reach_the_environment(ctx: Ctx, make_state: StateFactory):
    config = {
        "log-level": "trace",
        "openstack-default-granularity": 60,
        "global-request-timeout": 5,
        "collector-interval": 15,
        "evaluator-interval": 45,
        "vm-infra-metrics": False,
        "grafana-url": "https://grafana.example.com/",
        "grafana-user": "osm",
    }

    out = ctx.run(ctx.on.config_changed(), make_state(config=config))

    environment = mon_environment(out)
    assert environment["OSMMON_GLOBAL_LOGLEVEL"] == "DEBUG"  # Python logging has no TRACE
    assert environment["OSMMON_OPENSTACK_DEFAULT_GRANULARITY"] == "60"
    assert environment["OSMMON_GLOBAL_REQUEST_TIMEOUT"] == "5"
    assert environment["OSMMON_COLLECTOR_INTERVAL"] == "15"
    assert environment["OSMMON_EVALUATOR_INTERVAL"] == "45"
    assert environment["OSMMON_COLLECTOR_VM_INFRA_METRICS"] == "false"
    assert environment["OSMMON_GRAFANA_URL"] == "https://grafana.example.com"
    assert environment["OSMMON_GRAFANA_USER"] == "osm"


def test_unchanged_inputs_leave_the_plan_alone(ctx: Ctx, make_state: StateFactory):
    first = ctx.run(ctx.on.config_changed(), make_state())

    second = ctx.run(ctx.on.upgrade_charm(), first)

    assert mon_container(second).plan == mon_container(first).plan
    assert statuses(second) == {ops.pebble.ServiceStatus.ACTIVE}


def test_non_leader_runs_mon_too(ctx: Ctx, make_state: StateFactory):
    out = ctx.run(ctx.on.config_changed(), make_state(leader=False))

    assert statuses(out) == {ops.pebble.ServiceStatus.ACTIVE}


# Secrets


def test_commonkey_secret_goes_to_the_environment_only(ctx: Ctx, make_state: StateFactory):
    secret = user_secret(commonkey="k3y-value")
    state = make_state(secrets=[secret], config={"database-commonkey": secret.id})

    out = ctx.run(ctx.on.config_changed(), state)

    assert mon_environment(out)["OSMMON_DATABASE_COMMONKEY"] == "k3y-value"
    assert out.unit_status == testing.ActiveStatus()
    logged = " ".join(log.message for log in ctx.juju_log)
    assert "k3y-value" not in logged
    assert PASSWORD not in logged


def test_new_commonkey_revision_is_applied_on_secret_changed(ctx: Ctx, make_state: StateFactory):
    secret = testing.Secret(
        tracked_content={"commonkey": "old"}, latest_content={"commonkey": "new"}
    )
    state = make_state(secrets=[secret], config={"database-commonkey": secret.id})

    out = ctx.run(ctx.on.secret_changed(secret), state)

    assert mon_environment(out)["OSMMON_DATABASE_COMMONKEY"] == "new"


@pytest.mark.parametrize("labelled", [True, False], ids=["labelled", "unlabelled"])
def test_mongodb_password_rotation_reaches_every_mon_process(
    ctx: Ctx, make_state: StateFactory, labelled: bool
):
    running = ctx.run(ctx.on.config_changed(), make_state())
    state, rotated = rotate_mongodb_password(running, "rotated-password", labelled=labelled)

    out = ctx.run(ctx.on.secret_changed(rotated), state)

    new_uri = MONGODB_URI.replace(f":{PASSWORD}@", ":rotated-password@")
    assert mon_environment(out)["OSMMON_DATABASE_URI"] == new_uri
    assert statuses(out) == {ops.pebble.ServiceStatus.ACTIVE}


def test_grafana_password_secret_goes_to_the_environment(ctx: Ctx, make_state: StateFactory):
    secret = user_secret(password="graf-pass")
    state = make_state(secrets=[secret], config={"grafana-password": secret.id})

    out = ctx.run(ctx.on.config_changed(), state)

    assert mon_environment(out)["OSMMON_GRAFANA_PASSWORD"] == "graf-pass"


@pytest.mark.parametrize(
    ("option", "content", "message"),
    [
        ("database-commonkey", None, "database-commonkey: secret not found or not granted"),
        ("database-commonkey", {"other": "x"}, "database-commonkey: secret has no 'commonkey'"),
        ("grafana-password", None, "grafana-password: secret not found or not granted"),
        ("grafana-password", {"pass": "x"}, "grafana-password: secret has no 'password'"),
    ],
)
def test_unusable_secret_blocks_naming_the_option(
    ctx: Ctx, make_state: StateFactory, option: str, content: dict[str, str] | None, message: str
):
    secret = user_secret(**(content or {"unused": "x"}))
    secrets = [secret] if content is not None else []  # absent from the model: not granted
    state = make_state(secrets=secrets, config={option: secret.id})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status.name == "blocked"
    assert out.unit_status.message.startswith(message)


# Prometheus: relation or option


def test_prometheus_url_option_replaces_the_relation(ctx: Ctx, make_state: StateFactory):
    state = make_state(prometheus=None, config={"prometheus-url": "http://prom.example:9090/"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert mon_environment(out)["OSMMON_PROMETHEUS_URL"] == "http://prom.example:9090"
    assert out.unit_status.name == "active"


def test_prometheus_url_and_relation_together_block(ctx: Ctx, make_state: StateFactory):
    state = make_state(config={"prometheus-url": "http://prom.example:9090"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == testing.BlockedStatus(
        "prometheus-url is set and a prometheus relation exists: use one"
    )


# Missing relations and data


@pytest.mark.parametrize(
    ("absent", "message"),
    [
        ({"mongodb"}, "need mongodb relation"),
        ({"kafka"}, "need kafka relation"),
        ({"prometheus"}, "need prometheus relation"),
        ({"mongodb", "kafka", "prometheus"}, "need kafka, mongodb, prometheus relations"),
    ],
)
def test_missing_mandatory_relations_block(
    ctx: Ctx, make_state: StateFactory, absent: set[str], message: str
):
    state = make_state(**dict.fromkeys(absent))

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == testing.BlockedStatus(message)
    assert mon_container(out).layers == {}


@pytest.mark.parametrize(
    ("unanswered", "relations", "message"),
    [
        ({"mongodb": False}, [], "waiting for mongodb data"),
        ({"kafka": False}, [], "waiting for kafka data"),
        ({"prometheus": False}, [], "waiting for prometheus data"),
        ({}, [keystone_relation({"host": KEYSTONE_DATA["host"]})], "waiting for keystone data"),
        ({}, [vca_relation({"endpoints": VCA_DATA["endpoints"]})], "waiting for vca data"),
        ({"mongodb": False, "kafka": False}, [], "waiting for kafka, mongodb data"),
    ],
)
def test_related_but_unanswered_waits(
    ctx: Ctx,
    make_state: StateFactory,
    unanswered: dict[str, bool],
    relations: list[testing.Relation],
    message: str,
):
    state = make_state(relations=relations, **unanswered)

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == testing.WaitingStatus(message)
    assert mon_container(out).layers == {}


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka", "prometheus"])
def test_broken_mandatory_relation_stops_mon(ctx: Ctx, make_state: StateFactory, endpoint: str):
    state = make_state(containers={running_container()})
    relation = next(r for r in state.relations if r.endpoint == endpoint)

    out = ctx.run(ctx.on.relation_broken(relation), state)

    assert statuses(out) == {ops.pebble.ServiceStatus.INACTIVE}
    assert out.unit_status == testing.BlockedStatus(f"need {endpoint} relation")


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_provider_withdrawing_its_answer_stops_mon(
    ctx: Ctx, make_state: StateFactory, endpoint: str
):
    state, withdrawn = withdraw_answer(make_state(containers={running_container()}), endpoint)

    out = ctx.run(ctx.on.relation_changed(withdrawn), state)

    assert statuses(out) == {ops.pebble.ServiceStatus.INACTIVE}
    assert out.unit_status == testing.WaitingStatus(f"waiting for {endpoint} data")


# Optional relations


def test_keystone_relation_enables_keystone(ctx: Ctx, make_state: StateFactory):
    relation = keystone_relation()
    state = make_state(relations=[relation])

    out = ctx.run(ctx.on.relation_changed(relation), state)

    environment = mon_environment(out)
    assert {key: value for key, value in environment.items() if "KEYSTONE" in key} == {
        "OSMMON_KEYSTONE_ENABLED": "true",
        "OSMMON_KEYSTONE_URL": KEYSTONE_DATA["host"],
        "OSMMON_KEYSTONE_DOMAIN_NAME": KEYSTONE_DATA["user_domain_name"],
        "OSMMON_KEYSTONE_SERVICE_PROJECT_DOMAIN_NAME": KEYSTONE_DATA["project_domain_name"],
        "OSMMON_KEYSTONE_SERVICE_USER": KEYSTONE_DATA["username"],
        "OSMMON_KEYSTONE_SERVICE_PASSWORD": KEYSTONE_DATA["password"],
        "OSMMON_KEYSTONE_SERVICE_PROJECT": KEYSTONE_DATA["service"],
    }


def test_broken_keystone_relation_disables_keystone(ctx: Ctx, make_state: StateFactory):
    relation = keystone_relation()
    state = make_state(relations=[relation])

    out = ctx.run(ctx.on.relation_broken(relation), state)

    environment = mon_environment(out)
    assert not any(key.startswith("OSMMON_KEYSTONE_") for key in environment)
    assert keystone_enabled(environment) is False


def test_vca_relation_gives_the_controller(ctx: Ctx, make_state: StateFactory):
    relation = vca_relation()
    state = make_state(relations=[relation])

    out = ctx.run(ctx.on.relation_changed(relation), state)

    environment = mon_environment(out)
    assert environment["OSMMON_VCA_HOST"] == VCA_DATA["endpoints"]
    assert environment["OSMMON_VCA_USER"] == VCA_DATA["user"]
    assert environment["OSMMON_VCA_SECRET"] == VCA_DATA["secret"]
    assert environment["OSMMON_VCA_CACERT"] == VCA_DATA["cacert"]


def test_malformed_vca_relation_blocks_and_stops_mon(ctx: Ctx, make_state: StateFactory):
    relation = vca_relation({**VCA_DATA, "model-configs": "{oops"})
    state = make_state(relations=[relation], containers={running_container()})

    out = ctx.run(ctx.on.relation_changed(relation), state)

    assert out.unit_status == testing.BlockedStatus("invalid vca relation model-configs: not JSON")
    assert statuses(out) == {ops.pebble.ServiceStatus.INACTIVE}


def test_broken_vca_relation_removes_the_controller(ctx: Ctx, make_state: StateFactory):
    relation = vca_relation()
    state = make_state(relations=[relation])

    out = ctx.run(ctx.on.relation_broken(relation), state)

    assert not any(key.startswith("OSMMON_VCA_") for key in mon_environment(out))
    assert out.unit_status.name == "active"


# metrics-endpoint (prometheus_scrape)


def test_leader_publishes_the_scrape_job_and_its_unit(ctx: Ctx, make_state: StateFactory):
    relation = scrape_relation()
    state = make_state(relations=[relation])

    out = ctx.run(ctx.on.relation_created(relation), state)

    published = out.get_relation(relation.id)
    assert json.loads(published.local_app_data["scrape_jobs"]) == [
        {
            "job_name": "collector",
            "metrics_path": "/metrics",
            "static_configs": [{"targets": ["*:8000"]}],
        }
    ]
    assert json.loads(published.local_app_data["scrape_metadata"]) == {
        "model": out.model.name,
        "model_uuid": out.model.uuid,
        "application": "osm-mon",
        "unit": "osm-mon/0",
        "charm_name": "osm-mon",
    }
    assert published.local_unit_data == {
        **testing.Relation("x").local_unit_data,  # Juju's own keys (ingress-address, ...)
        "prometheus_scrape_unit_address": FQDN,
        "prometheus_scrape_unit_name": "osm-mon/0",
        "prometheus_scrape_unit_fqdn": FQDN,
    }


def test_non_leader_publishes_only_its_unit(ctx: Ctx, make_state: StateFactory):
    relation = scrape_relation()
    state = make_state(leader=False, relations=[relation])

    out = ctx.run(ctx.on.relation_created(relation), state)

    published = out.get_relation(relation.id)
    assert published.local_app_data == {}
    assert published.local_unit_data["prometheus_scrape_unit_address"] == FQDN


def test_scrape_job_is_published_before_mon_can_run(ctx: Ctx, make_state: StateFactory):
    relation = scrape_relation()
    state = make_state(mongodb=None, relations=[relation])

    out = ctx.run(ctx.on.relation_created(relation), state)

    assert "scrape_jobs" in out.get_relation(relation.id).local_app_data


# Configuration errors


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("log-level", "chatty", "invalid log-level 'chatty'"),
        ("collector-interval", 0, "invalid collector-interval 0"),
        ("evaluator-interval", -5, "invalid evaluator-interval -5"),
        ("global-request-timeout", 0, "invalid global-request-timeout 0"),
        ("openstack-default-granularity", -1, "invalid openstack-default-granularity -1"),
        ("grafana-url", "grafana:3000", "invalid grafana-url 'grafana:3000'"),
        ("grafana-url", "http://admin:pw@grafana:3000", "invalid grafana-url: credentials"),
        ("grafana-user", " ", "invalid grafana-user ''"),
        ("prometheus-url", "ftp://prom", "invalid prometheus-url 'ftp://prom'"),
    ],
)
def test_invalid_option_blocks_naming_it(
    ctx: Ctx, make_state: StateFactory, option: str, value: str | int, message: str
):
    out = ctx.run(ctx.on.config_changed(), make_state(config={option: value}))

    assert out.unit_status.name == "blocked"
    assert out.unit_status.message.startswith(message)
    assert mon_container(out).layers == {}


def test_invalid_option_leaves_the_running_mon_alone(ctx: Ctx, make_state: StateFactory):
    container = running_container()
    state = make_state(containers={container}, config={"log-level": "chatty"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert mon_container(out).plan == container.plan
    assert statuses(out) == {ops.pebble.ServiceStatus.ACTIVE}


# Workload health


def test_unreachable_pebble_waits(ctx: Ctx, make_state: StateFactory):
    out = ctx.run(ctx.on.config_changed(), make_state(can_connect=False))

    assert out.unit_status == testing.WaitingStatus("waiting for pebble to start")


def test_stopped_service_blocks(ctx: Ctx, make_state: StateFactory):
    state = make_state(containers={running_container(running=False)})

    out = ctx.run(ctx.on.update_status(), state)

    assert out.unit_status == testing.BlockedStatus(
        "mon-collector, mon-dashboarder, mon-evaluator, mon-server services are not running"
    )


def test_each_stopped_process_is_named(ctx: Ctx, make_state: StateFactory):
    container = running_container()
    stopped = {**container.service_statuses, "mon-evaluator": ops.pebble.ServiceStatus.ERROR}
    state = make_state(containers={dataclasses.replace(container, service_statuses=stopped)})

    out = ctx.run(ctx.on.update_status(), state)

    assert out.unit_status == testing.BlockedStatus("mon-evaluator service is not running")


@pytest.mark.parametrize(
    ("check", "status", "expected"),
    [
        (
            "mon-collector-ready",
            ops.pebble.CheckStatus.DOWN,
            testing.WaitingStatus("mon-collector service is not ready: readiness check failing"),
        ),
        (
            "mon-server-ready",
            ops.pebble.CheckStatus.DOWN,
            testing.WaitingStatus("mon-server service is not ready: readiness check failing"),
        ),
        ("mon-collector-ready", ops.pebble.CheckStatus.UP, INSECURE),
    ],
    ids=["collector-failed", "server-failed", "recovered"],
)
def test_readiness_check_events(
    ctx: Ctx,
    make_state: StateFactory,
    check: str,
    status: ops.pebble.CheckStatus,
    expected: ops.StatusBase,
):
    state = make_state(containers={running_container()})

    out = run_check_change(ctx, state, "mon", check, status)

    assert out.unit_status == expected


# One shape: a bad option does not keep a service running without its relations


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka", "prometheus"])
def test_a_broken_relation_stops_mon_even_with_a_bad_option(
    ctx: Ctx, make_state: StateFactory, endpoint: str
):
    state = make_state(containers={running_container()}, config={"log-level": "loud"})
    relation = next(r for r in state.relations if r.endpoint == endpoint)

    out = ctx.run(ctx.on.relation_broken(relation), state)

    assert out.unit_status.message.startswith("invalid log-level 'loud'")
    assert statuses(out) == {ops.pebble.ServiceStatus.INACTIVE}
