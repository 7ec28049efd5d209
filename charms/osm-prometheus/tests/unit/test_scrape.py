# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import json

import pytest
from builders import MODEL_UUID, MON_SCRAPE_JOBS, scrape_metadata
from charms.osm_libs.v0.prometheus_scrape import InvalidScrapeDataError, ScrapeUnit
from scrape import scrape_configs

MON_0 = ScrapeUnit(name="mon/0", address="mon-0.mon-endpoints.osm.svc")
MON_1 = ScrapeUnit(name="mon/1", address="mon-1.mon-endpoints.osm.svc")
PREFIX = "juju_osm_00000000_mon_prometheus_scrape"
TOPOLOGY_LABELS = {
    "juju_model": "osm",
    "juju_model_uuid": MODEL_UUID,
    "juju_application": "mon",
    "juju_charm": "osm-mon",
}


def app_data(jobs: object, metadata: str | None = None) -> dict[str, str]:
    return {
        "scrape_jobs": json.dumps(jobs),
        "scrape_metadata": scrape_metadata() if metadata is None else metadata,
    }


def test_mon_job_becomes_one_labelled_job_per_unit():
    configs = scrape_configs(app_data(MON_SCRAPE_JOBS), [MON_1, MON_0])

    assert configs == [
        {
            "job_name": f"{PREFIX}_collector-{number}",
            "metrics_path": "/metrics",
            "static_configs": [
                {
                    "targets": [f"mon-{number}.mon-endpoints.osm.svc:8000"],
                    "labels": {**TOPOLOGY_LABELS, "juju_unit": f"mon/{number}"},
                }
            ],
        }
        for number in (0, 1)
    ]


def test_named_job_keeps_its_name_after_the_prefix_and_the_unit_path():
    jobs = [{"job_name": "collector", "static_configs": [{"targets": ["*:8000"]}]}]
    unit = ScrapeUnit(name="mon/3", address="10.0.0.3", path="/sub")

    [config] = scrape_configs(app_data(jobs), [unit])

    assert config["job_name"] == f"{PREFIX}_collector-3"
    assert config["metrics_path"] == "/sub/metrics"
    assert config["static_configs"][0]["targets"] == ["10.0.0.3:8000"]


def test_fixed_targets_stay_in_one_job_with_topology_labels():
    jobs = [{"static_configs": [{"targets": ["db:9216", "*:8000"], "labels": {"tier": "db"}}]}]

    configs = scrape_configs(app_data(jobs), [MON_0])

    assert [config["job_name"] for config in configs] == [f"{PREFIX}-0", PREFIX]
    assert configs[1]["static_configs"] == [
        {"targets": ["db:9216"], "labels": {**TOPOLOGY_LABELS, "tier": "db"}}
    ]
    assert configs[0]["static_configs"][0]["labels"] == {
        **TOPOLOGY_LABELS,
        "juju_unit": "mon/0",
        "tier": "db",
    }


def test_only_allowed_keys_reach_prometheus():
    jobs = [{"static_configs": [{"targets": ["*:1"]}], "scrape_interval": "5s", "evil": "x"}]

    [config] = scrape_configs(app_data(jobs), [MON_0])

    assert config["scrape_interval"] == "5s"
    assert "evil" not in config


def test_job_without_static_configs_scrapes_port_80_as_cos_does():
    [config] = scrape_configs(app_data([{"job_name": "web"}]), [MON_0])

    assert config["static_configs"][0]["targets"] == ["mon-0.mon-endpoints.osm.svc:80"]


def test_repeated_job_names_are_made_unique():
    job = {"static_configs": [{"targets": ["db:1"]}]}

    configs = scrape_configs(app_data([job, job]), [MON_0])

    assert [config["job_name"] for config in configs] == [PREFIX, f"{PREFIX}_2"]


@pytest.mark.parametrize(
    ("data", "units"),
    [({}, [MON_0]), (app_data([]), [MON_0]), (app_data(MON_SCRAPE_JOBS), [])],
    ids=["nothing-published", "no-jobs", "no-units"],
)
def test_nothing_to_scrape_yet(data: dict[str, str], units: list[ScrapeUnit]):
    assert scrape_configs(data, units) == []


@pytest.mark.parametrize(
    "data",
    [
        {"scrape_jobs": "not json", "scrape_metadata": scrape_metadata()},
        app_data({"job_name": "x"}),
        app_data(["job"]),
        app_data([{"job_name": 3}]),
        app_data([{"metrics_path": ["/"]}]),
        app_data([{"static_configs": {"targets": []}}]),
        app_data([{"static_configs": ["x"]}]),
        app_data([{"static_configs": [{"targets": "*:8000"}]}]),
        app_data([{"static_configs": [{"targets": ["*:1"], "labels": {"a": 1}}]}]),
        app_data(MON_SCRAPE_JOBS, metadata=""),
        app_data(MON_SCRAPE_JOBS, metadata="[]"),
        app_data(MON_SCRAPE_JOBS, metadata=json.dumps({"model": "osm"})),
    ],
    ids=[
        "jobs-not-json",
        "jobs-not-list",
        "job-not-object",
        "job-name-not-string",
        "metrics-path-not-string",
        "static-configs-not-list",
        "static-config-not-object",
        "targets-not-list",
        "labels-not-strings",
        "metadata-absent",
        "metadata-not-object",
        "metadata-incomplete",
    ],
)
def test_malformed_data_is_rejected(data: dict[str, str]):
    with pytest.raises(InvalidScrapeDataError):
        scrape_configs(data, [MON_0])
