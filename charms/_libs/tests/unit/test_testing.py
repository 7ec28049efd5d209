"""charms.osm_libs.v0.testing: the builders answer like a dpcharmlibs provider does."""

from __future__ import annotations

import json

import pytest
from charms.osm_libs.v0.testing import (
    KAFKA_BOOTSTRAP,
    MONGODB_URI,
    kafka_relation,
    mongodb_relation,
)
from dummy_charms import PROVIDER_META, LibraryProviderCharm
from ops import testing


def answer(relation: testing.Relation) -> dict:
    [response] = json.loads(relation.remote_app_data["requests"])
    return response


def library_provider_answer() -> tuple[dict[str, str], dict]:
    """The app databag and the one answer a dpcharmlibs provider writes for one request."""
    request = {"resource": "osm", "request-id": "abc", "salt": "s", "extra-user-roles": "admin"}
    relation = testing.Relation(
        "database",
        "mongodb_client",
        remote_app_name="client",
        remote_app_data={"version": "v1", "requests": json.dumps([request])},
    )
    ctx = testing.Context(LibraryProviderCharm, meta=PROVIDER_META)
    out = ctx.run(
        ctx.on.relation_changed(relation, remote_unit=0),
        testing.State(relations={relation}, leader=True),
    )
    databag = dict(out.get_relation(relation.id).local_app_data)
    return databag, json.loads(databag["requests"])[0]


@pytest.mark.parametrize("builder", [mongodb_relation, kafka_relation])
def test_builders_write_what_the_library_provider_writes(builder):
    provider_databag, provider_answer = library_provider_answer()
    relation, _ = builder()

    assert set(relation.remote_app_data) == set(provider_databag)
    filled = {key for key, value in provider_answer.items() if value is not None}
    assert set(answer(relation)) == filled


@pytest.mark.parametrize(
    ("builder", "interface", "remote_app"),
    [(mongodb_relation, "mongodb_client", "mongodb"), (kafka_relation, "kafka_client", "kafka")],
)
def test_not_ready_is_a_relation_without_an_answer(builder, interface, remote_app):
    relation, secret = builder(ready=False)

    assert secret is None
    assert (relation.interface, relation.remote_app_name) == (interface, remote_app)
    assert relation.remote_app_data == {}


def test_mongodb_answer_carries_the_uri_in_the_user_secret():
    relation, secret = mongodb_relation("database", uri=MONGODB_URI, database="nbi")

    assert secret is not None
    assert answer(relation)["secret-user"] == secret.id
    assert answer(relation)["resource"] == "nbi"
    assert answer(relation)["endpoints"] == "mongodb-0.mongodb-endpoints:27017"
    assert secret.tracked_content["uris"] == MONGODB_URI
    assert secret.label == f"database.{relation.id}.nbi-request.user.secret"
    assert MONGODB_URI not in json.dumps(relation.remote_app_data)


def test_kafka_answer_carries_the_bootstrap_endpoints():
    relation, secret = kafka_relation(bootstrap=KAFKA_BOOTSTRAP, topic="lcm")

    assert secret is not None
    assert answer(relation)["endpoints"] == KAFKA_BOOTSTRAP
    assert answer(relation)["resource"] == "lcm"
    assert set(secret.tracked_content) == {"username", "password"}


def test_each_call_builds_a_distinct_relation_and_secret():
    (first, first_secret), (second, second_secret) = mongodb_relation(), mongodb_relation()

    assert first.id != second.id
    assert first_secret is not None and second_secret is not None
    assert first_secret.id != second_secret.id
