# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""POL's environment and Pebble layer, its checks run for real where they can be."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import ops
import pytest
from charms.osm_libs.v0.osm_env import OsmBackends
from osm_charm_testing import console_script, exec_check_command
from workload import PolSettings, environment, layer
from workload_standins import AGENT, HEALTH_FLAG, IMAGE_HEALTHCHECK

SETTINGS = PolSettings(
    log_level="INFO",
    backends=OsmBackends(
        kafka_host="kafka-0.kafka-endpoints",
        kafka_port=9092,
        mongodb_uri="mongodb://u:p@mongodb:27017/osm",
    ),
    sql_uri="sqlite:////app/database/pol/policy_module.db",
)


def test_environment_uses_the_variables_the_pol_image_reads():
    assert environment(SETTINGS) == {
        "OSMPOL_GLOBAL_LOGLEVEL": "INFO",
        "OSMPOL_MESSAGE_DRIVER": "kafka",
        "OSMPOL_MESSAGE_HOST": "kafka-0.kafka-endpoints",
        "OSMPOL_MESSAGE_PORT": "9092",
        "OSMPOL_DATABASE_DRIVER": "mongo",
        "OSMPOL_DATABASE_URI": "mongodb://u:p@mongodb:27017/osm",
        "OSMPOL_SQL_DATABASE_URI": "sqlite:////app/database/pol/policy_module.db",
    }


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("TRACE", "DEBUG"),
        ("DEBUG", "DEBUG"),
        ("INFO", "INFO"),
        ("WARN", "WARN"),
        ("FATAL", "FATAL"),
    ],
)
def test_levels_python_logging_lacks_are_mapped(level, expected):
    settings = dataclasses.replace(SETTINGS, log_level=level)

    assert environment(settings)["OSMPOL_GLOBAL_LOGLEVEL"] == expected


def test_pol_runs_in_the_images_own_working_directory():
    service = ops.pebble.Layer(layer(SETTINGS)).services["pol"]

    assert "working-dir" not in service.to_dict()
    assert service.command == "/bin/bash scripts/start.sh"


@pytest.mark.parametrize("check", ["pol-ready", "pol-alive"])
def test_no_check_needs_ps(check):
    command = exec_check_command(layer(SETTINGS), check)

    assert IMAGE_HEALTHCHECK not in command
    assert "ps" not in command


def test_ready_means_the_agent_has_raised_its_health_flag(tmp_path: Path):
    """The readiness check, run as Pebble runs it, against a flag in `tmp_path`."""
    flag = tmp_path / "flag"
    command = [
        part.replace(HEALTH_FLAG, str(flag))
        for part in exec_check_command(layer(SETTINGS), "pol-ready")
    ]
    assert HEALTH_FLAG in " ".join(exec_check_command(layer(SETTINGS), "pol-ready"))

    assert subprocess.run(command, check=False).returncode != 0
    flag.touch()
    assert subprocess.run(command, check=False).returncode == 0


def test_alive_means_the_agent_process_runs(tmp_path: Path):
    command = exec_check_command(layer(SETTINGS), "pol-alive")

    assert subprocess.run(command, check=False).returncode != 0
    with console_script(tmp_path, AGENT):
        assert subprocess.run(command, check=False).returncode == 0


def test_the_alive_check_waits_out_the_start_scripts_mysql_wait():
    alive = ops.pebble.Layer(layer(SETTINGS)).checks["pol-alive"]
    period = int(str(alive.period).removesuffix("s"))

    # start.sh waits up to 120 tries (about 2 min) for MySQL before it starts the agent.
    assert period * (alive.threshold or 3) > 150
