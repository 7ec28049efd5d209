# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import subprocess
from pathlib import Path

import ops
import pytest
from charms.osm_libs.v0.keystone import KeystoneCredentials
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.vca import VcaSettings
from config import CharmConfig
from osm_charm_testing import console_script, exec_check_command
from workload import MonSettings, environment, layer
from workload_standins import (
    PROCESSES,
    keystone_enabled,
    mon_config,
    vm_infra_metrics_enabled,
)

BACKENDS = OsmBackends(
    kafka_host="kafka", kafka_port=9092, mongodb_uri="mongodb://u:p@m/osm", commonkey="ck"
)
KEYSTONE = KeystoneCredentials(
    url="http://keystone:5000/v3",
    port=5000,
    user_domain_name="default",
    project_domain_name="default",
    username="mon",
    password="keystone-pass",
    project="service",
)
DAEMONS = ("mon-server", "mon-evaluator", "mon-dashboarder")


def settings(**overrides: object) -> MonSettings:
    values: dict = {"config": CharmConfig(), "backends": BACKENDS, "prometheus_url": "http://p"}
    return MonSettings(**{**values, **overrides})


def test_settings_repr_hides_credentials():
    text = repr(settings(grafana_password="graf-pass"))

    assert "graf-pass" not in text
    assert "mongodb://u:p@m" not in text


def test_no_storage_variables_mon_keeps_no_files():
    assert not any(key.startswith("OSMMON_STORAGE_") for key in environment(settings()))


@pytest.mark.parametrize(("level", "python_level"), [("TRACE", "DEBUG"), ("FATAL", "FATAL")])
def test_log_level_is_one_python_logging_knows(level: str, python_level: str):
    config = CharmConfig(log_level=level)

    assert environment(settings(config=config))["OSMMON_GLOBAL_LOGLEVEL"] == python_level


def test_grafana_password_only_when_set():
    assert "OSMMON_GRAFANA_PASSWORD" not in environment(settings())
    assert environment(settings(grafana_password="x"))["OSMMON_GRAFANA_PASSWORD"] == "x"


def test_vca_variables_only_when_related():
    vca = VcaSettings(endpoints="e:17070", user="u", secret="s", public_key="k", cacert="c")

    assert "OSMMON_VCA_HOST" not in environment(settings())
    assert environment(settings(vca=vca))["OSMMON_VCA_HOST"] == "e:17070"


# How MON reads the environment (workload_standins: osm_mon/core/config.py keeps strings)


def test_without_keystone_mon_does_not_use_keystone():
    env = environment(settings())

    assert "OSMMON_KEYSTONE_ENABLED" not in env  # "false" would be a true string to MON
    assert keystone_enabled(env) is False


def test_with_keystone_mon_uses_it():
    env = environment(settings(keystone=KEYSTONE))

    assert keystone_enabled(env) is True
    assert mon_config(env)["keystone"]["service_user"] == "mon"


@pytest.mark.parametrize("wanted", [True, False])
def test_vm_infra_metrics_reach_mon_as_set(wanted: bool):
    env = environment(settings(config=CharmConfig(vm_infra_metrics=wanted)))

    assert vm_infra_metrics_enabled(env) is wanted


def test_numbers_reach_mon_as_strings_it_converts():
    config = mon_config(environment(settings()))

    # osm_mon converts these with int(): evaluator.py, collector.py, dashboarder.py and
    # evaluator/backends/prometheus.py (request_timeout), cmd/mon_utils.py (message port).
    assert config["collector"]["interval"] == "30"
    assert config["evaluator"]["interval"] == "30"
    assert config["global"]["request_timeout"] == "10"
    assert config["message"]["port"] == "9092"


# The layer: one service per MON process


def test_one_service_per_process_runs_its_console_script():
    planned = ops.pebble.Layer(layer(settings()))

    assert {name: service.command for name, service in planned.services.items()} == PROCESSES
    for service in planned.services.values():
        assert (service.user, service.group) == ("appuser", "appuser")
        assert "working-dir" not in service.to_dict()  # the console scripts need none
        assert (service.override, service.startup) == ("replace", "enabled")
        assert service.environment == environment(settings())


def test_the_collector_is_checked_on_its_port():
    planned = ops.pebble.Layer(layer(settings()))
    ready, alive = planned.checks["mon-collector-ready"], planned.checks["mon-collector-alive"]

    assert (ready.level, ready.http) == (
        ops.pebble.CheckLevel.READY,
        {"url": "http://localhost:8000/metrics"},
    )
    assert (alive.level, alive.tcp) == (ops.pebble.CheckLevel.ALIVE, {"port": 8000})


def exec_of(check: str) -> ops.pebble.ExecDict:
    """The exec definition of `check` in the layer."""
    probe = layer(settings()).get("checks", {})[check].get("exec")
    assert probe is not None
    return probe


def command_of(check: str) -> list[str]:
    """The command of exec check `check`, split as Pebble splits it (no shell)."""
    return exec_check_command(layer(settings()), check)


@pytest.mark.parametrize("service", DAEMONS)
def test_each_daemon_is_checked_by_its_own_process(service: str):
    planned = ops.pebble.Layer(layer(settings()))

    for level in ("ready", "alive"):
        check = f"{service}-{level}"
        assert planned.checks[check].level == ops.pebble.CheckLevel(level)
        assert exec_of(check).get("service-context") == service
        assert "ps" not in command_of(check)  # the MON image has no procps


def test_each_service_restarts_only_on_its_own_liveness_check():
    planned = ops.pebble.Layer(layer(settings()))

    for name, service in planned.services.items():
        assert service.on_check_failure == {f"{name}-alive": "restart"}


@pytest.mark.parametrize("service", DAEMONS)
def test_a_daemons_check_passes_exactly_while_its_process_runs(service: str, tmp_path: Path):
    """The exec check, run as Pebble runs it, against this machine's /proc."""
    command = command_of(f"{service}-ready")
    other = command_of(f"{next(name for name in DAEMONS if name != service)}-ready")

    assert subprocess.run(command, check=False).returncode != 0
    with console_script(tmp_path, PROCESSES[service]):
        assert subprocess.run(command, check=False).returncode == 0
        assert subprocess.run(other, check=False).returncode != 0
