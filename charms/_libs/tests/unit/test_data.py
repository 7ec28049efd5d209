"""charms.osm_libs.v0.data: the MongoDB and Kafka requirers, over ops.testing."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest
from charms.osm_libs.v0.data import KafkaEndpoint, parse_bootstrap
from dummy_charms import (
    CLIENT_META,
    POL_CLIENT_META,
    PROVIDER_HOSTS,
    PROVIDER_META,
    ClientCharm,
    LibraryProviderCharm,
    PolClientCharm,
)
from ops import testing
from osm_charm_testing import (
    MONGODB_URI,
    kafka_relation,
    mongodb_relation,
    rotate_mongodb_password,
)


@pytest.fixture
def ctx() -> testing.Context[ClientCharm]:
    return testing.Context(ClientCharm, meta=CLIENT_META)


def state(*relations_and_secrets: tuple[testing.Relation, testing.Secret | None], leader=True):
    """A State holding each relation and, when the provider has answered, its secret."""
    relations = {relation for relation, _ in relations_and_secrets}
    secrets = {secret for _, secret in relations_and_secrets if secret is not None}
    return testing.State(relations=relations, secrets=secrets, leader=leader)


def requests_written(relation: testing.RelationBase) -> list[dict]:
    return json.loads(relation.local_app_data["requests"])


@pytest.mark.parametrize(
    ("builder", "endpoint", "roles"),
    [(mongodb_relation, "mongodb", "admin"), (kafka_relation, "kafka", "producer,consumer")],
)
def test_leader_writes_a_v1_request_on_relation_created(ctx, builder, endpoint, roles):
    relation, _ = builder(ready=False)

    out = ctx.run(ctx.on.relation_created(relation), state((relation, None)))

    written = out.get_relation(relation.id)
    assert written.local_app_data["version"] == "v1"
    [request] = requests_written(written)
    assert request["resource"] == "osm"
    assert request["extra-user-roles"] == roles
    assert request["request-id"]


def test_non_leader_writes_no_request(ctx):
    relation, _ = mongodb_relation(ready=False)

    out = ctx.run(ctx.on.relation_created(relation), state((relation, None), leader=False))

    assert "requests" not in out.get_relation(relation.id).local_app_data


def test_requested_names_and_roles_are_configurable():
    ctx = testing.Context(PolClientCharm, meta=POL_CLIENT_META)
    relation, _ = mongodb_relation("db", ready=False)

    out = ctx.run(ctx.on.relation_created(relation), state((relation, None)))

    [request] = requests_written(out.get_relation(relation.id))
    assert (request["resource"], request["extra-user-roles"]) == ("pol", "readWrite")


def test_the_oldest_of_several_relations_is_used(ctx):
    first = mongodb_relation(uri=MONGODB_URI, remote_app_name="first")
    second = mongodb_relation(uri="mongodb://other", remote_app_name="second")

    with ctx(ctx.on.update_status(), state(first, second)) as manager:
        manager.run()
        relation = manager.charm.mongodb.relation
        assert relation is not None
        assert relation.app is not None and relation.app.name == "first"
        assert manager.charm.mongodb.uri() == MONGODB_URI


def test_nothing_is_available_without_relations(ctx):
    with ctx(ctx.on.update_status(), testing.State()) as manager:
        manager.run()
        charm = manager.charm
        assert (charm.mongodb.relation, charm.mongodb.uri()) == (None, None)
        assert (charm.kafka.relation, charm.kafka.endpoint()) == (None, None)


def test_nothing_is_available_before_the_providers_answer(ctx):
    mongodb, kafka = mongodb_relation(ready=False), kafka_relation(ready=False)

    with ctx(ctx.on.update_status(), state(mongodb, kafka)) as manager:
        manager.run()
        charm = manager.charm
        assert charm.mongodb.relation is not None
        assert charm.mongodb.uri() is None
        assert charm.kafka.endpoint() is None


@pytest.mark.parametrize("leader", [True, False])
def test_answers_are_read_by_every_unit(ctx, leader):
    mongodb = mongodb_relation()
    kafka = kafka_relation(bootstrap="kafka-0.kafka-endpoints:9092,kafka-1.kafka-endpoints:9092")

    with ctx(ctx.on.update_status(), state(mongodb, kafka, leader=leader)) as manager:
        manager.run()
        assert manager.charm.mongodb.uri() == MONGODB_URI
        assert manager.charm.kafka.endpoint() == KafkaEndpoint(
            host="kafka-0.kafka-endpoints",
            port=9092,
            bootstrap="kafka-0.kafka-endpoints:9092,kafka-1.kafka-endpoints:9092",
        )


@pytest.mark.parametrize(
    ("builder", "requirer"), [(mongodb_relation, "mongodb"), (kafka_relation, "kafka")]
)
def test_the_answer_arriving_reconciles(ctx, builder, requirer):
    relation, secret = builder()

    with ctx(ctx.on.relation_changed(relation, remote_unit=0), state((relation, secret))) as mgr:
        mgr.run()
        assert mgr.charm.reconciled == ["resource_created", f"{requirer}_relation_changed"]


@pytest.mark.parametrize(
    ("builder", "requirer"), [(mongodb_relation, "mongodb"), (kafka_relation, "kafka")]
)
def test_a_withdrawn_answer_reconciles_and_reads_as_none(ctx, builder, requirer):
    relation, secret = builder()
    withdrawn = dataclasses.replace(relation, remote_app_data={})

    with ctx(ctx.on.relation_changed(withdrawn, remote_unit=0), state((withdrawn, secret))) as mgr:
        mgr.run()
        assert mgr.charm.reconciled == [f"{requirer}_relation_changed"]
        answer = mgr.charm.mongodb.uri() if requirer == "mongodb" else mgr.charm.kafka.endpoint()
        assert answer is None


@pytest.mark.parametrize("builder", [mongodb_relation, kafka_relation])
def test_relation_created_and_broken_reconcile(ctx, builder):
    relation, secret = builder()

    for event in (ctx.on.relation_created(relation), ctx.on.relation_broken(relation)):
        with ctx(event, state((relation, secret))) as manager:
            manager.run()
            assert manager.charm.reconciled == [event.name]


def test_a_broken_relation_answers_nothing(ctx):
    mongodb, kafka = mongodb_relation(), kafka_relation()

    with ctx(ctx.on.relation_broken(mongodb[0]), state(mongodb, kafka)) as manager:
        manager.run()
        assert manager.charm.mongodb.relation is None
        assert manager.charm.mongodb.uri() is None
        assert manager.charm.kafka.endpoint() is not None


def test_rotated_credentials_reconcile_with_the_new_uri(ctx):
    relation, secret = mongodb_relation()
    assert secret is not None
    rotated_uri = MONGODB_URI.replace("test-password", "rotated")
    rotated = dataclasses.replace(
        secret, latest_content={**secret.tracked_content, "uris": rotated_uri}
    )

    with ctx(ctx.on.secret_changed(rotated), state((relation, rotated))) as manager:
        manager.run()
        assert "authentication_updated" in manager.charm.reconciled
        assert manager.charm.mongodb.uri() == rotated_uri


@pytest.mark.parametrize("leader", [True, False])
def test_a_new_revision_is_followed_without_the_consumer_label(ctx, leader):
    """A secret-changed without the consumer label still reconciles, at the latest revision.

    The label is the library's local name for the secret, set when it first reads it: the
    simulator's units, or a unit that never read the answer, get the event without it.
    """
    relation, secret = mongodb_relation()
    assert secret is not None
    unlabelled = dataclasses.replace(secret, label=None)
    rotated_state, rotated = rotate_mongodb_password(
        state((relation, unlabelled), leader=leader), "rotated-password", labelled=False
    )
    assert rotated.label is None

    with ctx(ctx.on.secret_changed(rotated), rotated_state) as manager:
        out = manager.run()
        assert manager.charm.reconciled == ["secret_changed"]
        assert manager.charm.mongodb.uri() == MONGODB_URI.replace(
            ":test-password@", ":rotated-password@"
        )
    [tracked] = out.secrets
    assert tracked.tracked_content["password"] == "rotated-password"


def test_changed_endpoints_reconcile(ctx):
    relation, secret = kafka_relation()
    seen = json.loads(relation.remote_app_data["requests"])[0]
    relation = dataclasses.replace(
        relation,
        local_unit_data={"data": json.dumps({seen["request-id"]: seen})},
        remote_app_data={
            **relation.remote_app_data,
            "requests": json.dumps([{**seen, "endpoints": "kafka-1.kafka-endpoints:9092"}]),
        },
    )

    with ctx(ctx.on.relation_changed(relation, remote_unit=0), state((relation, secret))) as mgr:
        mgr.run()
        assert mgr.charm.reconciled == ["endpoints_changed", "kafka_relation_changed"]
        endpoint = mgr.charm.kafka.endpoint()
        assert endpoint is not None
        assert endpoint.host == "kafka-1.kafka-endpoints"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param({"requests": "not json"}, id="requests-not-json"),
        pytest.param({"requests": json.dumps({"a": 1})}, id="requests-not-a-list"),
        pytest.param({"requests": json.dumps([{"resource": 3}])}, id="resource-not-a-string"),
        pytest.param({"requests": json.dumps([{"resource": "x"}])}, id="unrequested-answer"),
    ],
)
def test_malformed_answers_fail_no_hook_and_read_as_none(ctx, damage, caplog):
    relation, secret = mongodb_relation()
    relation = dataclasses.replace(
        relation, remote_app_data={**relation.remote_app_data, **damage}
    )
    # No library event fires; only the plain relation and secret events reconcile (to
    # "waiting").
    expected = [
        (ctx.on.relation_changed(relation, remote_unit=0), ["mongodb_relation_changed"]),
        (ctx.on.secret_changed(secret), ["secret_changed"]),
    ]
    for event, reconciled in expected:
        with ctx(event, state((relation, secret))) as manager:
            manager.run()
            assert manager.charm.mongodb.uri() is None
            assert manager.charm.reconciled == reconciled
    assert "ignoring unreadable" in caplog.text
    assert "test-password" not in caplog.text


def test_malformed_provider_bookkeeping_fails_no_hook(ctx):
    relation, secret = mongodb_relation()
    relation = dataclasses.replace(
        relation, remote_app_data={**relation.remote_app_data, "data": "not json"}
    )

    with ctx(ctx.on.relation_changed(relation, remote_unit=0), state((relation, secret))) as mgr:
        mgr.run()
        assert mgr.charm.mongodb.uri() == MONGODB_URI


def test_an_answer_for_another_resource_reads_as_none(ctx):
    relation, secret = mongodb_relation(database="other")

    with ctx(ctx.on.update_status(), state((relation, secret))) as manager:
        manager.run()
        assert manager.charm.mongodb.uri() is None


def test_an_ungranted_secret_reads_as_none(ctx):
    relation, _ = mongodb_relation()

    with ctx(ctx.on.update_status(), state((relation, None))) as manager:
        manager.run()
        assert manager.charm.mongodb.uri() is None


def test_malformed_kafka_endpoints_read_as_none(ctx):
    relation, secret = kafka_relation(bootstrap="kafka-0")

    with ctx(ctx.on.update_status(), state((relation, secret))) as manager:
        manager.run()
        assert manager.charm.kafka.endpoint() is None


@pytest.mark.parametrize(
    ("bootstrap", "expected"),
    [
        ("k:9092", KafkaEndpoint("k", 9092, "k:9092")),
        (" a:1 , b:2 ", KafkaEndpoint("a", 1, "a:1,b:2")),
        ("10.0.0.1:9093,", KafkaEndpoint("10.0.0.1", 9093, "10.0.0.1:9093")),
        ("", None),
        ("k", None),
        (":9092", None),
        ("k:port", None),
        ("a:1,b", None),
    ],
)
def test_parse_bootstrap(bootstrap, expected):
    assert parse_bootstrap(bootstrap) == expected


def test_the_library_provider_answer_reaches_the_requirer(ctx):
    """Propagation: client request -> dpcharmlibs provider -> client reads the URI."""
    relation, _ = mongodb_relation(ready=False)
    requested = ctx.run(ctx.on.relation_created(relation), state((relation, None)))
    request_data = requested.get_relation(relation.id).local_app_data
    provider_ctx = testing.Context(LibraryProviderCharm, meta=PROVIDER_META)
    provider_side = testing.Relation("database", "mongodb_client", remote_app_name="client")
    provider_side = dataclasses.replace(provider_side, remote_app_data=dict(request_data))

    answered = provider_ctx.run(
        provider_ctx.on.relation_changed(provider_side, remote_unit=0),
        testing.State(relations={provider_side}, leader=True),
    )

    [user_secret] = answered.secrets
    client_side = dataclasses.replace(
        relation,
        local_app_data=dict(request_data),
        remote_app_data=dict(answered.get_relation(provider_side.id).local_app_data),
    )
    granted = testing.Secret(tracked_content=user_secret.latest_content, id=user_secret.id)
    with ctx(
        ctx.on.relation_changed(client_side, remote_unit=0), state((client_side, granted))
    ) as m:
        m.run()
        assert m.charm.reconciled == ["resource_created", "mongodb_relation_changed"]
        assert m.charm.mongodb.uri() == user_secret.latest_content["uris"]
    assert PROVIDER_HOSTS in user_secret.latest_content["uris"]


def test_import_emits_no_warnings():
    code = "import charms.osm_libs.v0.data"
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
