# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Builders for osm-prometheus's ops.testing states: containers and relations.

The workload's stand-ins (promtool's answers) are in workload_standins.py; `container()`
puts them in the container.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from config import CharmConfig
from literals import CONTAINER
from ops import testing
from osm_charm_testing import planned_container
from workload import layer
from workload_standins import Workload

MODEL_UUID = "00000000-0000-4000-8000-000000000000"
# Exactly what osm-mon publishes (its metrics.app_databag).
MON_SCRAPE_JOBS = [
    {
        "job_name": "collector",
        "metrics_path": "/metrics",
        "static_configs": [{"targets": ["*:8000"]}],
    }
]
CONFIG_DIR = "/etc/prometheus"


def container(
    execs: Iterable[testing.Exec] = (),
    *,
    can_connect: bool = True,
    config_dir: Path | None = None,
) -> testing.Container:
    """The workload container, nothing planned yet; promtool accepts unless `execs` say.

    `config_dir` is mounted on /etc/prometheus: what a file written there in an earlier
    hook looks like (ops.testing empties the container's files between runs).
    """
    mounts = {}
    if config_dir is not None:
        mounts["config"] = testing.Mount(location=CONFIG_DIR, source=config_dir)
    bare = testing.Container(CONTAINER, can_connect=can_connect, mounts=mounts)
    return Workload(*Workload().answers, *execs).prepare(0, bare)


def running_container(
    ready: bool = True,
    running: bool = True,
    execs: Iterable[testing.Exec] = (),
    config_dir: Path | None = None,
) -> testing.Container:
    """The container after a first reconcile: Prometheus running, its check up or down."""
    unplanned = container(execs, config_dir=config_dir)
    return planned_container(unplanned, layer(CharmConfig()), ready=ready, running=running)


def config_dir(directory: Path, text: str) -> Path:
    """`directory` holding prometheus.yml with `text`, to mount with `config_dir=`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "prometheus.yml").write_text(text)
    return directory


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
