# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The NBI's environment, built from plain settings (the layer is tested through the charm)."""

from __future__ import annotations

import dataclasses

import pytest
from charms.osm_libs.v0.endpoint import Endpoint
from charms.osm_libs.v0.keystone import KeystoneCredentials
from charms.osm_libs.v0.osm_env import OsmBackends
from workload import NbiSettings, environment
from workload_standins import nbi_config, prometheus_url, serves_test_api, serves_tls

SETTINGS = NbiSettings(
    backends=OsmBackends(
        kafka_host="kafka-0.kafka-endpoints",
        kafka_port=9092,
        mongodb_uri="mongodb://user:pass@mongodb:27017/osm",
        commonkey="the-commonkey",
    ),
    log_level="INFO",
)
KEYSTONE = KeystoneCredentials(
    url="http://keystone:5000/v3",
    port=5000,
    user_domain_name="default",
    project_domain_name="default",
    username="nbi",
    password="secret",
    project="service",
)


def test_environment_without_keystone_uses_the_internal_backend():
    env = environment(SETTINGS)

    assert env["OSMNBI_AUTHENTICATION_BACKEND"] == "internal"
    assert not [
        key for key in env if key.startswith("OSMNBI_AUTHENTICATION_") and "BACKEND" not in key
    ]


def test_environment_with_keystone():
    env = environment(dataclasses.replace(SETTINGS, keystone=KEYSTONE))

    assert {
        key: value for key, value in env.items() if key.startswith("OSMNBI_AUTHENTICATION_")
    } == {
        "OSMNBI_AUTHENTICATION_BACKEND": "keystone",
        "OSMNBI_AUTHENTICATION_AUTH_URL": "http://keystone:5000/v3",
        "OSMNBI_AUTHENTICATION_AUTH_PORT": "5000",
        "OSMNBI_AUTHENTICATION_USER_DOMAIN_NAME": "default",
        "OSMNBI_AUTHENTICATION_PROJECT_DOMAIN_NAME": "default",
        "OSMNBI_AUTHENTICATION_SERVICE_USERNAME": "nbi",
        "OSMNBI_AUTHENTICATION_SERVICE_PASSWORD": "secret",
        "OSMNBI_AUTHENTICATION_SERVICE_PROJECT": "service",
    }


def test_environment_has_the_upstream_backends_and_server_settings():
    env = environment(SETTINGS)

    assert env["OSMNBI_MESSAGE_DRIVER"] == "kafka"
    assert env["OSMNBI_DATABASE_DRIVER"] == env["OSMNBI_STORAGE_DRIVER"] == "mongo"
    assert env["OSMNBI_STORAGE_PATH"] == "/app/storage"
    assert env["OSMNBI_STORAGE_COLLECTION"] == "files"
    assert env["OSMNBI_STATIC_DIR"] == "/app/osm_nbi/html_public"
    assert env["OSMNBI_SERVER_ENABLE_TEST"] == "false"
    assert env["OSMNBI_SERVER_SSL_MODULE"] == ""
    assert all(isinstance(value, str) for value in env.values())


@pytest.mark.parametrize(
    ("level", "nbi"), [("TRACE", "DEBUG"), ("DEBUG", "DEBUG"), ("FATAL", "FATAL")]
)
def test_trace_becomes_debug(level, nbi):
    env = environment(dataclasses.replace(SETTINGS, log_level=level))

    assert env["OSMNBI_LOG_LEVEL"] == nbi


def test_settings_repr_hides_the_credentials():
    assert "pass@" not in repr(SETTINGS)
    assert "the-commonkey" not in repr(SETTINGS)


# How the NBI reads the environment (workload_standins: osm_nbi/nbi.py's environment loop)


def test_the_nbi_serves_plain_http_without_its_test_api():
    config = nbi_config(environment(SETTINGS))

    assert serves_test_api(config) is False  # "false" is read as such by Server.test
    assert serves_tls(config) is False  # TLS ends at the ingress


def test_ports_reach_the_nbi_as_numbers():
    config = nbi_config(environment(SETTINGS))

    assert config["message"]["port"] == 9092
    assert config["database"]["commonkey"] == "the-commonkey"


def test_without_a_prometheus_relation_the_nbi_keeps_its_default():
    env = environment(SETTINGS)

    assert not any(key.startswith("OSMNBI_PROMETHEUS_") for key in env)
    assert prometheus_url(nbi_config(env)) == "http://prometheus:9090"


def test_a_related_prometheus_is_where_the_nbi_queries_metrics():
    settings = dataclasses.replace(SETTINGS, prometheus=Endpoint("osm-prometheus", 9091))
    env = environment(settings)

    assert (env["OSMNBI_PROMETHEUS_HOST"], env["OSMNBI_PROMETHEUS_PORT"]) == (
        "osm-prometheus",
        "9091",
    )
    assert prometheus_url(nbi_config(env)) == "http://osm-prometheus:9091"
