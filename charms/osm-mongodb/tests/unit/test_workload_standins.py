"""The workload stand-in as the simulator drives it: two units form one replica set."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from builders import APP, HOST
from charm import MongoDBCharm
from literals import CONTAINER, PEER_RELATION
from ops import testing
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
    prepared = dataclasses.replace(
        state, containers={workload.prepare(unit, c) for c in state.containers}
    )
    ctx.exec_history.clear()
    out = ctx.run(event(prepared), prepared)
    commands = [list(call.command) for call in ctx.exec_history.get(CONTAINER, [])]
    workload.observe(unit, out.get_container(CONTAINER), commands)
    return out


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
