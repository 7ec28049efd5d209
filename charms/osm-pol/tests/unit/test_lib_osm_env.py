# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""charms.osm_libs.v0.osm_env: the optional common key (shared library)."""

from __future__ import annotations

from charms.osm_libs.v0.data import KafkaEndpoint
from charms.osm_libs.v0.osm_env import OsmBackends, osm_environment, osm_service

URI = "mongodb://u:p@mongodb-0.mongodb-endpoints:27017/osm"
WITHOUT_KEY = OsmBackends(kafka_host="kafka", kafka_port=9092, mongodb_uri=URI)


def test_backends_without_a_common_key_set_no_commonkey_variable():
    environment = osm_environment("OSMX", WITHOUT_KEY, storage=False)

    assert environment == {
        "OSMX_MESSAGE_DRIVER": "kafka",
        "OSMX_MESSAGE_HOST": "kafka",
        "OSMX_MESSAGE_PORT": "9092",
        "OSMX_DATABASE_DRIVER": "mongo",
        "OSMX_DATABASE_URI": URI,
    }


def test_a_common_key_is_set_when_given():
    backends = OsmBackends("kafka", 9092, URI, "the-key")

    assert osm_environment("OSMX", backends)["OSMX_DATABASE_COMMONKEY"] == "the-key"


def test_repr_hides_the_uri_and_the_key():
    text = repr(OsmBackends("kafka", 9092, URI, "the-key"))

    assert "u:p@" not in text
    assert "the-key" not in text


def test_backends_from_the_data_relations_endpoints():
    kafka = KafkaEndpoint(host="kafka-0", port=9092, bootstrap="kafka-0:9092,kafka-1:9092")

    backends = OsmBackends.from_endpoints(URI, kafka, "the-key")

    assert backends == OsmBackends("kafka-0", 9092, URI, "the-key")


def test_osm_service_runs_the_module_as_the_images_user():
    service = osm_service("OSM X", "python3 -m osm_x", "/app/osm_x", {"OSMX_LOG_LEVEL": "INFO"})

    assert service == {
        "summary": "OSM X",
        "command": "python3 -m osm_x",
        "user": "appuser",
        "group": "appuser",
        "working-dir": "/app/osm_x",
        "environment": {"OSMX_LOG_LEVEL": "INFO"},
    }
