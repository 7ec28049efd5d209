# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The `kafka` endpoint, against the requirer every OSM charm runs (`KafkaRequirer`).

OSM's modules take one host and one port (`OSM*_MESSAGE_HOST`/`_PORT`): the first address
of the bootstrap list, which must reach any live broker, not only broker 0.
"""

from __future__ import annotations

import dataclasses
import json

import ops
import pytest
from charm import KafkaCharm
from charms.osm_libs.v0.data import KafkaEndpoint, KafkaRequirer
from conftest import CLUSTER_ID, node_state
from literals import CLIENT_RELATION, CLUSTER_ID_KEY, CONTAINER, PEER_RELATION, READY_CHECK
from ops import testing
from osm_charm_testing import kafka_relation, with_check

Context = testing.Context[KafkaCharm]
CLIENT_META = {
    "name": "nbi",
    "requires": {CLIENT_RELATION: {"interface": "kafka_client", "limit": 1}},
}
# The application's Kubernetes service first (it reaches any ready broker), then each broker.
SERVICE_ADDRESS = "kafka:9092"
BOOTSTRAP = f"{SERVICE_ADDRESS},kafka-0.kafka-endpoints:9092"
V0_REQUEST = {"topic": "osm", "extra-user-roles": "producer,consumer"}


class OsmClient(ops.CharmBase):
    """An OSM component's side of the relation: the shared `KafkaRequirer`."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.kafka = KafkaRequirer(self)


def client_request() -> dict[str, str]:
    """The application databag an OSM client writes when the relation is created."""
    ctx = testing.Context(OsmClient, meta=CLIENT_META, app_name="nbi")
    relation = testing.Relation(CLIENT_RELATION, "kafka_client", remote_app_name="kafka")
    state_out = ctx.run(
        ctx.on.relation_created(relation), testing.State(leader=True, relations={relation})
    )
    return dict(state_out.get_relation(relation.id).local_app_data)


def client_endpoint(answer: dict[str, str], secret: testing.Secret) -> KafkaEndpoint | None:
    """What the OSM client reads from Kafka's answer and user secret."""
    ctx = testing.Context(OsmClient, meta=CLIENT_META, app_name="nbi")
    relation = testing.Relation(
        CLIENT_RELATION, "kafka_client", remote_app_name="kafka", remote_app_data=answer
    )
    granted = testing.Secret(tracked_content=secret.tracked_content, id=secret.id)
    state = testing.State(leader=True, relations={relation}, secrets={granted})
    with ctx(ctx.on.relation_changed(relation, remote_unit=0), state) as manager:
        manager.run()
        return manager.charm.kafka.endpoint()


def client_relation(remote_app_data: dict[str, str], app: str = "nbi") -> testing.Relation:
    return testing.Relation(
        CLIENT_RELATION, "kafka_client", remote_app_name=app, remote_app_data=remote_app_data
    )


def answer_to(
    ctx: Context, state: testing.State, relation: testing.Relation
) -> tuple[testing.State, dict[str, str]]:
    """Kafka's state and application databag after the client's relation-changed."""
    state_in = dataclasses.replace(state, relations={*state.relations, relation})
    state_out = ctx.run(ctx.on.relation_changed(relation, remote_unit=0), state_in)
    return state_out, dict(state_out.get_relation(relation.id).local_app_data)


def v1_answers(databag: dict[str, str]) -> list[dict[str, str]]:
    return json.loads(databag["requests"])


def user_secret(state: testing.State, secret_id: str) -> testing.Secret:
    return next(secret for secret in state.secrets if secret.id == secret_id)


def test_osm_client_reads_the_bootstrap_endpoint(ctx: Context, state: testing.State):
    state_out, answer = answer_to(ctx, state, client_relation(client_request()))

    secret = user_secret(state_out, v1_answers(answer)[0]["secret-user"])
    assert client_endpoint(answer, secret) == KafkaEndpoint(
        host="kafka", port=9092, bootstrap=BOOTSTRAP
    )


def test_answer_has_the_shape_the_shared_builder_gives_requirers(
    ctx: Context, state: testing.State
):
    built, built_secret = kafka_relation()
    assert built_secret is not None
    built_answer = v1_answers(dict(built.remote_app_data))[0]

    state_out, answer = answer_to(ctx, state, client_relation(client_request()))

    ours = {key: value for key, value in v1_answers(answer)[0].items() if value is not None}
    assert set(ours) == set(built_answer)
    assert ours["resource"] == built_answer["resource"] == "osm"
    assert ours["endpoints"] == BOOTSTRAP
    secret = user_secret(state_out, ours["secret-user"])
    assert set(secret.tracked_content) == set(built_secret.tracked_content)


def test_credentials_travel_only_in_a_granted_secret(ctx: Context, state: testing.State):
    relation = client_relation(client_request())

    state_out, answer = answer_to(ctx, state, relation)

    secret = user_secret(state_out, v1_answers(answer)[0]["secret-user"])
    assert secret.tracked_content["username"] == f"relation-{relation.id}"
    assert len(secret.tracked_content["password"]) >= 32
    assert secret.tracked_content["password"] not in json.dumps(answer)
    assert secret.remote_grants == {relation.id: {"nbi"}}


def test_answers_do_not_change_when_nothing_changed(ctx: Context, state: testing.State):
    first, answer = answer_to(ctx, state, client_relation(client_request()))

    second = ctx.run(ctx.on.config_changed(), ctx.run(ctx.on.update_status(), first))

    relation = second.get_relations(CLIENT_RELATION)[0]
    assert dict(relation.local_app_data) == answer
    assert second.secrets == first.secrets


@pytest.mark.parametrize(
    ("unit", "peers", "brokers"),
    [(0, [1, 2], [0, 1, 2]), (1, [2], [1, 2]), (2, [0, 1], [0, 1, 2])],
    ids=["all-three", "broker-0-gone", "leader-is-broker-2"],
)
def test_osm_clients_bootstrap_from_any_live_broker(
    container: testing.Container, unit: int, peers: list[int], brokers: list[int]
):
    ctx = testing.Context(KafkaCharm, app_name="kafka", unit_id=unit)
    cluster = testing.PeerRelation(
        PEER_RELATION,
        local_app_data={CLUSTER_ID_KEY: CLUSTER_ID},
        peers_data={peer: {} for peer in peers},
    )
    state = node_state(container, cluster, leader=True, planned_units=len(brokers))

    state_out, answer = answer_to(ctx, state, client_relation(client_request()))

    secret = user_secret(state_out, v1_answers(answer)[0]["secret-user"])
    endpoint = client_endpoint(answer, secret)
    assert endpoint is not None
    # What an OSM module connects to (OSM*_MESSAGE_HOST and _PORT): the service.
    assert (endpoint.host, endpoint.port) == ("kafka", 9092)
    # A client that reads the whole list has every broker as well.
    assert endpoint.bootstrap == ",".join(
        [SERVICE_ADDRESS, *(f"kafka-{i}.kafka-endpoints:9092" for i in brokers)]
    )
    assert testing.TCPPort(9092) in state_out.opened_ports  # the service carries the port


def test_non_leader_does_not_answer(ctx: Context, state: testing.State):
    _, answer = answer_to(
        ctx, dataclasses.replace(state, leader=False), client_relation(client_request())
    )

    assert "requests" not in answer


def test_no_answer_until_kafka_is_ready(ctx: Context, state: testing.State):
    running = ctx.run(ctx.on.config_changed(), state)
    container = with_check(
        running.get_container(CONTAINER), READY_CHECK, ops.pebble.CheckStatus.DOWN
    )
    not_ready = dataclasses.replace(running, containers={container})

    _, answer = answer_to(ctx, not_ready, client_relation(client_request()))

    assert "requests" not in answer


def test_v0_client_gets_topic_endpoints_and_a_stable_secret(ctx: Context, state: testing.State):
    first, answer = answer_to(ctx, state, client_relation(V0_REQUEST))
    second = ctx.run(ctx.on.config_changed(), first)

    assert answer["topic"] == "osm"
    assert answer["endpoints"] == BOOTSTRAP
    secret = user_secret(first, answer["secret-user"])
    assert set(secret.tracked_content) == {"username", "password"}
    assert dict(second.get_relations(CLIENT_RELATION)[0].local_app_data) == answer
    assert second.secrets == first.secrets


def test_each_client_gets_its_own_user(ctx: Context, state: testing.State):
    first, _ = answer_to(ctx, state, client_relation(client_request(), app="nbi"))
    second, _ = answer_to(ctx, first, client_relation(client_request(), app="lcm"))

    users = {secret.tracked_content["username"] for secret in second.secrets}
    ids = {relation.id for relation in second.get_relations(CLIENT_RELATION)}
    assert users == {f"relation-{relation_id}" for relation_id in ids}


@pytest.mark.parametrize(
    "databag",
    [
        {"version": "v1", "requests": "{not json"},
        {"version": "v1", "requests": json.dumps([{"resource": 7, "entity-type": "ROBOT"}])},
    ],
)
def test_malformed_request_is_ignored(ctx: Context, state: testing.State, databag: dict):
    state_out, answer = answer_to(ctx, state, client_relation(databag))

    assert "requests" not in answer
    assert state_out.unit_status == testing.ActiveStatus()


def test_broken_relation_removes_the_user_secret(ctx: Context, state: testing.State):
    relation = client_relation(client_request())
    answered, _ = answer_to(ctx, state, relation)

    state_out = ctx.run(ctx.on.relation_broken(answered.get_relation(relation.id)), answered)

    assert answered.secrets
    assert state_out.secrets == frozenset()
