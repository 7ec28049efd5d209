# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""POL's environment."""

from __future__ import annotations

import dataclasses

import pytest
from charms.osm_libs.v0.osm_env import OsmBackends
from workload import PolSettings, environment

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
