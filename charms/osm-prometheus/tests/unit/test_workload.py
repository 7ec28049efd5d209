# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import ops
import yaml
from config import CharmConfig
from workload import command, layer, prometheus_config


def test_command_carries_every_option():
    config = CharmConfig(retention_time="30d", retention_size="50GB", log_level="debug")

    assert command(config) == (
        "/bin/prometheus --config.file=/etc/prometheus/prometheus.yml"
        " --storage.tsdb.path=/prometheus --storage.tsdb.retention.time=30d"
        " --web.listen-address=:9090 --log.level=debug --storage.tsdb.retention.size=50GB"
    )


def test_command_has_no_size_limit_by_default():
    assert "retention.size" not in command(CharmConfig())


def test_layer_checks_the_http_api_and_restarts_on_liveness_failure():
    planned = ops.pebble.Layer(layer(CharmConfig()))
    ready, alive = planned.checks["prometheus-ready"], planned.checks["prometheus-alive"]
    service = planned.services["prometheus"]

    assert (ready.level, ready.http) == (
        ops.pebble.CheckLevel.READY,
        {"url": "http://localhost:9090/-/ready"},
    )
    assert (alive.level, alive.http) == (
        ops.pebble.CheckLevel.ALIVE,
        {"url": "http://localhost:9090/-/healthy"},
    )
    assert service.on_check_failure == {"prometheus-alive": "restart"}
    assert (service.override, service.startup) == ("replace", "enabled")


def test_prometheus_config_scrapes_itself_then_the_jobs():
    job = {"job_name": "mon", "static_configs": [{"targets": ["mon-0:8000"]}]}

    config = yaml.safe_load(prometheus_config("15s", [job]))

    assert config == {
        "global": {"scrape_interval": "15s"},
        "scrape_configs": [
            {"job_name": "prometheus", "static_configs": [{"targets": ["localhost:9090"]}]},
            job,
        ],
    }
