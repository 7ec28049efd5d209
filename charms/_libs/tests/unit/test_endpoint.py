"""charms.osm_libs.v0.endpoint: the `nbi`, `ro` and `prometheus` host/port interfaces."""

from __future__ import annotations

import ops
import pytest
from charms.osm_libs.v0.endpoint import (
    HOSTNAME_KEY,
    Endpoint,
    EndpointProvider,
    EndpointRequirer,
    read_endpoint,
)
from charms.osm_libs.v0.pebble_service import READY, service_layer, tcp_check
from ops import testing
from osm_charm_testing import planned_container

META = {
    "name": "service",
    "containers": {"workload": {}},
    "provides": {"api": {"interface": "api"}},
    "requires": {"metrics": {"interface": "prometheus", "limit": 1}},
}
LAYER = service_layer(
    "service",
    "svc",
    {"command": "serve"},
    {"svc-ready": tcp_check(READY, 80, period="10s", threshold=3)},
)


class EndpointCharm(ops.CharmBase):
    """Publishes on `api` while its service is ready; reads `metrics` with `hostname`."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.api = EndpointProvider(self, "api")
        self.metrics = EndpointRequirer(self, "metrics", host_key=HOSTNAME_KEY)
        self.seen: list[Endpoint | None] = []
        for event in (self.on.update_status, *self.metrics.reconcile_events):
            framework.observe(event, self._reconcile)

    def _reconcile(self, _: ops.EventBase) -> None:
        self.seen.append(self.metrics.get())
        self.api.publish_while_ready(self.unit.get_container("workload"), "svc", "svc-ready", 80)


@pytest.fixture
def ctx() -> testing.Context[EndpointCharm]:
    return testing.Context(EndpointCharm, meta=META, app_name="service")


def container(ready: bool = True, can_connect: bool = True) -> testing.Container:
    """The workload with the service planned and running, its readiness check up or down."""
    workload = testing.Container("workload", can_connect=can_connect)
    return planned_container(workload, LAYER, ready=ready)


PUBLISHED = {"host": "service", "port": "80"}


@pytest.mark.parametrize(
    ("leader", "workload", "before", "after"),
    [
        (True, container(), {}, PUBLISHED),
        (False, container(), {}, {}),
        (False, container(ready=False), PUBLISHED, PUBLISHED),
        (True, container(ready=False), PUBLISHED, {}),
        (True, container(can_connect=False), PUBLISHED, {}),
        (True, container(can_connect=False), {**PUBLISHED, "other": "kept"}, {"other": "kept"}),
    ],
    ids=["ready", "non-leader", "non-leader-keeps", "not-ready", "pebble-away", "other-keys"],
)
def test_the_leader_publishes_while_the_service_is_ready(ctx, leader, workload, before, after):
    api = testing.Relation("api", local_app_data=before)
    state = testing.State(leader=leader, containers={workload}, relations={api})

    out = ctx.run(ctx.on.update_status(), state)

    assert out.get_relation(api.id).local_app_data == after


@pytest.mark.parametrize(
    ("databag", "expected"),
    [
        ({"hostname": "prometheus", "port": "9090"}, Endpoint("prometheus", 9090)),
        ({"host": "prometheus", "port": "9090"}, None),
        ({"hostname": "prometheus", "port": "http"}, None),
        ({"hostname": "prometheus"}, None),
        ({}, None),
    ],
    ids=["complete", "other-host-key", "port-not-a-number", "no-port", "empty"],
)
def test_the_requirer_reads_its_host_key_and_a_numeric_port(ctx, databag, expected):
    metrics = testing.Relation("metrics", remote_app_data=databag)
    state = testing.State(containers={container()}, relations={metrics})

    with ctx(ctx.on.relation_changed(metrics, remote_unit=0), state) as manager:
        manager.run()
        seen = manager.charm.seen

    assert seen == [expected]


def test_relation_broken_reads_nothing(ctx):
    metrics = testing.Relation("metrics", remote_app_data={"hostname": "p", "port": "1"})
    state = testing.State(containers={container()}, relations={metrics})

    with ctx(ctx.on.relation_broken(metrics), state) as manager:
        manager.run()
        seen = manager.charm.seen

    assert seen == [None]


def test_read_endpoint_uses_host_by_default():
    assert read_endpoint({"host": "nbi", "port": "9999"}) == Endpoint("nbi", 9999)
    assert Endpoint("nbi", 9999).url == "http://nbi:9999"
