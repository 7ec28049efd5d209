# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The RO Pebble layer: command, user, working directory, environment and checks."""

from __future__ import annotations

import ops
import workload
from charms.osm_libs.v0.osm_env import OsmBackends

SETTINGS = workload.RoSettings(
    backends=OsmBackends("kafka-0.kafka-endpoints", 9092, "mongodb://u:p@m:27017/osm", "key"),
    log_level="DEBUG",
    period_refresh_active=-1,
)


def test_environment_is_what_the_ro_image_reads():
    assert workload.environment(SETTINGS) == {
        "OSMRO_LOG_LEVEL": "DEBUG",
        "OSMRO_MESSAGE_DRIVER": "kafka",
        "OSMRO_MESSAGE_HOST": "kafka-0.kafka-endpoints",
        "OSMRO_MESSAGE_PORT": "9092",
        "OSMRO_DATABASE_DRIVER": "mongo",
        "OSMRO_DATABASE_URI": "mongodb://u:p@m:27017/osm",
        "OSMRO_DATABASE_COMMONKEY": "key",
        "OSMRO_STORAGE_DRIVER": "mongo",
        "OSMRO_STORAGE_PATH": "/app/storage",
        "OSMRO_STORAGE_COLLECTION": "files",
        "OSMRO_STORAGE_URI": "mongodb://u:p@m:27017/osm",
        "OSMRO_PERIOD_REFRESH_ACTIVE": "-1",
    }


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
