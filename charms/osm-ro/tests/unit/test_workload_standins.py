# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The simulator's `Workload` stand-in: what RO reads after each hook."""

from __future__ import annotations

from charm import OsmRoCharm
from conftest import ready_state
from ops import testing
from osm_charm_testing import run_as_simulator
from workload_standins import Workload, refresh_period


def test_the_workload_records_what_ro_reads():
    ctx = testing.Context(OsmRoCharm)
    workload = Workload()
    secret = testing.Secret({"commonkey": "yes"})
    state = ready_state(secrets=[secret], config={"database-commonkey": secret.id})

    run_as_simulator(ctx, workload, state, ctx.on.config_changed())

    assert workload.configs[0]["database"]["commonkey"] == "yes"
    assert refresh_period(workload.configs[0]) == 60
    assert workload.refusals == {}
