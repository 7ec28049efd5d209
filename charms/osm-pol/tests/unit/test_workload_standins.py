# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The simulator's `Workload` stand-in: where POL keeps its tables after each hook."""

from __future__ import annotations

from charm import OsmPolCharm
from helpers import pol_state
from ops import testing
from osm_charm_testing import run_as_simulator
from workload_standins import Workload


def test_the_workload_records_where_pol_keeps_its_tables(container: testing.Container):
    ctx = testing.Context(OsmPolCharm)
    workload = Workload()

    run_as_simulator(ctx, workload, pol_state(container), ctx.on.config_changed())

    assert workload.sql_uris == {0: "sqlite:////app/database/pol/policy_module.db"}
