# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The simulator's `Workload` stand-in: what the NBI reads after each hook."""

from __future__ import annotations

from charm import OsmNbiCharm
from conftest import StateFactory
from ops import testing
from osm_charm_testing import run_as_simulator
from workload_standins import Workload, prometheus_url, serves_test_api


def test_the_workload_records_what_the_nbi_reads(make_state: StateFactory):
    ctx = testing.Context(OsmNbiCharm)
    workload = Workload()
    related = testing.Relation(
        "prometheus", remote_app_name="prom", remote_app_data={"hostname": "prom", "port": "9090"}
    )

    run_as_simulator(ctx, workload, make_state(relations=[related]), ctx.on.config_changed())

    assert prometheus_url(workload.configs[0]) == "http://prom:9090"
    assert serves_test_api(workload.configs[0]) is False
