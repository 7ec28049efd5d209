"""charms.osm_libs.v0.osm_env: the environment and the service every OSM module runs with."""

from __future__ import annotations

import json

import ops
import pytest
from charms.osm_libs.v0.data import KafkaEndpoint
from charms.osm_libs.v0.osm_env import (
    BackendRelations,
    OsmBackends,
    osm_environment,
    osm_service,
)
from dummy_charms import CLIENT_META
from ops import testing
from osm_charm_testing import MONGODB_URI, data_relations, data_state

URI = "mongodb://u:p@mongodb-0.mongodb-endpoints:27017/osm"
BACKENDS = OsmBackends(
    kafka_host="kafka-0.kafka-endpoints", kafka_port=9092, mongodb_uri=URI, commonkey="key"
)
MESSAGE_AND_DATABASE = {
    "OSMX_MESSAGE_DRIVER": "kafka",
    "OSMX_MESSAGE_HOST": "kafka-0.kafka-endpoints",
    "OSMX_MESSAGE_PORT": "9092",
    "OSMX_DATABASE_DRIVER": "mongo",
    "OSMX_DATABASE_URI": URI,
    "OSMX_DATABASE_COMMONKEY": "key",
}


def test_environment_with_storage():
    assert osm_environment("OSMX", BACKENDS) == {
        **MESSAGE_AND_DATABASE,
        "OSMX_STORAGE_DRIVER": "mongo",
        "OSMX_STORAGE_PATH": "/app/storage",
        "OSMX_STORAGE_COLLECTION": "files",
        "OSMX_STORAGE_URI": URI,
    }


def test_environment_without_storage():
    assert osm_environment("OSMX", BACKENDS, storage=False) == MESSAGE_AND_DATABASE


def test_backends_without_a_common_key_set_no_commonkey_variable():
    without_key = OsmBackends(
        kafka_host="kafka-0.kafka-endpoints", kafka_port=9092, mongodb_uri=URI
    )

    environment = osm_environment("OSMX", without_key, storage=False)

    assert "OSMX_DATABASE_COMMONKEY" not in environment
    assert environment == {
        key: value for key, value in MESSAGE_AND_DATABASE.items() if "COMMONKEY" not in key
    }


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


def test_osm_service_without_a_working_dir_runs_where_the_image_says():
    service = osm_service("OSM X", "osm-x", None, {"OSMX_LOG_LEVEL": "INFO"})

    assert service == {
        "summary": "OSM X",
        "command": "osm-x",
        "user": "appuser",
        "group": "appuser",
        "environment": {"OSMX_LOG_LEVEL": "INFO"},
    }


class ModuleCharm(ops.CharmBase):
    """An OSM module's data relations, nothing else."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.backends = BackendRelations(self, mongodb_roles="readWrite")
        self.reconciled: list[str] = []
        for event in self.backends.reconcile_events:
            framework.observe(event, self._record)

    def _record(self, event: ops.EventBase) -> None:
        self.reconciled.append(event.handle.kind)


@pytest.fixture
def ctx() -> testing.Context[ModuleCharm]:
    return testing.Context(ModuleCharm, meta=CLIENT_META)


def test_answered_relations_give_the_backends(ctx):
    with ctx(ctx.on.update_status(), data_state()) as manager:
        answers = manager.charm.backends.read()

    assert answers.backends("the-key") == OsmBackends(
        "kafka-0.kafka-endpoints", 9092, MONGODB_URI, "the-key"
    )
    assert {name: data is not None for name, (_, data) in answers.relations.items()} == {
        "mongodb": True,
        "kafka": True,
    }
    assert MONGODB_URI not in repr(answers)


@pytest.mark.parametrize(("mongodb", "kafka"), [(None, True), (False, True), (True, False)])
def test_no_backends_until_both_have_answered(ctx, mongodb, kafka):
    with ctx(ctx.on.update_status(), data_state(mongodb=mongodb, kafka=kafka)) as manager:
        answers = manager.charm.backends.read()

    assert answers.backends() is None
    relation, data = answers.relations["mongodb"]
    assert (relation is None, data is None) == (mongodb is None, not mongodb)


def test_the_requests_and_events_are_both_relations(ctx):
    relations, _ = data_relations(mongodb=False, kafka=False)
    mongodb = relations[0]

    with ctx(
        ctx.on.relation_created(mongodb), testing.State(relations=relations, leader=True)
    ) as manager:
        out = manager.run()
        reconciled = manager.charm.reconciled

    [request] = json.loads(out.get_relation(mongodb.id).local_app_data["requests"])
    assert (request["resource"], request["extra-user-roles"]) == ("osm", "readWrite")
    assert reconciled == ["mongodb_relation_created"]
