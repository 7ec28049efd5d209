# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import dataclasses

import pytest
from config import CharmConfig


def test_defaults_are_upstreams():
    config = CharmConfig()

    assert config.log_level == "INFO"
    assert (config.openstack_default_granularity, config.global_request_timeout) == (300, 10)
    assert (config.collector_interval, config.evaluator_interval) == (30, 30)
    assert config.vm_infra_metrics is True
    assert (config.grafana_url, config.grafana_user) == ("http://grafana:3000", "admin")
    assert config.prometheus_url == ""


@pytest.mark.parametrize(("value", "level"), [("debug", "DEBUG"), (" Warn ", "WARN")])
def test_log_level_is_normalised(value: str, level: str):
    assert CharmConfig(log_level=value).log_level == level


@pytest.mark.parametrize(
    "option",
    [
        "openstack_default_granularity",
        "global_request_timeout",
        "collector_interval",
        "evaluator_interval",
    ],
)
@pytest.mark.parametrize("value", [0, -1])
def test_intervals_must_be_positive(option: str, value: int):
    with pytest.raises(ValueError, match=rf"^invalid {option.replace('_', '-')} {value}: "):
        dataclasses.replace(CharmConfig(), **{option: value})


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("http://prometheus:9090", "http://prometheus:9090"),
        (" https://prom.example.com/prom/ ", "https://prom.example.com/prom"),
        ("", ""),
    ],
)
def test_prometheus_url_is_normalised(value: str, url: str):
    assert CharmConfig(prometheus_url=value).prometheus_url == url


@pytest.mark.parametrize(
    "value", ["prometheus:9090", "ftp://prom", "http://", "http://prom:99999", "http://prom:0"]
)
def test_malformed_urls_are_refused(value: str):
    with pytest.raises(ValueError, match=r"^invalid prometheus-url .*use http\(s\)://host"):
        CharmConfig(prometheus_url=value)


@pytest.mark.parametrize("value", ["http://user:pw@grafana:3000", "http://user@grafana"])
def test_urls_with_credentials_are_refused_without_echoing_them(value: str):
    with pytest.raises(ValueError, match=r"^invalid grafana-url: credentials") as raised:
        CharmConfig(grafana_url=value)

    assert "pw" not in str(raised.value)


def test_grafana_url_is_required():
    with pytest.raises(ValueError, match=r"^invalid grafana-url ''"):
        CharmConfig(grafana_url=" ")


def test_grafana_user_is_stripped_and_required():
    assert CharmConfig(grafana_user=" osm ").grafana_user == "osm"
    with pytest.raises(ValueError, match=r"^invalid grafana-user"):
        CharmConfig(grafana_user="")


def test_malformed_url_with_credentials_is_not_echoed():
    with pytest.raises(ValueError, match=r"^invalid grafana-url: use http") as raised:
        CharmConfig(grafana_url="http://admin:s3cret@grafana:99999")

    assert "s3cret" not in str(raised.value)
