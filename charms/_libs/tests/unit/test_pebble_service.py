"""charms.osm_libs.v0.pebble_service: planning, stopping and judging one Pebble service."""

from __future__ import annotations

import dataclasses

import ops
import pytest
from charms.osm_libs.v0.pebble_service import (
    apply_layer,
    is_ready,
    is_running,
    service_status,
    stop_service,
)
from ops import testing

META = {"name": "component", "containers": {"workload": {}}}
LAYER: ops.pebble.LayerDict = {
    "services": {"svc": {"override": "replace", "command": "sleep inf", "startup": "enabled"}},
    "checks": {"svc-ready": {"override": "replace", "level": "ready", "tcp": {"port": 1}}},
}
RUNNING = testing.Container(
    "workload",
    can_connect=True,
    layers={"svc": ops.pebble.Layer(LAYER)},
    service_statuses={"svc": ops.pebble.ServiceStatus.ACTIVE},
    check_infos={
        testing.CheckInfo(
            "svc-ready", level=ops.pebble.CheckLevel.READY, status=ops.pebble.CheckStatus.UP
        )
    },
)


class ComponentCharm(ops.CharmBase):
    """Has one container and no behaviour: the tests drive the library inside a dispatch."""


@pytest.fixture
def ctx() -> testing.Context[ComponentCharm]:
    return testing.Context(ComponentCharm, meta=META)


def with_ready_check(status: ops.pebble.CheckStatus) -> testing.Container:
    check = testing.CheckInfo("svc-ready", level=ops.pebble.CheckLevel.READY, status=status)
    return dataclasses.replace(RUNNING, check_infos={check})


def test_apply_layer_plans_and_starts_the_service(ctx):
    state = testing.State(containers={testing.Container("workload", can_connect=True)})
    with ctx(ctx.on.update_status(), state) as manager:
        container = manager.charm.unit.get_container("workload")
        apply_layer(container, "svc", LAYER)
        running = is_running(container, "svc")
        out = manager.run()

    assert running
    assert out.get_container("workload").plan.services["svc"].command == "sleep inf"


def test_unplanned_service_is_not_running_and_stopping_it_is_a_no_op(ctx):
    state = testing.State(containers={testing.Container("workload", can_connect=True)})
    with ctx(ctx.on.update_status(), state) as manager:
        container = manager.charm.unit.get_container("workload")
        stop_service(container, "svc")

        assert not is_running(container, "svc")
        assert not is_ready(container, "svc-ready")


def test_stop_service_stops_a_running_service(ctx):
    with ctx(ctx.on.update_status(), testing.State(containers={RUNNING})) as manager:
        stop_service(manager.charm.unit.get_container("workload"), "svc")
        out = manager.run()

    status = out.get_container("workload").service_statuses["svc"]
    assert status == ops.pebble.ServiceStatus.INACTIVE


@pytest.mark.parametrize(
    ("container", "expected"),
    [
        (RUNNING, None),
        (
            dataclasses.replace(
                RUNNING, service_statuses={"svc": ops.pebble.ServiceStatus.INACTIVE}
            ),
            ops.BlockedStatus("svc service is not running"),
        ),
        (
            with_ready_check(ops.pebble.CheckStatus.DOWN),
            ops.WaitingStatus("svc service is not ready: readiness check failing"),
        ),
    ],
    ids=["healthy", "stopped", "not-ready"],
)
def test_service_status(ctx, container, expected):
    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        status = service_status(manager.charm.unit.get_container("workload"), "svc", "svc-ready")

    assert status == expected
