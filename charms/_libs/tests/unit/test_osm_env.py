"""charms.osm_libs.v0.osm_env: the environment every OSM module reads."""

from __future__ import annotations

from charms.osm_libs.v0.osm_env import OsmBackends, osm_environment

BACKENDS = OsmBackends(
    kafka_host="kafka-0.kafka-endpoints",
    kafka_port=9092,
    mongodb_uri="mongodb://u:p@mongodb-0.mongodb-endpoints:27017/osm",
    commonkey="key",
)
MESSAGE_AND_DATABASE = {
    "OSMX_MESSAGE_DRIVER": "kafka",
    "OSMX_MESSAGE_HOST": "kafka-0.kafka-endpoints",
    "OSMX_MESSAGE_PORT": "9092",
    "OSMX_DATABASE_DRIVER": "mongo",
    "OSMX_DATABASE_URI": "mongodb://u:p@mongodb-0.mongodb-endpoints:27017/osm",
    "OSMX_DATABASE_COMMONKEY": "key",
}


def test_environment_with_storage():
    assert osm_environment("OSMX", BACKENDS) == {
        **MESSAGE_AND_DATABASE,
        "OSMX_STORAGE_DRIVER": "mongo",
        "OSMX_STORAGE_PATH": "/app/storage",
        "OSMX_STORAGE_COLLECTION": "files",
        "OSMX_STORAGE_URI": "mongodb://u:p@mongodb-0.mongodb-endpoints:27017/osm",
    }


def test_environment_without_storage():
    assert osm_environment("OSMX", BACKENDS, storage=False) == MESSAGE_AND_DATABASE
