"""charms.osm_libs.v0.pebble_service: building, planning, stopping and judging one service."""

from __future__ import annotations

import dataclasses
import stat
import subprocess
from pathlib import Path

import ops
import pytest
from charms.osm_libs.v0.pebble_service import (
    ALIVE,
    READY,
    Service,
    apply_layer,
    exec_check,
    http_check,
    is_ready,
    is_running,
    process_check,
    push_if_changed,
    service_health,
    service_layer,
    service_status,
    services_health,
    services_layer,
    services_status,
    stop_service,
    stop_services,
    sync_directory,
    tcp_check,
)
from ops import testing
from osm_charm_testing import console_script, exec_check_command, planned_container, with_check

META = {"name": "component", "containers": {"workload": {}}}
CHECKS = {
    "svc-ready": http_check(READY, "http://localhost:8080/", period="10s", threshold=3),
    "svc-alive": tcp_check(ALIVE, 8080, period="30s", timeout="5s", threshold=5),
}
LAYER = service_layer("component", "svc", {"command": "sleep inf", "user": "app"}, CHECKS)
RUNNING = planned_container(testing.Container("workload", can_connect=True), LAYER)


class ComponentCharm(ops.CharmBase):
    """Has one container and no behaviour: the tests drive the library inside a dispatch."""


@pytest.fixture
def ctx() -> testing.Context[ComponentCharm]:
    return testing.Context(ComponentCharm, meta=META)


def check_statuses(container: testing.Container) -> dict[str, ops.pebble.CheckStatus]:
    return {info.name: info.status for info in container.check_infos}


def planned(ctx: testing.Context[ComponentCharm]) -> testing.Container:
    """The container once the layer is applied: service running, checks up."""
    state = testing.State(containers={testing.Container("workload", can_connect=True)})
    with ctx(ctx.on.update_status(), state) as manager:
        apply_layer(manager.charm.unit.get_container("workload"), "svc", LAYER)
        return manager.run().get_container("workload")


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
            with_check(RUNNING, "svc-ready", ops.pebble.CheckStatus.DOWN),
            ops.WaitingStatus("svc service is not ready: readiness check failing"),
        ),
    ],
    ids=["healthy", "stopped", "not-ready"],
)
def test_service_status(ctx, container, expected):
    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        status = service_status(manager.charm.unit.get_container("workload"), "svc", "svc-ready")

    assert status == expected


def test_check_builders_fill_every_field_they_are_given():
    assert CHECKS["svc-ready"] == {
        "override": "replace",
        "level": "ready",
        "period": "10s",
        "threshold": 3,
        "http": {"url": "http://localhost:8080/"},
    }
    assert CHECKS["svc-alive"] == {
        "override": "replace",
        "level": "alive",
        "period": "30s",
        "threshold": 5,
        "timeout": "5s",
        "tcp": {"port": 8080},
    }
    assert exec_check(ALIVE, "probe", "svc", period="1m", threshold=2).get("exec") == {
        "command": "probe",
        "service-context": "svc",
    }


def test_service_layer_enables_the_service_and_restarts_it_on_liveness_failure():
    assert LAYER == {
        "summary": "component",
        "services": {
            "svc": {
                "override": "replace",
                "startup": "enabled",
                "command": "sleep inf",
                "user": "app",
                "on-check-failure": {"svc-alive": "restart"},
            }
        },
        "checks": CHECKS,
    }


def test_stop_service_stops_the_service_and_its_checks(ctx):
    running = planned(ctx)
    with ctx(ctx.on.update_status(), testing.State(containers={running})) as manager:
        stop_service(manager.charm.unit.get_container("workload"), "svc")
        out = manager.run().get_container("workload")

    assert out.service_statuses["svc"] == ops.pebble.ServiceStatus.INACTIVE
    assert set(check_statuses(out).values()) == {ops.pebble.CheckStatus.INACTIVE}


def test_apply_layer_starts_stopped_checks_again(ctx, monkeypatch):
    running = planned(ctx)
    # Pebble leaves the checks of an unchanged layer as they are (the testing backend would
    # restart every check on add_layer and replan).
    monkeypatch.setattr(ops.Container, "add_layer", lambda *_, **__: None)
    monkeypatch.setattr(ops.Container, "replan", lambda _: None)
    stopped = dataclasses.replace(
        running,
        service_statuses={"svc": ops.pebble.ServiceStatus.INACTIVE},
        check_infos={
            dataclasses.replace(info, status=ops.pebble.CheckStatus.INACTIVE, change_id="")
            for info in running.check_infos
        },
    )
    with ctx(ctx.on.update_status(), testing.State(containers={stopped})) as manager:
        apply_layer(manager.charm.unit.get_container("workload"), "svc", LAYER)
        out = manager.run().get_container("workload")

    assert set(check_statuses(out).values()) == {ops.pebble.CheckStatus.UP}


def test_a_pebble_without_the_checks_api_still_stops_the_service(ctx, monkeypatch):
    def refuse(_: ops.Container, *names: str) -> list[str]:
        raise ops.pebble.APIError({}, 405, "Method Not Allowed", "method not allowed")

    monkeypatch.setattr(ops.Container, "stop_checks", refuse)
    running = planned(ctx)
    with ctx(ctx.on.update_status(), testing.State(containers={running})) as manager:
        stop_service(manager.charm.unit.get_container("workload"), "svc")
        out = manager.run().get_container("workload")

    assert out.service_statuses["svc"] == ops.pebble.ServiceStatus.INACTIVE


@pytest.mark.parametrize(
    ("can_connect", "expected"),
    [(True, None), (False, ops.WaitingStatus("waiting for pebble to start"))],
    ids=["healthy", "pebble-gone"],
)
def test_service_health_reports_pebble_errors_as_waiting(ctx, can_connect, expected):
    container = dataclasses.replace(planned(ctx), can_connect=can_connect)
    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        health = service_health(manager.charm.unit.get_container("workload"), "svc", "svc-ready")

    assert health == expected


def files_under(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(root.iterdir())}


@pytest.mark.parametrize(
    ("before", "changed"), [(None, True), ("old", True), ("new", False)], ids=str
)
def test_push_if_changed_pushes_only_new_content(ctx, tmp_path, before, changed):
    if before is not None:
        (tmp_path / "app.conf").write_text(before)
    mount = testing.Mount(location="/etc/app", source=tmp_path)
    container = testing.Container("workload", can_connect=True, mounts={"conf": mount})

    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        workload = manager.charm.unit.get_container("workload")
        pushed = push_if_changed(workload, "/etc/app/app.conf", "new", permissions=0o640)

    assert pushed is changed
    assert (tmp_path / "app.conf").read_text() == "new"
    if changed:
        assert stat.S_IMODE((tmp_path / "app.conf").stat().st_mode) == 0o640


def test_sync_directory_leaves_exactly_the_given_files(ctx, tmp_path):
    (tmp_path / "stale.pem").write_text("stale")
    (tmp_path / "stale-dir").mkdir()
    (tmp_path / "kept.pem").write_text("old")
    mount = testing.Mount(location="/certs", source=tmp_path)
    container = testing.Container("workload", can_connect=True, mounts={"certs": mount})

    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        workload = manager.charm.unit.get_container("workload")
        sync_directory(
            workload, "/certs", {"kept.pem": b"new", "added.pem": "added"}, permissions=0o400
        )

    assert files_under(tmp_path) == {"added.pem": b"added", "kept.pem": b"new"}
    assert stat.S_IMODE((tmp_path / "kept.pem").stat().st_mode) == 0o400


def test_sync_directory_with_no_files_and_no_directory_does_nothing(ctx):
    container = testing.Container("workload", can_connect=True)

    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        workload = manager.charm.unit.get_container("workload")
        sync_directory(workload, "/certs", {}, permissions=0o400)
        exists = workload.exists("/certs")

    assert not exists


# --- several services ------------------------------------------------------------------------

TWO_CHECKS = {
    "a": {
        "a-ready": http_check(READY, "http://localhost:8000/", period="10s", threshold=3),
        "a-alive": tcp_check(ALIVE, 8000, period="30s", threshold=3),
    },
    "b": {
        "b-ready": exec_check(READY, "probe b", "b", period="10s", threshold=3),
        "b-alive": exec_check(ALIVE, "probe b", "b", period="30s", threshold=3),
    },
}
TWO = services_layer(
    "two",
    {name: Service({"command": f"run-{name}"}, checks) for name, checks in TWO_CHECKS.items()},
)
TWO_RUNNING = planned_container(testing.Container("workload", can_connect=True), TWO)
READY_CHECKS = {"a": "a-ready", "b": "b-ready"}


def test_each_service_restarts_only_on_its_own_liveness_checks():
    layer = ops.pebble.Layer(TWO)

    assert layer.services["a"].on_check_failure == {"a-alive": "restart"}
    assert layer.services["b"].on_check_failure == {"b-alive": "restart"}
    assert set(layer.checks) == {*TWO_CHECKS["a"], *TWO_CHECKS["b"]}
    assert {layer.services[name].startup for name in "ab"} == {"enabled"}


def test_service_layer_is_the_layer_of_one_service():
    one = {"svc": Service({"command": "sleep inf", "user": "app"}, CHECKS)}

    assert services_layer("component", one) == LAYER


def stopped(container: testing.Container, *names: str) -> testing.Container:
    statuses = dict(container.service_statuses)
    statuses.update(dict.fromkeys(names, ops.pebble.ServiceStatus.INACTIVE))
    return dataclasses.replace(container, service_statuses=statuses)


@pytest.mark.parametrize(
    ("container", "expected"),
    [
        (TWO_RUNNING, None),
        (stopped(TWO_RUNNING, "b"), ops.BlockedStatus("b service is not running")),
        (stopped(TWO_RUNNING, "a", "b"), ops.BlockedStatus("a, b services are not running")),
        (
            with_check(stopped(TWO_RUNNING, "b"), "a-ready", ops.pebble.CheckStatus.DOWN),
            ops.BlockedStatus("b service is not running"),
        ),
        (
            with_check(
                with_check(TWO_RUNNING, "a-ready", ops.pebble.CheckStatus.DOWN),
                "b-ready",
                ops.pebble.CheckStatus.DOWN,
            ),
            ops.WaitingStatus("a, b services are not ready: readiness checks failing"),
        ),
    ],
    ids=["healthy", "one-stopped", "both-stopped", "stopped-before-unready", "both-unready"],
)
def test_services_status_names_every_service_that_is_down(ctx, container, expected):
    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        status = services_status(manager.charm.unit.get_container("workload"), READY_CHECKS)

    assert status == expected


def test_services_health_reports_an_unreachable_pebble_as_waiting(ctx):
    container = dataclasses.replace(TWO_RUNNING, can_connect=False)
    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        health = services_health(manager.charm.unit.get_container("workload"), READY_CHECKS)

    assert health == ops.WaitingStatus("waiting for pebble to start")


def test_stop_services_stops_each_given_service_and_the_checks(ctx):
    with ctx(ctx.on.update_status(), testing.State(containers={TWO_RUNNING})) as manager:
        stop_services(manager.charm.unit.get_container("workload"), ["a", "b"])
        out = manager.run().get_container("workload")

    assert set(out.service_statuses.values()) == {ops.pebble.ServiceStatus.INACTIVE}
    assert set(check_statuses(out).values()) == {ops.pebble.CheckStatus.INACTIVE}


def test_stop_services_with_no_service_stops_no_service(ctx):
    with ctx(ctx.on.update_status(), testing.State(containers={TWO_RUNNING})) as manager:
        stop_services(manager.charm.unit.get_container("workload"), [])
        out = manager.run().get_container("workload")

    assert set(out.service_statuses.values()) == {ops.pebble.ServiceStatus.ACTIVE}


# --- process_check: run for real against this machine's /proc ---------------------------------


def run_process_check(program: str) -> int:
    """The exit status of `program`'s process check, run as Pebble runs it."""
    layer = services_layer(
        "p",
        {
            "svc": Service(
                {"command": "x"},
                {"p": process_check(READY, program, "svc", period="1s", threshold=1)},
            )
        },
    )
    return subprocess.run(exec_check_command(layer, "p"), check=False).returncode


def test_a_process_check_passes_while_the_program_runs(tmp_path):
    assert run_process_check("osm-x-daemon") != 0  # and it does not find itself
    with console_script(tmp_path, "osm-x-daemon"):
        assert run_process_check("osm-x-daemon") == 0
        assert run_process_check("osm-x") != 0  # a whole name, not a prefix
        assert run_process_check("x-daemon") != 0  # nor a suffix of it


def test_a_dot_in_the_program_is_a_dot(tmp_path):
    with console_script(tmp_path, "osm.x"):
        assert run_process_check("osm.x") == 0
        assert run_process_check("osmax") != 0


def test_a_process_check_runs_in_the_service_context_without_ps():
    check = process_check(ALIVE, "osm-x", "svc", period="30s", threshold=3, timeout="5s")
    probe = check.get("exec")

    assert probe is not None
    assert (check.get("level"), check.get("timeout"), probe.get("service-context")) == (
        ALIVE,
        "5s",
        "svc",
    )
    assert "ps" not in probe.get("command", "").split()


@pytest.mark.parametrize("program", ["", "a b", "a'b", "a/b", "a*"])
def test_a_process_check_refuses_what_is_not_a_program_name(program):
    with pytest.raises(ValueError, match="not a program name"):
        process_check(READY, program, "svc", period="1s", threshold=1)
