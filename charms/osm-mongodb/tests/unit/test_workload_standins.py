"""The workload stand-in as the simulator drives it (`run_as_simulator`).

Two units form one replica set; a client's user is created and its password rotated, and
MongoDB (the stand-in's users) accepts exactly what the client's secret holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from builders import APP, HOST, client, client_answers
from charm import MongoDBCharm
from literals import ADMIN_USER, CONTAINER, PASSWORD_KEY, PEER_RELATION
from ops import testing
from osm_charm_testing import run_as_simulator
from workload_standins import Workload

Ctx = testing.Context[MongoDBCharm]


def run(
    ctx: Ctx,
    workload: Workload,
    unit: int,
    event: Callable[[testing.State], Any],
    state: testing.State,
) -> testing.State:
    """One hook of `unit`, as the simulator runs it: prepare, run, observe."""
    ctx.exec_history.clear()
    return run_as_simulator(ctx, workload, state, event, unit=unit)


def pebble_ready(ctx: Ctx) -> Callable[[testing.State], Any]:
    return lambda state: ctx.on.pebble_ready(state.get_container(CONTAINER))


def test_two_units_form_one_replica_set():
    workload = Workload()
    first = testing.Context(MongoDBCharm, app_name=APP, unit_id=0)
    second = testing.Context(MongoDBCharm, app_name=APP, unit_id=1)
    fresh = testing.Container(CONTAINER, can_connect=True)
    peer = testing.PeerRelation(PEER_RELATION, peers_data={1: {}})
    leader = testing.State(leader=True, containers={fresh}, relations={peer})

    # The leader creates the credentials, plans mongod and initiates the set with itself.
    leader = run(first, workload, 0, pebble_ready(first), leader)
    leader = run(first, workload, 0, lambda _: first.on.update_status(), leader)
    assert workload.members == [HOST[0]]
    assert leader.unit_status == testing.ActiveStatus("primary")

    # The second unit gets the peer data and the secret, plans mongod and says it is ready.
    app_data = leader.get_relation(peer.id).local_app_data
    unit_peer = testing.PeerRelation(
        PEER_RELATION, id=peer.id, local_app_data=app_data, peers_data={0: {"ready": "true"}}
    )
    other = testing.State(containers={fresh}, relations={unit_peer}, secrets=leader.secrets)
    other = run(second, workload, 1, pebble_ready(second), other)
    assert other.unit_status == testing.WaitingStatus("waiting to join the replica set")
    ready = other.get_relation(peer.id).local_unit_data

    # The leader adds it; it is then a secondary.
    joined = dataclasses.replace(leader.get_relation(peer.id), peers_data={1: dict(ready)})
    leader = dataclasses.replace(leader, relations={joined})
    leader = run(
        first,
        workload,
        0,
        lambda s: first.on.relation_changed(s.get_relation(peer.id), remote_unit=1),
        leader,
    )
    other = run(second, workload, 1, lambda _: second.on.update_status(), other)

    assert workload.members == [HOST[0], HOST[1]]
    assert other.unit_status == testing.ActiveStatus("secondary")
    leader = run(first, workload, 0, lambda _: first.on.update_status(), leader)
    assert (leader.unit_status, leader.app_status) == (
        testing.ActiveStatus("primary"),
        testing.ActiveStatus(),
    )


def test_a_rotated_password_is_the_one_mongodb_accepts():
    workload = Workload()
    ctx = testing.Context(MongoDBCharm, app_name=APP, unit_id=0)
    fresh = testing.Container(CONTAINER, can_connect=True)
    nbi = client(app="nbi")
    peer = testing.PeerRelation(PEER_RELATION)
    leader = testing.State(leader=True, containers={fresh}, relations={peer, nbi})
    leader = run(ctx, workload, 0, pebble_ready(ctx), leader)
    leader = run(ctx, workload, 0, lambda _: ctx.on.update_status(), leader)
    [admin] = [s for s in leader.secrets if s.label == "mongodb-credentials"]
    assert workload.accepts(ADMIN_USER, (admin.latest_content or {})[PASSWORD_KEY])

    # The client's request: a user, and the answer's secret with its password.
    leader = run(
        ctx,
        workload,
        0,
        lambda s: ctx.on.relation_changed(s.get_relation(nbi.id), remote_unit=0),
        leader,
    )
    [answer] = client_answers(leader, nbi)
    first = leader.get_secret(id=answer["secret-user"]).latest_content or {}
    assert workload.accepts(first["username"], first["password"])

    # secret-rotate: MongoDB takes the new password, and the secret holds it.
    leader = run(
        ctx,
        workload,
        0,
        lambda s: ctx.on.secret_rotate(s.get_secret(id=answer["secret-user"])),
        leader,
    )
    rotated = leader.get_secret(id=answer["secret-user"]).latest_content or {}
    assert rotated["password"] != first["password"]
    assert workload.accepts(rotated["username"], rotated["password"])
    assert not workload.accepts(first["username"], first["password"])

    # Later hooks leave both as they are.
    leader = run(ctx, workload, 0, lambda _: ctx.on.update_status(), leader)
    assert leader.get_secret(id=answer["secret-user"]).latest_content == rotated
    assert workload.accepts(rotated["username"], rotated["password"])
    assert leader.app_status == testing.ActiveStatus()
