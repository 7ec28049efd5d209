"""Builders for osm-mongodb's ops.testing states: containers, relations, secrets.

The workload's stand-ins (what mongosh answers) are in workload_standins.py; `container()`
puts them in the container, with the answers of a one-member set unless told otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import workload
from config import CharmConfig
from literals import (
    CONTAINER,
    CREDENTIALS_ID_FIELD,
    INITIATED_FIELD,
    KEYFILE_KEY,
    PASSWORD_KEY,
    PEER_RELATION,
    READY_FIELD,
)
from ops import testing
from osm_charm_testing import planned_container
from workload_standins import (
    VERSION,
    answers,
    hello_answer,
    mongosh_exec,
    rs_status_answer,
    with_answers,
)

__all__ = ["VERSION", "mongosh_exec"]  # the stand-ins the tests take from here

APP = "mongodb"
HOST = {n: workload.member_host(f"{APP}/{n}", APP) for n in range(4)}
ADMIN_PASSWORD = "admin-test-password"
KEYFILE = "a2V5ZmlsZS1mb3ItdGVzdHM="


def hello(me: int | None = 0, hosts: Iterable[int] = (0,), primary: bool = True) -> dict:
    """What `HELLO` prints for a member `me` of a set of `hosts` (me=None: not initiated)."""
    if me is None:
        return hello_answer(None, None, [], False)
    return hello_answer(APP, HOST[me], [HOST[n] for n in hosts], primary)


def rs_status(hosts: Iterable[int] = (0,), primary: int = 0) -> dict:
    """What `RS_STATUS` prints for a healthy set of `hosts` whose primary is `primary`."""
    return rs_status_answer(APP, [HOST[n] for n in hosts], HOST[primary])


def container(
    *,
    hello_answer: dict | None = None,
    planned: bool = True,
    running: bool = True,
    ready: bool = True,
    execs: Iterable[testing.Exec] = (),
    can_connect: bool = True,
) -> testing.Container:
    """The mongodb container; `planned` means a previous hook already planned mongod."""
    answered = hello_answer if hello_answer is not None else hello()
    unplanned = with_answers(
        testing.Container(CONTAINER, can_connect=can_connect),
        [*answers(answered, rs_status()), *execs],
    )
    if not planned:
        return unplanned
    layer = workload.layer(CharmConfig(), APP)
    return planned_container(unplanned, layer, running=running, ready=ready)


# The application secret the leader created in an earlier hook.
CREDENTIALS = testing.Secret(
    tracked_content={PASSWORD_KEY: ADMIN_PASSWORD, KEYFILE_KEY: KEYFILE},
    owner="app",
    label="mongodb-credentials",
)


def peers(
    secret: testing.Secret | None = CREDENTIALS,
    *,
    initiated: bool = True,
    ready_units: Iterable[int] = (),
    units: Iterable[int] = (),
    local_ready: bool = True,
    app_data: dict[str, str] | None = None,
) -> testing.PeerRelation:
    """The peer relation with other `units`; `ready_units` have set their ready flag."""
    data = dict(app_data or {})
    if secret is not None:
        data[CREDENTIALS_ID_FIELD] = secret.id
    if initiated:
        data[INITIATED_FIELD] = "true"
    ready = set(ready_units)
    return testing.PeerRelation(
        PEER_RELATION,
        local_app_data=data,
        local_unit_data={READY_FIELD: "true"} if local_ready else {},
        peers_data={n: {READY_FIELD: "true"} if n in ready else {} for n in units},
    )


def state(
    *,
    leader: bool = True,
    container_: testing.Container | None = None,
    peer: testing.PeerRelation | None = None,
    secret: testing.Secret | None = None,
    relations: Iterable[testing.RelationBase] = (),
    secrets: Iterable[testing.Secret] = (),
    config: dict | None = None,
) -> testing.State:
    """A unit of an initiated one-member set, with credentials, unless told otherwise."""
    secret = secret if secret is not None else CREDENTIALS
    peer = peer if peer is not None else peers(secret)
    return testing.State(
        leader=leader,
        containers={container_ if container_ is not None else container()},
        relations={peer, *relations},
        secrets={secret, *secrets},
        storages={testing.Storage("db")},
        config=config or {},
    )


def execs_of(ctx: testing.Context, script: str) -> list[testing.ExecArgs]:
    """The exec calls of `script` made in the last run."""
    return [call for call in ctx.exec_history.get(CONTAINER, []) if script in call.command]


# Clients of the `database` endpoint, and what the charm answers them.


def client(roles: str = "admin", resource: str = "osm", app: str = "nbi") -> testing.Relation:
    """A v1 client that has written its request (as dpcharmlibs requirers do)."""
    request = {"resource": resource, "request-id": "abc", "salt": "s", "extra-user-roles": roles}
    return testing.Relation(
        "database",
        "mongodb_client",
        remote_app_name=app,
        remote_app_data={"version": "v1", "requests": json.dumps([request])},
    )


def v0_client() -> testing.Relation:
    """A client of the older data-platform protocol (data_interfaces v0)."""
    return testing.Relation(
        "database",
        "mongodb_client",
        remote_app_name="legacy",
        remote_app_data={"database": "osm", "extra-user-roles": "readWrite"},
    )


def client_answers(out: testing.State, relation: testing.Relation) -> list[dict]:
    """The answers in the charm's databag of `relation` (v1)."""
    return json.loads(out.get_relation(relation.id).local_app_data.get("requests", "[]"))


def user_secret(out: testing.State, uri: str) -> testing.Secret:
    """The secret `uri` (an answer's `secret-user`) in `out`."""
    return next(secret for secret in out.secrets if secret.id == uri)
