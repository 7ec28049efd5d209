# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import ops
import pytest
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.vca import VcaSettings
from config import CharmConfig
from workload import MonSettings, environment, layer

BACKENDS = OsmBackends(
    kafka_host="kafka", kafka_port=9092, mongodb_uri="mongodb://u:p@m/osm", commonkey="ck"
)


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


def test_layer_checks_the_collector_and_restarts_mon_when_it_dies():
    planned = ops.pebble.Layer(layer(settings()))
    ready, alive = planned.checks["mon-ready"], planned.checks["mon-alive"]
    service = planned.services["mon"]

    assert (ready.level, ready.http) == (
        ops.pebble.CheckLevel.READY,
        {"url": "http://localhost:8000/metrics"},
    )
    assert (alive.level, alive.tcp) == (ops.pebble.CheckLevel.ALIVE, {"port": 8000})
    assert service.on_check_failure == {"mon-alive": "restart"}
    assert (service.override, service.startup) == ("replace", "enabled")
