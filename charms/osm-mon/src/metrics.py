# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""What MON asks a `prometheus_scrape` consumer to scrape: its collector on every unit.

The relation data around the job (topology, unit addresses) is the interface's own, built
with `charms.osm_libs.v0.prometheus_scrape`.
"""

from __future__ import annotations

from charms.osm_libs.v0.prometheus_scrape import Job

JOB_NAME = "collector"
METRICS_PATH = "/metrics"


def collector_job(port: int) -> Job:
    """One job scraping `METRICS_PATH` on `port` of every unit (the `*` target)."""
    return {
        "job_name": JOB_NAME,
        "metrics_path": METRICS_PATH,
        "static_configs": [{"targets": [f"*:{port}"]}],
    }
