# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The simulator's `Workload` stand-in: files last from hook to hook, reloads are counted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from charm import OsmNgUiCharm
from literals import CONTAINER, NBI_RELATION
from ops import testing
from workload_standins import RELOAD_REJECTED, Workload


def run(ctx, workload: Workload, state: testing.State, event) -> testing.State:
    """One hook as the simulator runs it: prepare the containers, run, observe."""
    containers = {
        workload.prepare(0, container, container.get_filesystem(ctx))
        for container in state.containers
    }
    state_out = ctx.run(event(), dataclasses.replace(state, containers=containers))
    for container in state_out.containers:
        calls = [list(call.command) for call in ctx.exec_history.get(container.name, [])]
        workload.observe(0, container, calls, container.get_filesystem(ctx))
    ctx.exec_history.clear()
    return state_out


def test_the_workload_keeps_files_between_hooks_and_counts_reloads(tmp_path: Path):
    ctx = testing.Context(OsmNgUiCharm)
    workload = Workload(root=tmp_path)
    nbi = testing.Relation(NBI_RELATION, remote_app_data={"host": "nbi", "port": "9999"})
    state = testing.State(containers={testing.Container(CONTAINER, can_connect=True)})
    state = dataclasses.replace(state, relations={nbi})

    state = run(ctx, workload, state, ctx.on.config_changed)
    state = run(ctx, workload, state, ctx.on.update_status)
    assert workload.reloads == {}  # started with the site, nothing to reload
    moved = dataclasses.replace(nbi, remote_app_data={"host": "nbi-2", "port": "9999"})
    state = run(ctx, workload, dataclasses.replace(state, relations={moved}), ctx.on.update_status)

    assert workload.reloads == {0: 1}
    assert state.unit_status == testing.ActiveStatus()
    assert (tmp_path / "unit-0" / "record" / "loaded.json").is_file()


def test_a_rejecting_workload_keeps_the_unit_blocked(tmp_path: Path):
    ctx = testing.Context(OsmNgUiCharm)
    workload = Workload(reload=RELOAD_REJECTED, root=tmp_path)
    nbi = testing.Relation(NBI_RELATION, remote_app_data={"host": "nbi", "port": "9999"})
    state = testing.State(
        containers={testing.Container(CONTAINER, can_connect=True)}, relations={nbi}
    )
    state = run(ctx, workload, state, ctx.on.config_changed)
    moved = dataclasses.replace(nbi, remote_app_data={"host": "nbi-2", "port": "9999"})

    state = run(ctx, workload, dataclasses.replace(state, relations={moved}), ctx.on.update_status)
    state = run(ctx, workload, state, ctx.on.update_status)

    assert workload.reloads == {0: 2}
    assert isinstance(state.unit_status, testing.BlockedStatus)
