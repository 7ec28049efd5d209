# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import ops
import pytest
import yaml
from builders import config_dir, metrics_relation, running_container
from charm import OsmPrometheusCharm
from charms.osm_libs.v0 import component
from config import CharmConfig
from ops import testing
from osm_charm_testing import run_check_change
from workload import command, prometheus_config
from workload_standins import Workload, promtool_exec

Ctx = testing.Context[OsmPrometheusCharm]


def pushed_config(ctx: Ctx, state: testing.State) -> dict:
    path = state.get_container("prometheus").get_filesystem(ctx) / "etc/prometheus/prometheus.yml"
    return yaml.safe_load(path.read_text())


def job_names(ctx: Ctx, state: testing.State) -> list[str]:
    return [job["job_name"] for job in pushed_config(ctx, state)["scrape_configs"]]


@pytest.fixture
def signals(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[str, ...]]]:
    """Every signal the charm sends through Pebble (ops.testing keeps no record of them)."""
    sent: list[tuple[str, tuple[str, ...]]] = []
    real = ops.Container.send_signal

    def spy(self: ops.Container, sig: str, *service_names: str) -> None:
        sent.append((sig, service_names))
        real(self, sig, *service_names)

    monkeypatch.setattr(ops.Container, "send_signal", spy)
    return sent


def test_pebble_ready_plans_prometheus_and_pushes_its_config(ctx: Ctx, container):
    state = testing.State(containers={container})

    out = ctx.run(ctx.on.pebble_ready(container), state)

    plan = out.get_container("prometheus").plan
    assert plan.services["prometheus"].command == command(CharmConfig())
    assert set(plan.checks) == {"prometheus-ready", "prometheus-alive"}
    assert out.get_container("prometheus").service_statuses["prometheus"] == (
        ops.pebble.ServiceStatus.ACTIVE
    )
    assert job_names(ctx, out) == ["prometheus"]
    assert out.opened_ports == {testing.TCPPort(9090)}


def test_options_reach_the_command_line(ctx: Ctx, container):
    config = {"retention-time": "30d", "retention-size": "10GB", "log-level": "WARN"}
    state = testing.State(containers={container}, config=config)

    out = ctx.run(ctx.on.config_changed(), state)

    command_line = out.get_container("prometheus").plan.services["prometheus"].command
    assert "--storage.tsdb.retention.time=30d" in command_line
    assert "--storage.tsdb.retention.size=10GB" in command_line
    assert "--log.level=warn" in command_line


def test_scrape_interval_reaches_the_config_file(ctx: Ctx, container):
    state = testing.State(containers={container}, config={"scrape-interval": "1m"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert pushed_config(ctx, out)["global"] == {"scrape_interval": "1m"}


def test_running_and_ready_is_active(ctx: Ctx):
    state = testing.State(containers={running_container()})

    out = ctx.run(ctx.on.update_status(), state)

    assert out.unit_status == testing.ActiveStatus()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            ops.pebble.CheckStatus.DOWN,
            testing.WaitingStatus("prometheus service is not ready: readiness check failing"),
        ),
        (ops.pebble.CheckStatus.UP, testing.ActiveStatus()),
    ],
    ids=["failed", "recovered"],
)
def test_ready_check_events(ctx: Ctx, status: ops.pebble.CheckStatus, expected: ops.StatusBase):
    state = testing.State(containers={running_container()})

    out = run_check_change(ctx, state, "prometheus", "prometheus-ready", status)

    assert out.unit_status == expected


def test_stopped_service_is_blocked(ctx: Ctx):
    # `start` does not reconcile (nothing replans), as after a crash between two hooks.
    container = running_container(running=False)

    out = ctx.run(ctx.on.start(), testing.State(containers={container}))

    assert out.unit_status == testing.BlockedStatus("prometheus service is not running")


def test_unreachable_pebble_is_waiting_and_touches_nothing(ctx: Ctx):
    container = testing.Container("prometheus", can_connect=False)

    out = ctx.run(ctx.on.config_changed(), testing.State(containers={container}))

    assert out.unit_status == testing.WaitingStatus("waiting for pebble to start")
    assert out.get_container("prometheus").layers == {}


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("retention-time", "forever"),
        ("retention-size", "lots"),
        ("scrape-interval", "0s"),
        ("log-level", "loud"),
    ],
)
def test_invalid_option_blocks_naming_it_and_plans_nothing(ctx: Ctx, container, option, value):
    state = testing.State(containers={container}, config={option: value})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status.name == "blocked"
    assert out.unit_status.message.startswith(f"invalid {option} {value!r}")
    assert out.get_container("prometheus").layers == {}


def test_invalid_option_keeps_the_running_service_as_it_was(ctx: Ctx):
    container = running_container()
    state = testing.State(containers={container}, config={"log-level": "loud"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.get_container("prometheus").plan == container.plan
    assert out.unit_status.name == "blocked"


@pytest.mark.parametrize("leader", [True, False])
def test_prometheus_relation_gets_hostname_and_port_from_the_leader(ctx: Ctx, container, leader):
    relation = testing.Relation("prometheus", remote_app_name="mon")
    state = testing.State(leader=leader, containers={container}, relations={relation})

    out = ctx.run(ctx.on.relation_created(relation), state)

    expected = {"hostname": "osm-prometheus", "port": "9090"} if leader else {}
    assert out.get_relation(relation.id).local_app_data == expected


def test_metrics_endpoint_jobs_are_scraped(ctx: Ctx, container):
    relation = metrics_relation(units=2)
    state = testing.State(containers={container}, relations={relation})

    out = ctx.run(ctx.on.relation_changed(relation), state)

    config = pushed_config(ctx, out)
    mon_job = "juju_osm_00000000_mon_prometheus_scrape_collector"
    assert [job["job_name"] for job in config["scrape_configs"]] == [
        "prometheus",
        f"{mon_job}-0",
        f"{mon_job}-1",
    ]
    assert config["scrape_configs"][1]["static_configs"][0]["targets"] == [
        "mon-0.mon-endpoints.osm.svc:8000"
    ]


def test_non_leader_scrapes_too(ctx: Ctx, container):
    relation = metrics_relation()
    state = testing.State(leader=False, containers={container}, relations={relation})

    out = ctx.run(ctx.on.relation_changed(relation), state)

    assert len(job_names(ctx, out)) == 2


def test_departed_unit_is_no_longer_scraped(ctx: Ctx, container):
    relation = metrics_relation(units=1)
    state = testing.State(containers={container}, relations={relation})

    out = ctx.run(ctx.on.relation_departed(relation, remote_unit=1), state)

    assert job_names(ctx, out)[1:] == ["juju_osm_00000000_mon_prometheus_scrape_collector-0"]


def test_broken_relation_drops_its_jobs(ctx: Ctx, container):
    relation = metrics_relation()
    state = testing.State(containers={container}, relations={relation})

    out = ctx.run(ctx.on.relation_broken(relation), state)

    assert job_names(ctx, out) == ["prometheus"]


def test_invalid_provider_blocks_and_the_others_are_still_scraped(ctx: Ctx, container):
    good = metrics_relation(app="mon")
    bad = metrics_relation(app="broken-app", jobs={"not": "a list"})
    state = testing.State(containers={container}, relations={good, bad})

    out = ctx.run(ctx.on.relation_changed(bad), state)

    assert out.unit_status == testing.BlockedStatus(
        "invalid scrape jobs from broken-app: see juju debug-log"
    )
    assert job_names(ctx, out) == [
        "prometheus",
        "juju_osm_00000000_mon_prometheus_scrape_collector-0",
    ]


def test_new_targets_reload_prometheus_without_restart(ctx: Ctx, signals):
    container = running_container()
    relation = metrics_relation()
    state = testing.State(containers={container}, relations={relation})

    out = ctx.run(ctx.on.relation_changed(relation), state)

    assert signals == [("SIGHUP", ("prometheus",))]
    assert out.get_container("prometheus").plan == container.plan


def test_stopped_service_is_started_not_signalled(ctx: Ctx, signals):
    container = running_container(running=False)
    relation = metrics_relation()
    state = testing.State(containers={container}, relations={relation})

    out = ctx.run(ctx.on.relation_changed(relation), state)

    assert signals == []
    assert out.get_container("prometheus").service_statuses["prometheus"] == (
        ops.pebble.ServiceStatus.ACTIVE
    )


def test_unchanged_config_file_sends_no_signal(ctx: Ctx, signals, tmp_path):
    written = config_dir(tmp_path, prometheus_config("30s", []))
    state = testing.State(containers={running_container(config_dir=written)})

    ctx.run(ctx.on.config_changed(), state)

    assert signals == []
    assert ctx.exec_history.get("prometheus", []) == []  # unchanged: nothing to check


def test_changed_plan_restarts_instead_of_reloading(ctx: Ctx, signals):
    state = testing.State(containers={running_container()}, config={"retention-time": "1d"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert signals == []
    assert (
        "retention.time=1d" in out.get_container("prometheus").plan.services["prometheus"].command
    )


def test_upgrade_rewrites_the_file(ctx: Ctx):
    container = running_container()
    state = testing.State(containers={container})

    out = ctx.run(ctx.on.upgrade_charm(), state)

    written = out.get_container("prometheus").get_filesystem(ctx) / "etc/prometheus/prometheus.yml"
    assert written.read_text() == prometheus_config("30s", [])


# One shape: inputs read once, one reconcile, collect-status that only reads


def test_inputs_are_one_component_inputs_read_once(ctx: Ctx, monkeypatch):
    reads = []
    load_config = ops.CharmBase.load_config

    def counting_load_config(self, *args, **kwargs):
        reads.append(args)
        return load_config(self, *args, **kwargs)

    monkeypatch.setattr(ops.CharmBase, "load_config", counting_load_config)
    relation = metrics_relation()
    state = testing.State(containers={running_container()}, relations={relation})

    with ctx(ctx.on.relation_changed(relation), state) as manager:
        manager.run()
        inputs = manager.charm._inputs

    assert isinstance(inputs, component.Inputs)
    assert inputs.settings is not None
    assert len(reads) == 1


# The image's promtool checks every new configuration before Prometheus reads it


def test_a_provider_promtool_refuses_is_left_out_and_blocks(ctx: Ctx, signals, caplog):
    good, bad = metrics_relation(app="mon"), metrics_relation(app="broken-app")
    refusing = running_container(
        execs=[
            promtool_exec("all-providers", valid=False),
            promtool_exec("provider-broken-app", valid=False),
        ]
    )
    state = testing.State(containers={refusing}, relations={good, bad})

    out = ctx.run(ctx.on.relation_changed(bad), state)

    assert job_names(ctx, out) == [
        "prometheus",
        "juju_osm_00000000_mon_prometheus_scrape_collector-0",
    ]
    assert out.unit_status == testing.BlockedStatus(
        "invalid scrape jobs from broken-app: see juju debug-log"
    )
    checked = [call.command[3] for call in ctx.exec_history["prometheus"]]
    assert checked == [
        "/etc/prometheus/check/all-providers.yml",
        "/etc/prometheus/check/provider-broken-app.yml",
        "/etc/prometheus/check/provider-mon.yml",
        "/etc/prometheus/check/accepted-providers.yml",
    ]
    assert signals == [("SIGHUP", ("prometheus",))]
    assert "promtool refused the scrape jobs of broken-app" in caplog.text
    assert "often" not in caplog.text  # promtool's quoted values may be secrets: not logged


def test_an_accepted_config_is_checked_once_then_installed(ctx: Ctx, signals, tmp_path):
    relation = metrics_relation()
    written = config_dir(tmp_path, prometheus_config("30s", []))
    state = testing.State(containers={running_container(config_dir=written)}, relations={relation})

    ctx.run(ctx.on.relation_changed(relation, remote_unit=0), state)

    assert [call.command for call in ctx.exec_history["prometheus"]] == [
        ["/bin/promtool", "check", "config", "/etc/prometheus/check/all-providers.yml"]
    ]
    assert not (written / "check").exists()  # the candidates are removed
    assert "mon_prometheus_scrape_collector-0" in (written / "prometheus.yml").read_text()
    assert signals == [("SIGHUP", ("prometheus",))]


def test_a_config_promtool_refuses_entirely_keeps_the_running_one(ctx: Ctx, signals):
    running = running_container(execs=[promtool_exec(valid=False)])
    relation = metrics_relation()
    state = testing.State(containers={running}, relations={relation})

    out = ctx.run(ctx.on.relation_changed(relation), state)

    assert signals == []
    assert out.unit_status == testing.BlockedStatus(
        "prometheus refuses its configuration: see juju debug-log"
    )


def test_the_workload_standin_as_the_simulator_drives_it(ctx: Ctx):
    workload = Workload()
    relation = metrics_relation()
    bare = testing.Container("prometheus", can_connect=True)
    prepared = workload.prepare(0, bare)
    state = testing.State(containers={prepared}, relations={relation})

    out = ctx.run(ctx.on.pebble_ready(prepared), state)
    calls = [list(call.command) for call in ctx.exec_history["prometheus"]]
    workload.observe(0, out.get_container("prometheus"), calls)

    assert calls == [
        ["/bin/promtool", "check", "config", "/etc/prometheus/check/all-providers.yml"]
    ]
    assert len(job_names(ctx, out)) == 2
    assert out.unit_status == testing.ActiveStatus()
