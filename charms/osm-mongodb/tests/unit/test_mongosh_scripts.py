"""The mongosh scripts' logic, run by Node.js against an in-memory fake of the shell.

The fake (fake_mongosh.js) models only what the scripts rely on: `hello`, the localhost
exception, authentication, users and replica set members. These tests need `node`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import mongosh
import pytest

NODE = shutil.which("node")
FAKE = (Path(__file__).parent / "fake_mongosh.js").read_text()
pytestmark = pytest.mark.skipif(NODE is None, reason="needs Node.js to run mongosh scripts")

ADMIN = {"MONGO_ADMIN_USER": "admin", "MONGO_ADMIN_PASSWORD": "pw"}
ADMIN_USER = {"user": "admin", "pwd": "pw", "roles": ["root"]}
A, B, C = "m-0.m-endpoints:27017", "m-1.m-endpoints:27017", "m-2.m-endpoints:27017"
INITIATED = {"setName": "m", "me": A, "members": [A], "primary": True, "users": [ADMIN_USER]}


@dataclass
class Run:
    """What a script printed, the calls it made, whether it succeeded, the users it left."""

    code: int
    result: dict | None
    calls: list[list]
    users: list[dict]


def run(script: str, server: dict, environment: dict[str, str]) -> Run:
    assert NODE is not None
    completed = subprocess.run(
        [NODE, "-e", f"{FAKE}\n{{\n{script}\n}}"],
        env={"FAKE_SERVER": json.dumps(server), **environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    stdout = completed.stdout.strip().splitlines()
    [calls] = [line for line in completed.stderr.splitlines() if line.startswith("CALLS ")]
    [users] = [line for line in completed.stderr.splitlines() if line.startswith("USERS ")]
    return Run(
        code=completed.returncode,
        result=json.loads(stdout[-1]) if stdout else None,
        calls=json.loads(calls.removeprefix("CALLS ")),
        users=json.loads(users.removeprefix("USERS ")),
    )


def names(calls: list[list], kind: str) -> list:
    return [call[1] for call in calls if call[0] == kind]


def test_hello_before_initiation():
    outcome = run(mongosh.HELLO, {}, {})

    assert outcome.result == {
        "setName": None,
        "me": None,
        "hosts": [],
        "primary": False,
        "version": "7.0.14",
    }


def test_hello_of_a_member():
    outcome = run(mongosh.HELLO, {**INITIATED, "members": [A, B]}, {})

    assert outcome.result is not None
    assert (outcome.result["setName"], outcome.result["me"]) == ("m", A)
    assert (outcome.result["hosts"], outcome.result["primary"]) == ([A, B], True)


def test_initiate_a_new_set_then_create_the_admin():
    environment = {**ADMIN, "MONGO_REPLICA_SET": "m", "MONGO_HOST": A}

    outcome = run(mongosh.INITIATE, {}, environment)

    assert outcome.code == 0
    assert outcome.result == {"initiated": True}
    [config] = names(outcome.calls, "initiate")
    assert config == {"_id": "m", "members": [{"_id": 0, "host": A}]}
    assert names(outcome.calls, "createUser") == ["admin"]
    assert [call[2] for call in outcome.calls if call[0] == "createUser"] == [["root"]]


def test_initiate_again_changes_nothing():
    environment = {**ADMIN, "MONGO_REPLICA_SET": "m", "MONGO_HOST": A}

    outcome = run(mongosh.INITIATE, INITIATED, environment)

    assert outcome.code == 0
    assert names(outcome.calls, "initiate") == []
    assert names(outcome.calls, "createUser") == []


def test_initiate_fails_when_this_member_does_not_become_primary():
    environment = {**ADMIN, "MONGO_REPLICA_SET": "m", "MONGO_HOST": A}

    outcome = run(mongosh.INITIATE, {"electable": False}, environment)

    assert outcome.code != 0
    assert len([call for call in outcome.calls if call[0] == "sleep"]) == 30
    assert names(outcome.calls, "createUser") == []


def test_set_members_adds_then_removes():
    server = {**INITIATED, "members": [A, C]}

    outcome = run(mongosh.SET_MEMBERS, server, {**ADMIN, "MONGO_MEMBERS": json.dumps([A, B])})

    assert outcome.code == 0
    assert names(outcome.calls, "add") == [B]
    assert names(outcome.calls, "remove") == [C]
    assert outcome.result == {"members": [A, B]}


def test_set_users_creates_updates_and_drops_client_users_only():
    server = {
        **INITIATED,
        "users": [
            ADMIN_USER,
            {"user": "relation-1", "pwd": "old", "roles": []},
            {"user": "relation-2", "pwd": "x", "roles": []},
            {"user": "someone", "pwd": "y", "roles": []},
        ],
    }
    wanted = [
        {"user": "relation-1", "pwd": "p1", "roles": [{"role": "readWrite", "db": "osm"}]},
        {"user": "relation-3-abc", "pwd": "p3", "roles": [{"role": "read", "db": "pol"}]},
    ]
    environment = {**ADMIN, "MONGO_USERS": json.dumps(wanted), "MONGO_USER_PREFIX": "relation-"}

    outcome = run(mongosh.SET_USERS, server, environment)

    assert outcome.code == 0
    assert names(outcome.calls, "createUser") == ["relation-3-abc"]
    assert names(outcome.calls, "updateUser") == ["relation-1"]
    assert names(outcome.calls, "dropUser") == ["relation-2"]
    assert outcome.result == {"users": ["relation-1", "relation-3-abc"]}


def test_set_password_updates_that_user_only_with_a_majority():
    server = {
        **INITIATED,
        "users": [
            ADMIN_USER,
            {"user": "relation-1", "pwd": "old", "roles": ["r"]},
            {"user": "relation-2", "pwd": "other", "roles": ["r"]},
        ],
    }
    environment = {**ADMIN, "MONGO_CLIENT_USER": "relation-1", "MONGO_CLIENT_PASSWORD": "new"}

    outcome = run(mongosh.SET_PASSWORD, server, environment)

    assert outcome.code == 0
    assert outcome.result == {"updated": True}
    [update] = [call for call in outcome.calls if call[0] == "updateUser"]
    assert update[1] == "relation-1"
    assert update[3] == {"w": "majority", "wtimeout": 60000}  # clients read from any member
    assert names(outcome.calls, "createUser") == names(outcome.calls, "dropUser") == []
    assert [(u["user"], u["pwd"], u["roles"]) for u in outcome.users[1:]] == [
        ("relation-1", "new", ["r"]),
        ("relation-2", "other", ["r"]),
    ]


def test_set_password_of_an_unknown_user_fails():
    environment = {**ADMIN, "MONGO_CLIENT_USER": "relation-7", "MONGO_CLIENT_PASSWORD": "new"}

    outcome = run(mongosh.SET_PASSWORD, INITIATED, environment)

    assert outcome.code != 0
    assert names(outcome.calls, "createUser") == []


def test_admin_scripts_fail_with_a_wrong_password():
    environment = {"MONGO_ADMIN_USER": "admin", "MONGO_ADMIN_PASSWORD": "wrong"}

    outcome = run(mongosh.SET_MEMBERS, INITIATED, {**environment, "MONGO_MEMBERS": "[]"})

    assert outcome.code != 0
    assert names(outcome.calls, "remove") == []


def test_rs_status_reports_every_member():
    outcome = run(mongosh.RS_STATUS, {**INITIATED, "members": [A, B]}, ADMIN)

    assert outcome.result == {
        "set": "m",
        "members": [
            {"name": A, "state": "PRIMARY", "health": 1},
            {"name": B, "state": "SECONDARY", "health": 1},
        ],
    }
