"""Rotating the client users' passwords: the policy, `secret-rotate` and the action.

A rotation gives one client user a new password in MongoDB first (mongosh, the password
in the exec's environment), then a new revision of the answer's `secret-user` secret
(password and URI), so that no client is ever handed a password MongoDB refuses. When
MongoDB's update fails, the secret keeps its revision: Juju fires `secret-rotate` again
five minutes later, and the next reconcile gives MongoDB back the passwords the clients
hold (whatever a half-done update left).
"""

from __future__ import annotations

import dataclasses
import json
import re

import mongosh
import ops
import pytest
from builders import (
    CONTAINER,
    CREDENTIALS,
    client,
    client_answers,
    container,
    execs_of,
    mongosh_exec,
    state,
    user_secret,
    v0_client,
)
from literals import USERS_FIELD
from ops import testing
from workload_standins import with_answers

POLICIES = ("never", "hourly", "daily", "weekly", "monthly", "quarterly", "yearly")


def served(ctx, *relations: testing.Relation, **state_args) -> testing.State:
    """A leader that has created a user for, and answered, every client of `relations`."""
    out = state(relations=relations, **state_args)
    for relation in relations:
        out = ctx.run(ctx.on.relation_changed(out.get_relation(relation.id), remote_unit=0), out)
    ctx.exec_history.clear()  # it accumulates over runs
    return out


def secret_of(out: testing.State, relation: testing.Relation) -> testing.Secret:
    """The `secret-user` secret answering the (one) request of `relation`."""
    [answer] = _answers(out, relation)
    return user_secret(out, answer["secret-user"])


def _answers(out: testing.State, relation: testing.Relation) -> list[dict]:
    databag = out.get_relation(relation.id).local_app_data
    return client_answers(out, relation) if "requests" in databag else [dict(databag)]


def with_failing_update(out: testing.State, code: int = 1) -> testing.State:
    """`out` whose mongosh fails to update a password (exit `code`)."""
    failing = with_answers(
        out.get_container(CONTAINER), [mongosh_exec(mongosh.SET_PASSWORD, code=code)]
    )
    return dataclasses.replace(out, containers={failing})


def logged(ctx, caplog) -> str:
    return caplog.text + " ".join(log.message for log in ctx.juju_log)


# The rotation policy of the answers' secrets


def test_an_answer_secret_rotates_monthly_by_default(ctx):
    relation = client()

    out = served(ctx, relation)

    assert secret_of(out, relation).rotate == ops.SecretRotate.MONTHLY
    assert CREDENTIALS.rotate is None  # the admin's secret is not the clients'


@pytest.mark.parametrize("policy", POLICIES)
def test_the_rotation_policy_follows_the_config(ctx, policy):
    relation = client()
    first = served(ctx, relation)

    out = ctx.run(
        ctx.on.config_changed(),
        dataclasses.replace(first, config={"client-user-rotation": policy}),
    )

    assert secret_of(out, relation).rotate == ops.SecretRotate(policy)


def test_an_invalid_rotation_policy_blocks_naming_the_option(ctx):
    out = ctx.run(ctx.on.config_changed(), state(config={"client-user-rotation": "fortnightly"}))

    assert out.unit_status == testing.BlockedStatus(
        "invalid client-user-rotation 'fortnightly': use one of " + ", ".join(POLICIES)
    )


# secret-rotate: MongoDB first, then the secret


@pytest.mark.parametrize("make_client", [client, v0_client], ids=["v1", "v0"])
def test_secret_rotate_updates_mongodb_then_the_secret(ctx, caplog, make_client):
    relation = make_client()
    before = served(ctx, relation)
    secret = secret_of(before, relation)
    old = dict(secret.latest_content or {})

    out = ctx.run(ctx.on.secret_rotate(secret), before)

    [call] = execs_of(ctx, mongosh.SET_PASSWORD)
    assert call.environment["MONGO_CLIENT_USER"] == old["username"]
    password = call.environment["MONGO_CLIENT_PASSWORD"]
    assert password != old["password"]
    assert re.fullmatch(r"[A-Za-z0-9]{32}", password)
    assert password not in " ".join(call.command)
    rotated = secret_of(out, relation)
    assert rotated.id == secret.id
    assert rotated.latest_content == {
        **old,
        "password": password,
        "uris": old["uris"].replace(f":{old['password']}@", f":{password}@"),
    }
    assert rotated.rotate == ops.SecretRotate.MONTHLY
    # The rest of the answer (endpoints, version, the secret's ID) is unchanged.
    assert (
        out.get_relation(relation.id).local_app_data
        == before.get_relation(relation.id).local_app_data
    )
    assert password not in logged(ctx, caplog)
    assert [c for c in ctx.exec_history[CONTAINER] if mongosh.SET_USERS in c.command] == []


def test_only_the_secret_due_is_rotated(ctx):
    nbi, lcm = client(app="nbi"), client(app="lcm")
    before = served(ctx, nbi, lcm)

    out = ctx.run(ctx.on.secret_rotate(secret_of(before, lcm)), before)

    [call] = execs_of(ctx, mongosh.SET_PASSWORD)
    assert call.environment["MONGO_CLIENT_USER"] == f"relation-{lcm.id}-abc"
    assert secret_of(out, nbi).latest_content == secret_of(before, nbi).latest_content
    assert secret_of(out, lcm).latest_content != secret_of(before, lcm).latest_content


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(with_failing_update, id="mongosh-fails"),
        pytest.param(
            lambda s: dataclasses.replace(s, containers={container(can_connect=False)}),
            id="pebble-unreachable",
        ),
    ],
)
def test_a_failed_rotation_keeps_the_old_password_and_retries(ctx, caplog, break_it):
    relation = client()
    before = served(ctx, relation)
    secret = secret_of(before, relation)
    old = dict(secret.latest_content or {})

    out = ctx.run(ctx.on.secret_rotate(secret), break_it(before))

    # No new revision: the client keeps a password MongoDB accepts, and Juju fires
    # secret-rotate again (five minutes later) because the secret was not rotated.
    assert secret_of(out, relation).latest_content == old
    assert "not rotated" in caplog.text
    for call in execs_of(ctx, mongosh.SET_PASSWORD):
        assert call.environment["MONGO_CLIENT_PASSWORD"] not in logged(ctx, caplog)
    # The next reconcile gives MongoDB back the password the client holds.
    peer = next(r for r in out.relations if isinstance(r, testing.PeerRelation))
    assert USERS_FIELD not in peer.local_app_data
    ctx.exec_history.clear()
    healed = dataclasses.replace(out, containers=before.containers)
    later = ctx.run(ctx.on.update_status(), healed)
    [call] = execs_of(ctx, mongosh.SET_USERS)
    [user] = json.loads(call.environment["MONGO_USERS"])
    assert (user["user"], user["pwd"]) == (old["username"], old["password"])
    assert later.app_status == testing.ActiveStatus()


def test_rotating_the_admin_secret_changes_nothing(ctx):
    relation = client()
    before = served(ctx, relation)

    out = ctx.run(ctx.on.secret_rotate(before.get_secret(id=CREDENTIALS.id)), before)

    assert execs_of(ctx, mongosh.SET_PASSWORD) == []
    assert out.secrets == before.secrets


def test_the_secret_of_a_removed_relation_stops_rotating(ctx):
    """A secret whose relation is gone stops rotating.

    It has no user to rotate; left with its policy, Juju would fire secret-rotate every
    five minutes.
    """
    orphan = testing.Secret(
        tracked_content={"username": "relation-9-abc", "password": "x"},
        owner="app",
        label="database.9.abc.user.secret",
        rotate=ops.SecretRotate.MONTHLY,
    )
    before = served(ctx, client(), secrets=[orphan])

    out = ctx.run(ctx.on.secret_rotate(orphan), before)

    assert execs_of(ctx, mongosh.SET_PASSWORD) == []
    assert out.get_secret(id=orphan.id).rotate == ops.SecretRotate.NEVER
    assert out.get_secret(id=orphan.id).latest_content == orphan.tracked_content


# The action


def test_the_action_rotates_every_client_and_names_them(ctx, caplog):
    nbi, lcm = client(app="nbi"), client(app="lcm")
    before = served(ctx, nbi, lcm)

    out = ctx.run(ctx.on.action("rotate-client-credentials"), before)

    calls = {
        call.environment["MONGO_CLIENT_USER"]: call.environment["MONGO_CLIENT_PASSWORD"]
        for call in execs_of(ctx, mongosh.SET_PASSWORD)
    }
    assert sorted(calls) == [f"relation-{nbi.id}-abc", f"relation-{lcm.id}-abc"]
    for relation in (nbi, lcm):
        password = calls[f"relation-{relation.id}-abc"]
        assert (secret_of(out, relation).latest_content or {})["password"] == password
        assert password not in json.dumps(ctx.action_results)
        assert password not in logged(ctx, caplog)
    assert ctx.action_results == {
        "rotated": f"nbi (relation {nbi.id}), lcm (relation {lcm.id})",
    }


@pytest.mark.parametrize("by", ["relation-id", "application"])
def test_the_action_can_be_restricted_to_one_client(ctx, by):
    nbi, lcm = client(app="nbi"), client(app="lcm")
    before = served(ctx, nbi, lcm)
    params = {"relation-id": lcm.id} if by == "relation-id" else {"application": "lcm"}

    out = ctx.run(ctx.on.action("rotate-client-credentials", params=params), before)

    [call] = execs_of(ctx, mongosh.SET_PASSWORD)
    assert call.environment["MONGO_CLIENT_USER"] == f"relation-{lcm.id}-abc"
    assert secret_of(out, nbi).latest_content == secret_of(before, nbi).latest_content
    assert ctx.action_results == {"rotated": f"lcm (relation {lcm.id})"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"application": "pol"}, "no answered client relation of application pol"),
        ({"relation-id": 999}, "no answered client relation with relation-id 999"),
    ],
)
def test_the_action_fails_when_no_client_matches(ctx, params, message):
    before = served(ctx, client())

    with pytest.raises(testing.ActionFailed, match=re.escape(message)):
        ctx.run(ctx.on.action("rotate-client-credentials", params=params), before)

    assert execs_of(ctx, mongosh.SET_PASSWORD) == []


def test_the_action_runs_on_the_leader_only(ctx):
    before = served(ctx, client())

    with pytest.raises(testing.ActionFailed, match="run it on mongodb/leader"):
        ctx.run(
            ctx.on.action("rotate-client-credentials"), dataclasses.replace(before, leader=False)
        )


def test_the_action_reports_what_it_could_not_rotate(ctx):
    relation = client()
    before = served(ctx, relation)
    old = secret_of(before, relation).latest_content

    with pytest.raises(testing.ActionFailed) as failure:
        ctx.run(ctx.on.action("rotate-client-credentials"), with_failing_update(before))

    assert failure.value.message == (
        f"not rotated, their old passwords still work: nbi (relation {relation.id})"
    )
    after = failure.value.state
    assert isinstance(after, testing.State)
    assert after.get_secret(id=secret_of(before, relation).id).latest_content == old


def test_the_action_before_mongod_is_configured(ctx):
    fresh = dataclasses.replace(state(), secrets=frozenset(), relations=frozenset())

    with pytest.raises(testing.ActionFailed, match="mongod is not configured yet"):
        ctx.run(ctx.on.action("rotate-client-credentials"), fresh)
