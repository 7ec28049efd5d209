"""The `database` endpoint: users for client requests and data-platform answers."""

from __future__ import annotations

import dataclasses
import json

import mongosh
import pytest
from builders import (
    APP,
    CONTAINER,
    HOST,
    VERSION,
    client,
    client_answers,
    container,
    execs_of,
    hello,
    mongosh_exec,
    peers,
    state,
    user_secret,
    v0_client,
)
from literals import USERS_FIELD
from ops import testing

ADMIN_ROLES = [
    {"role": "readWrite", "db": "osm"},
    {"role": "readWriteAnyDatabase", "db": "admin"},
    {"role": "dbAdminAnyDatabase", "db": "admin"},
    {"role": "userAdminAnyDatabase", "db": "admin"},
    {"role": "clusterMonitor", "db": "admin"},
]


def request_changed(ctx, relation: testing.Relation, **state_args) -> testing.State:
    return ctx.run(
        ctx.on.relation_changed(relation, remote_unit=0),
        state(relations=[relation], **state_args),
    )


def test_a_request_gets_a_user_and_an_answer(ctx):
    relation = client()

    out = request_changed(ctx, relation)

    [call] = execs_of(ctx, mongosh.SET_USERS)
    [user] = json.loads(call.environment["MONGO_USERS"])
    assert user["user"] == f"relation-{relation.id}-abc"
    assert user["roles"] == ADMIN_ROLES
    assert call.environment["MONGO_USER_PREFIX"] == "relation-"
    [answer] = client_answers(out, relation)
    assert answer["request-id"] == "abc"
    assert answer["resource"] == "osm"
    assert answer["endpoints"] == HOST[0]
    secret = user_secret(out, answer["secret-user"])
    assert secret.tracked_content["username"] == user["user"]
    assert secret.latest_content["password"] == user["pwd"]
    assert secret.latest_content["uris"] == (
        f"mongodb://{user['user']}:{user['pwd']}@{HOST[0]}/osm?replicaSet={APP}&authSource=admin"
    )
    assert relation.remote_app_name in secret.remote_grants[relation.id]
    assert user["pwd"] not in json.dumps(dict(out.get_relation(relation.id).local_app_data))
    assert out.app_status == testing.ActiveStatus()


def test_the_answer_stays_the_same_on_later_hooks(ctx):
    relation = client()
    first = request_changed(ctx, relation)
    [answer] = client_answers(first, relation)
    uri = user_secret(first, answer["secret-user"]).latest_content["uris"]
    ctx.exec_history.clear()  # it accumulates over runs

    later = ctx.run(ctx.on.update_status(), first)

    assert execs_of(ctx, mongosh.SET_USERS) == []
    assert client_answers(later, relation) == [answer]
    assert user_secret(later, answer["secret-user"]).latest_content["uris"] == uri


def test_answers_follow_the_members(ctx):
    relation = client()
    first = request_changed(ctx, relation)
    [answer] = client_answers(first, relation)
    three = container(hello_answer=hello(0, (0, 1, 2)))
    grown = dataclasses.replace(
        first,
        containers={three},
        relations={relation, peers(units=[1, 2], ready_units=[1, 2])},
    )

    out = ctx.run(ctx.on.update_status(), grown)

    [later] = client_answers(out, relation)
    assert later["endpoints"] == f"{HOST[0]},{HOST[1]},{HOST[2]}"
    uri = user_secret(out, answer["secret-user"]).latest_content["uris"]
    assert f"@{HOST[0]},{HOST[1]},{HOST[2]}/osm?" in uri


def test_a_v0_client_is_answered_in_v0(ctx):
    relation = v0_client()

    out = request_changed(ctx, relation)

    [call] = execs_of(ctx, mongosh.SET_USERS)
    [user] = json.loads(call.environment["MONGO_USERS"])
    assert user["user"] == f"relation-{relation.id}"
    databag = out.get_relation(relation.id).local_app_data
    assert databag["endpoints"] == HOST[0]
    secret = user_secret(out, databag["secret-user"])
    assert secret.latest_content["username"] == user["user"]


def test_a_v0_answer_keeps_its_secret_on_later_hooks(ctx):
    """A v0 answer stays as it is, its secret too, hook after hook.

    dpcharmlibs reads a v0 answer's secret under another label than it writes it with,
    and gives a v0 request a new random salt at each reading; read so, every hook would
    relabel the secret, answer with a new one and rewrite the databag.
    """
    relation = v0_client()
    first = request_changed(ctx, relation)
    answer = dict(first.get_relation(relation.id).local_app_data)
    labels = {secret.id: secret.label for secret in first.secrets}

    later = ctx.run(ctx.on.update_status(), ctx.run(ctx.on.update_status(), first))

    assert later.get_relation(relation.id).local_app_data == answer
    assert {secret.id: secret.label for secret in later.secrets} == labels


@pytest.mark.parametrize(
    ("relation_args", "reason"),
    [
        ({"roles": "root"}, "unknown role 'root'"),
        ({"resource": "admin"}, "invalid database name 'admin'"),
    ],
)
def test_bad_requests_block_and_get_no_user(ctx, relation_args, reason):
    relation = client(**relation_args)

    out = request_changed(ctx, relation)

    assert out.app_status == testing.BlockedStatus(f"database relation {relation.id}: {reason}")
    assert client_answers(out, relation) == []
    assert not execs_of(ctx, mongosh.SET_USERS)


def test_unreadable_requests_block(ctx):
    relation = testing.Relation(
        "database",
        "mongodb_client",
        remote_app_name="nbi",
        remote_app_data={"version": "v1", "requests": json.dumps([{"resource": 7}])},
    )

    out = ctx.run(ctx.on.update_status(), state(relations=[relation]))

    assert out.app_status == testing.BlockedStatus(
        f"database relation {relation.id}: unreadable request"
    )


def test_users_of_a_broken_relation_are_dropped(ctx):
    relation = client()
    served = request_changed(ctx, relation)
    ctx.exec_history.clear()  # it accumulates over runs

    out = ctx.run(ctx.on.relation_broken(served.get_relation(relation.id)), served)

    [call] = execs_of(ctx, mongosh.SET_USERS)
    assert json.loads(call.environment["MONGO_USERS"]) == []
    [peer] = [r for r in out.relations if isinstance(r, testing.PeerRelation)]
    assert peer.local_app_data[USERS_FIELD] == "[]"


def test_a_failed_user_creation_answers_nothing_and_retries(ctx):
    relation = client()
    failing = container(execs=[mongosh_exec(mongosh.SET_USERS, code=1)])

    out = request_changed(ctx, relation, container_=failing)

    assert client_answers(out, relation) == []
    assert out.app_status == testing.WaitingStatus("creating the client users")


@pytest.mark.parametrize(
    "state_args",
    [
        pytest.param({"leader": False}, id="non-leader"),
        pytest.param({"peer": peers(initiated=False, local_ready=False)}, id="not-initiated"),
    ],
)
def test_no_users_before_the_set_or_off_the_leader(ctx, state_args):
    relation = client()
    unready = {"container_": container(ready=False)} if "peer" in state_args else {}

    out = request_changed(ctx, relation, **state_args, **unready)

    assert not execs_of(ctx, mongosh.SET_USERS)
    assert client_answers(out, relation) == []


def test_the_answer_reports_the_mongod_version(ctx):
    relation = client()

    out = request_changed(ctx, relation)

    [answer] = client_answers(out, relation)
    assert answer.get("version") == VERSION
    assert out.get_container(CONTAINER).plan.services
