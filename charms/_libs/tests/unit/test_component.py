# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""charms.osm_libs.v0.component: events, relation statuses, service and status."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator

import ops
import pytest
from charms.osm_libs.v0 import component
from charms.osm_libs.v0.pebble_service import (
    READY,
    Service,
    http_check,
    service_layer,
    services_layer,
)
from ops import testing

META = {
    "name": "component",
    "containers": {"workload": {}},
    "requires": {"db": {"interface": "db"}, "bus": {"interface": "bus"}},
}
LAYER = service_layer(
    "component",
    "svc",
    {"command": "sleep inf"},
    {"svc-ready": http_check(READY, "http://localhost:1/", period="10s", threshold=3)},
)
SETTINGS = "settings"  # what the workload is built from; any value but None
INSECURE = "insecure default in use"


class ComponentCharm(ops.CharmBase):
    """Routes the library's reconcile events (plus the relations') to one handler."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.events = component.reconcile_events(
            self,
            "workload",
            self.on["db"].relation_changed,
            self.on.config_changed,  # also in the library's list
        )
        self.reconciled: list[str] = []
        for event in self.events:
            framework.observe(event, self._record)

    def _record(self, event: ops.EventBase) -> None:
        self.reconciled.append(event.handle.kind)


@pytest.fixture
def ctx() -> testing.Context[ComponentCharm]:
    return testing.Context(ComponentCharm, meta=META)


def workload(can_connect: bool = True) -> testing.Container:
    return testing.Container("workload", can_connect=can_connect)


def running(ctx: testing.Context[ComponentCharm]) -> testing.Container:
    """The container once the layer is planned: service running, readiness check up."""
    with ctx(ctx.on.update_status(), testing.State(containers={workload()})) as manager:
        component.reconcile_service(
            manager.charm.unit.get_container("workload"), "svc", "svc", LAYER, stop=False
        )
        return manager.run().get_container("workload")


# --- reconcile_events ----------------------------------------------------------------------


def test_reconcile_events_are_pebble_config_upgrade_and_more_each_once(ctx):
    with ctx(ctx.on.update_status(), testing.State(containers={workload()})) as manager:
        kinds = [event.event_kind for event in manager.charm.events]

    assert kinds == [
        "workload_pebble_ready",
        "workload_pebble_check_failed",
        "workload_pebble_check_recovered",
        "config_changed",
        "upgrade_charm",
        "db_relation_changed",
    ]


def test_an_extra_event_reaches_the_handler(ctx):
    relation = testing.Relation("db")
    state = testing.State(containers={workload()}, relations={relation})

    with ctx(ctx.on.relation_changed(relation), state) as manager:
        manager.run()
        reconciled = manager.charm.reconciled

    assert reconciled == ["db_relation_changed"]


# --- relation_problems ---------------------------------------------------------------------


@pytest.fixture
def relation() -> Iterator[ops.Relation]:
    """A relation as a charm sees it (relation_problems only asks whether there is one)."""
    ctx = testing.Context(ComponentCharm, meta=META)
    state = testing.State(containers={workload()}, relations={testing.Relation("db")})
    with ctx(ctx.on.update_status(), state) as manager:
        yield manager.charm.model.relations["db"][0]


ABSENT, UNANSWERED, ANSWERED = "absent", "unanswered", "answered"


@pytest.mark.parametrize(
    ("relations", "expected"),
    [
        ({"db": ANSWERED, "bus": ANSWERED}, ()),
        ({"db": ABSENT, "bus": ABSENT}, (ops.BlockedStatus("need bus, db relations"),)),
        ({"db": ABSENT, "bus": UNANSWERED}, (ops.BlockedStatus("need db relation"),)),
        (
            {"db": UNANSWERED, "bus": UNANSWERED},
            (ops.WaitingStatus("waiting for bus, db data"),),
        ),
        ({"db": ANSWERED, "keys": ABSENT}, ()),
        ({"db": ANSWERED, "keys": UNANSWERED}, (ops.WaitingStatus("waiting for keys data"),)),
    ],
    ids=[
        "answered",
        "both-absent",
        "one-absent",
        "unanswered",
        "optional-absent",
        "optional-unanswered",
    ],
)
def test_relation_problems(relation, relations, expected):
    table = {
        name: (None if state == ABSENT else relation, "data" if state == ANSWERED else None)
        for name, state in relations.items()
    }

    assert component.relation_problems(table, optional=["keys"]) == expected


# --- reconcile_service ---------------------------------------------------------------------


def test_a_layer_is_planned(ctx):
    out = running(ctx)

    assert out.plan.services["svc"].command == "sleep inf"
    assert out.service_statuses["svc"] == ops.pebble.ServiceStatus.ACTIVE


@pytest.mark.parametrize(
    ("stop", "expected"),
    [(True, ops.pebble.ServiceStatus.INACTIVE), (False, ops.pebble.ServiceStatus.ACTIVE)],
    ids=["stopped", "left-alone"],
)
def test_without_a_layer_the_service_stops_only_when_told(ctx, stop, expected):
    container = running(ctx)
    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        component.reconcile_service(
            manager.charm.unit.get_container("workload"), "svc", "svc", None, stop=stop
        )
        out = manager.run().get_container("workload")

    assert out.service_statuses["svc"] == expected


def test_nothing_happens_while_pebble_is_away(ctx):
    with ctx(ctx.on.update_status(), testing.State(containers={workload(False)})) as manager:
        component.reconcile_service(
            manager.charm.unit.get_container("workload"), "svc", "svc", LAYER, stop=False
        )
        out = manager.run().get_container("workload")

    assert out.layers == {}


def test_a_pebble_error_is_logged_not_raised(ctx, monkeypatch, caplog):
    def fail(_: ops.Container) -> None:
        raise ops.pebble.APIError({}, 500, "Internal Server Error", "cannot start")

    monkeypatch.setattr(ops.Container, "replan", fail)
    with ctx(ctx.on.update_status(), testing.State(containers={workload()})) as manager:
        component.reconcile_service(
            manager.charm.unit.get_container("workload"), "svc", "svc", LAYER, stop=False
        )

    [record] = [r for r in caplog.records if r.name == component.__name__]
    assert (record.levelno, record.getMessage()) == (
        logging.WARNING,
        "could not configure the svc service: cannot start",
    )


# --- add_statuses --------------------------------------------------------------------------


class ReportingCharm(ops.CharmBase):
    """Reports `inputs` with the library in collect-unit-status."""

    inputs: component.Inputs = component.Inputs()

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        container = self.unit.get_container("workload")
        component.add_statuses(event, container, "svc", "svc-ready", self.inputs)


def report(
    container: testing.Container, inputs: component.Inputs, monkeypatch: pytest.MonkeyPatch
) -> testing.State:
    """The state after a dispatch in which the charm reports `inputs`."""
    monkeypatch.setattr(ReportingCharm, "inputs", inputs)
    ctx = testing.Context(ReportingCharm, meta=META)
    return ctx.run(ctx.on.update_status(), testing.State(containers={container}))


BLOCKED = ops.BlockedStatus("invalid log-level 'x'")
DATA = ops.WaitingStatus("waiting for db data")
PEBBLE = ops.WaitingStatus("waiting for pebble to start")
NOT_RUNNING = ops.BlockedStatus("svc service is not running")


@pytest.mark.parametrize(
    ("inputs", "can_connect", "service", "expected"),
    [
        (
            component.Inputs(settings=SETTINGS, note=INSECURE),
            True,
            "active",
            ops.ActiveStatus(INSECURE),
        ),
        (component.Inputs(settings=SETTINGS, problems=(BLOCKED,)), True, "active", BLOCKED),
        (component.Inputs(settings=SETTINGS, problems=(DATA,)), False, "active", DATA),
        (component.Inputs(settings=SETTINGS), False, "active", PEBBLE),
        (component.Inputs(settings=SETTINGS), True, "inactive", NOT_RUNNING),
        (component.Inputs(problems=(DATA,)), True, "inactive", DATA),
        (component.Inputs(), True, "inactive", ops.ActiveStatus()),
    ],
    ids=[
        "healthy-with-note",
        "problem-first",
        "problem-before-pebble",
        "pebble-away",
        "not-running",
        "not-meant-to-run",
        "nothing-to-run",
    ],
)
def test_add_statuses(ctx, monkeypatch, inputs, can_connect, service, expected):
    container = dataclasses.replace(
        running(ctx),
        can_connect=can_connect,
        service_statuses={"svc": ops.pebble.ServiceStatus(service)},
    )

    out = report(container, inputs, monkeypatch)

    assert out.unit_status == expected


# --- several services ------------------------------------------------------------------------

TWO = services_layer(
    "two",
    {
        name: Service(
            {"command": f"run-{name}"},
            {f"{name}-ready": http_check(READY, "http://localhost:1/", period="10s", threshold=3)},
        )
        for name in ("a", "b")
    },
)


def two_running(ctx: testing.Context[ComponentCharm]) -> testing.Container:
    """The container once the two-service layer is planned."""
    with ctx(ctx.on.update_status(), testing.State(containers={workload()})) as manager:
        component.reconcile_services(
            manager.charm.unit.get_container("workload"), ["a", "b"], "two", TWO, stop=False
        )
        return manager.run().get_container("workload")


def test_reconcile_services_plans_every_service(ctx):
    out = two_running(ctx)

    assert {name: out.plan.services[name].command for name in "ab"} == {
        "a": "run-a",
        "b": "run-b",
    }
    assert set(out.service_statuses.values()) == {ops.pebble.ServiceStatus.ACTIVE}


def test_reconcile_services_stops_them_all(ctx, caplog):
    caplog.set_level(logging.INFO)
    container = two_running(ctx)
    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        component.reconcile_services(
            manager.charm.unit.get_container("workload"), ["a", "b"], "two", None, stop=True
        )
        out = manager.run().get_container("workload")

    assert set(out.service_statuses.values()) == {ops.pebble.ServiceStatus.INACTIVE}
    assert "stopping a, b: its relations or their data are missing" in caplog.messages


class ServicesReportingCharm(ReportingCharm):
    """Reports `inputs` and two services with the library."""

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        container = self.unit.get_container("workload")
        component.add_services_statuses(
            event, container, {"a": "a-ready", "b": "b-ready"}, self.inputs
        )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({"a": "active", "b": "active"}, ops.ActiveStatus()),
        ({"a": "active", "b": "inactive"}, ops.BlockedStatus("b service is not running")),
        ({"a": "error", "b": "inactive"}, ops.BlockedStatus("a, b services are not running")),
    ],
    ids=["healthy", "one-down", "both-down"],
)
def test_add_services_statuses_names_each_service_down(ctx, monkeypatch, statuses, expected):
    container = dataclasses.replace(
        two_running(ctx),
        service_statuses={
            name: ops.pebble.ServiceStatus(status) for name, status in statuses.items()
        },
    )
    monkeypatch.setattr(ServicesReportingCharm, "inputs", component.Inputs(settings=SETTINGS))
    reporting = testing.Context(ServicesReportingCharm, meta=META)

    out = reporting.run(reporting.on.update_status(), testing.State(containers={container}))

    assert out.unit_status == expected
