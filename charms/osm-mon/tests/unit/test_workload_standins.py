# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The simulator's `Workload` stand-in: what MON's processes read after each hook."""

from __future__ import annotations

from charm import OsmMonCharm
from conftest import StateFactory
from ops import testing
from osm_charm_testing import keystone_relation, run_as_simulator
from workload_standins import Workload


def test_the_workload_records_what_mon_reads(make_state: StateFactory):
    ctx = testing.Context(OsmMonCharm)
    workload = Workload()

    state = run_as_simulator(ctx, workload, make_state(), ctx.on.config_changed())
    assert workload.keystone == {0: False}
    assert workload.configs[0]["collector"]["interval"] == "30"

    related = keystone_relation()
    state = testing.State(**{**vars(state), "relations": {*state.relations, related}})
    run_as_simulator(ctx, workload, state, ctx.on.relation_changed(related))
    assert workload.keystone == {0: True}
