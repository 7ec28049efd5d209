"""The `get-admin-password` and `rs-status` actions."""

from __future__ import annotations

import dataclasses
import re

import mongosh
import pytest
from builders import ADMIN_PASSWORD, HOST, container, mongosh_exec, peers, state
from ops import testing

RS_STATUS = {
    "set": "mongodb",
    "members": [
        {"name": HOST[0], "state": "PRIMARY", "health": 1},
        {"name": HOST[1], "state": "SECONDARY", "health": 0},
    ],
}


@pytest.mark.parametrize("leader", [True, False])
def test_get_admin_password(ctx, leader):
    ctx.run(ctx.on.action("get-admin-password"), state(leader=leader))

    assert ctx.action_results == {"username": "admin", "password": ADMIN_PASSWORD}


def test_get_admin_password_before_the_credentials_exist(ctx):
    fresh = dataclasses.replace(state(peer=peers(None)), secrets=frozenset())

    with pytest.raises(testing.ActionFailed, match="the admin credentials do not exist yet"):
        ctx.run(ctx.on.action("get-admin-password"), fresh)


def test_rs_status_lists_every_member(ctx):
    answering = container(execs=[mongosh_exec(mongosh.RS_STATUS, RS_STATUS)])

    ctx.run(ctx.on.action("rs-status"), state(leader=False, container_=answering))

    assert ctx.action_results == {
        "replica-set": "mongodb",
        "members": f"{HOST[0]} PRIMARY health=1\n{HOST[1]} SECONDARY health=0",
    }
    [call] = [c for c in ctx.exec_history["mongodb"] if mongosh.RS_STATUS in c.command]
    assert call.environment["MONGO_ADMIN_PASSWORD"] == ADMIN_PASSWORD
    assert call.command[-1] == "mongodb://localhost:27017/admin?directConnection=true"


@pytest.mark.parametrize(
    ("answer", "code", "message"),
    [
        (None, 1, "rs-status failed (exit code 1)"),
        ({"unexpected": True}, 0, "rs-status: unexpected answer"),
        (None, 0, "rs-status: unexpected answer"),
    ],
)
def test_rs_status_failures(ctx, answer, code, message):
    failing = container(execs=[mongosh_exec(mongosh.RS_STATUS, answer, code=code)])

    with pytest.raises(testing.ActionFailed, match=re.escape(message)):
        ctx.run(ctx.on.action("rs-status"), state(container_=failing))


def test_rs_status_without_pebble(ctx):
    offline = container(can_connect=False)

    with pytest.raises(testing.ActionFailed, match="mongod is not configured yet"):
        ctx.run(ctx.on.action("rs-status"), state(container_=offline))
