# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The simulator's `Workload` stand-in: the image's CA bundle, what LCM and helm read."""

from __future__ import annotations

from pathlib import Path

from charm import OsmLcmCharm
from conftest import ready_state
from ops import testing
from osm_charm_testing import run_as_simulator
from workload_standins import SYSTEM_CA_CONTENT, Workload

COMPANY_CA = "-----BEGIN CERTIFICATE-----\nQ29tcGFueSBDQQ==\n-----END CERTIFICATE-----\n"


def test_the_workload_holds_the_images_bundle_and_records_what_helm_trusts(tmp_path: Path):
    ctx = testing.Context(OsmLcmCharm, app_name="lcm")
    workload = Workload(root=tmp_path)

    run_as_simulator(ctx, workload, ready_state(), ctx.on.config_changed())
    assert workload.helm_trusts == {0: SYSTEM_CA_CONTENT}
    assert workload.configs[0]["RO"]["port"] == 9090

    state = ready_state(config={"helm-ca-certs": COMPANY_CA})
    run_as_simulator(ctx, workload, state, ctx.on.config_changed())
    assert workload.helm_trusts == {0: SYSTEM_CA_CONTENT + COMPANY_CA}
