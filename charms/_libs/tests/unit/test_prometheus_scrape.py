# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""charms.osm_libs.v0.prometheus_scrape: the interface's data, both sides."""

from __future__ import annotations

import json

import pytest
from charms.osm_libs.v0.prometheus_scrape import (
    InvalidScrapeDataError,
    ScrapeUnit,
    Topology,
    app_databag,
    read_jobs,
)

MODEL_UUID = "00000000-0000-4000-8000-000000000000"
TOPOLOGY = Topology(
    model="osm", model_uuid=MODEL_UUID, application="mon", unit="mon/0", charm_name="osm-mon"
)
# What osm-mon publishes.
MON_SCRAPE_JOBS = [
    {
        "job_name": "collector",
        "metrics_path": "/metrics",
        "static_configs": [{"targets": ["*:8000"]}],
    }
]


def test_app_databag_holds_the_jobs_and_the_topology_in_cos_key_order():
    databag = app_databag(TOPOLOGY, MON_SCRAPE_JOBS)

    assert json.loads(databag["scrape_jobs"]) == MON_SCRAPE_JOBS
    # The key order of COS's JujuTopology.as_dict(): consumers may compare the strings.
    assert databag["scrape_metadata"] == (
        '{"model": "osm", "model_uuid": "00000000-0000-4000-8000-000000000000", '
        '"application": "mon", "unit": "mon/0", "charm_name": "osm-mon"}'
    )


def test_what_a_provider_publishes_reads_back():
    databag = app_databag(TOPOLOGY, MON_SCRAPE_JOBS)

    assert read_jobs(databag) == MON_SCRAPE_JOBS
    assert Topology.from_json(databag["scrape_metadata"]) == TOPOLOGY


def test_read_jobs_is_empty_until_published():
    assert read_jobs({}) == []


@pytest.mark.parametrize("jobs", ["not json", json.dumps({"job_name": "x"})])
def test_read_jobs_rejects_anything_but_a_json_list(jobs: str):
    with pytest.raises(InvalidScrapeDataError):
        read_jobs({"scrape_jobs": jobs})


def test_topology_identifier_crops_the_model_uuid():
    metadata = {"model": "osm", "model_uuid": MODEL_UUID, "application": "pol", "unit": "pol/0"}
    topology = Topology.from_json(json.dumps(metadata))

    assert topology.identifier == "osm_00000000_pol"
    assert "juju_charm" not in topology.labels


def test_unit_databag_names_the_unit_and_its_address():
    unit = ScrapeUnit(name="mon/1", address="mon-1.mon-endpoints.osm.svc.cluster.local")

    assert unit.databag() == {
        "prometheus_scrape_unit_address": "mon-1.mon-endpoints.osm.svc.cluster.local",
        "prometheus_scrape_unit_name": "mon/1",
        "prometheus_scrape_unit_fqdn": "mon-1.mon-endpoints.osm.svc.cluster.local",
    }


def test_unit_databag_reads_back_with_its_path():
    unit = ScrapeUnit(name="mon/1", address="10.0.0.1", path="/sub")

    assert ScrapeUnit.from_databag(unit.databag()) == unit


@pytest.mark.parametrize(
    "databag",
    [{}, {"prometheus_scrape_unit_name": "mon/0"}, {"prometheus_scrape_unit_address": "a"}],
)
def test_unit_is_known_only_once_it_published_name_and_address(databag: dict[str, str]):
    assert ScrapeUnit.from_databag(databag) is None
