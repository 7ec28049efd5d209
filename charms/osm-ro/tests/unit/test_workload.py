# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The RO Pebble layer: command, user, working directory, environment and checks."""

from __future__ import annotations

import dataclasses

import ops
import pytest
import workload
from charms.osm_libs.v0.osm_env import OsmBackends
from workload_standins import refresh_period, ro_config

SETTINGS = workload.RoSettings(
    backends=OsmBackends("kafka-0.kafka-endpoints", 9092, "mongodb://u:p@m:27017/osm", "key"),
    log_level="DEBUG",
    period_refresh_active=-1,
)


def test_environment_is_what_the_ro_image_reads():
    assert ro_config(workload.environment(SETTINGS)) == {
        "log": {"level": "DEBUG"},
        "message": {"driver": "kafka", "host": "kafka-0.kafka-endpoints", "port": 9092},
        "database": {
            "driver": "mongo",
            "uri": "mongodb://u:p@m:27017/osm",
            "commonkey": "key",
        },
        "storage": {
            "driver": "mongo",
            "path": "/app/storage",
            "collection": "files",
            "uri": "mongodb://u:p@m:27017/osm",
        },
        "period": {"refresh_active": -1},
    }


@pytest.mark.parametrize(
    "key",
    ["0123", "yes", "off", "null", "~", "1e3", "12:30", "a: b", "#hash", "[x", "'q", 'd"q', "é ü"],
)
def test_any_commonkey_reaches_ro_as_the_same_string(key: str):
    backends = dataclasses.replace(SETTINGS.backends, commonkey=key)
    settings = dataclasses.replace(SETTINGS, backends=backends)

    assert ro_config(workload.environment(settings))["database"]["commonkey"] == key


def test_a_uri_with_any_password_reaches_ro_unchanged():
    uri = "mongodb://relation-1:a%23b: #c@m:27017/osm?replicaSet=rs0&authSource=admin"
    backends = dataclasses.replace(SETTINGS.backends, mongodb_uri=uri)
    config = ro_config(workload.environment(dataclasses.replace(SETTINGS, backends=backends)))

    assert config["database"]["uri"] == config["storage"]["uri"] == uri


@pytest.mark.parametrize(("period", "expected"), [(-1, None), (60, 60), (3600, 3600)])
def test_the_refresh_period_reaches_ro_as_a_number(period: int, expected: int | None):
    settings = dataclasses.replace(SETTINGS, period_refresh_active=period)

    assert refresh_period(ro_config(workload.environment(settings))) == expected


def test_service_runs_ng_ro_as_appuser_in_its_directory():
    service = ops.pebble.Layer(workload.layer(SETTINGS)).services["ro"]

    assert service.override == "replace"
    assert service.command == "python3 -u -m osm_ng_ro.ro_main"
    assert (service.user, service.group) == ("appuser", "appuser")
    assert service.working_dir == "/app/osm_ro"
    assert service.startup == "enabled"
    assert service.environment == workload.environment(SETTINGS)
    assert service.on_check_failure == {"ro-alive": "restart"}


def test_checks_probe_the_real_endpoint():
    checks = ops.pebble.Layer(workload.layer(SETTINGS)).checks

    assert checks["ro-ready"].level == ops.pebble.CheckLevel.READY
    assert checks["ro-ready"].http == {"url": "http://localhost:9090/ro/version"}
    assert checks["ro-alive"].level == ops.pebble.CheckLevel.ALIVE
    assert checks["ro-alive"].tcp == {"port": 9090}
