# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures and builders for the osm-prometheus unit tests."""

from __future__ import annotations

import json

import pytest
from charm import OsmPrometheusCharm
from config import CharmConfig
from literals import CONTAINER
from ops import testing
from osm_charm_testing import planned_container
from workload import layer

MODEL_UUID = "00000000-0000-4000-8000-000000000000"
# Exactly what osm-mon publishes (its metrics.app_databag).
MON_SCRAPE_JOBS = [
    {
        "job_name": "collector",
        "metrics_path": "/metrics",
        "static_configs": [{"targets": ["*:8000"]}],
    }
]


@pytest.fixture
def ctx() -> testing.Context[OsmPrometheusCharm]:
    return testing.Context(OsmPrometheusCharm)


@pytest.fixture
def container() -> testing.Container:
    """The workload container, reachable, nothing planned yet."""
    return testing.Container(CONTAINER, can_connect=True)


def scrape_metadata(app: str = "mon", charm_name: str = "osm-mon") -> str:
    return json.dumps(
        {
            "model": "osm",
            "model_uuid": MODEL_UUID,
            "application": app,
            "unit": f"{app}/0",
            "charm_name": charm_name,
        }
    )


def metrics_relation(
    app: str = "mon",
    jobs: object = MON_SCRAPE_JOBS,
    units: int = 1,
    metadata: str | None = None,
) -> testing.Relation:
    """A metrics-endpoint relation with a provider that published `jobs` and `units`."""
    return testing.Relation(
        "metrics-endpoint",
        remote_app_name=app,
        remote_app_data={
            "scrape_jobs": json.dumps(jobs),
            "scrape_metadata": metadata if metadata is not None else scrape_metadata(app),
        },
        remote_units_data={
            number: {
                "prometheus_scrape_unit_name": f"{app}/{number}",
                "prometheus_scrape_unit_address": f"{app}-{number}.{app}-endpoints.osm.svc",
                "prometheus_scrape_unit_path": "",
            }
            for number in range(units)
        },
    )


def running_container(ready: bool = True, running: bool = True) -> testing.Container:
    """The container after a first reconcile: Prometheus running, its check up or down."""
    container = testing.Container(CONTAINER, can_connect=True)
    return planned_container(container, layer(CharmConfig()), ready=ready, running=running)
