# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Provider side of `prometheus_scrape`: what MON publishes for its collector to be scraped.

The data is the COS `prometheus_scrape` library's format, so that COS Prometheus,
osm-prometheus or any consumer of that library scrapes MON:
- application databag (leader): `scrape_jobs`, a JSON list of Prometheus scrape configs
  whose target `*:<port>` means "each unit", and `scrape_metadata`, the Juju topology as
  JSON (`model`, `model_uuid`, `application`, `unit`, `charm_name`);
- each unit's databag: `prometheus_scrape_unit_address`, `prometheus_scrape_unit_name` and
  `prometheus_scrape_unit_fqdn` (`prometheus_scrape_unit_path` is empty for MON, and Juju
  stores no empty value: consumers read its absence as "").
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

JOB_NAME = "collector"
METRICS_PATH = "/metrics"


@dataclass(frozen=True)
class Topology:
    """Where this charm runs, in the key order of COS's `JujuTopology.as_dict()`."""

    model: str
    model_uuid: str
    application: str
    unit: str
    charm_name: str


def app_databag(topology: Topology, port: int) -> dict[str, str]:
    """The application data: one job scraping `METRICS_PATH` on `port` of every unit."""
    job = {
        "job_name": JOB_NAME,
        "metrics_path": METRICS_PATH,
        "static_configs": [{"targets": [f"*:{port}"]}],
    }
    return {"scrape_jobs": json.dumps([job]), "scrape_metadata": json.dumps(asdict(topology))}


def unit_databag(unit_name: str, address: str) -> dict[str, str]:
    """The unit data: where Prometheus reaches this unit (`address`, a stable DNS name)."""
    return {
        "prometheus_scrape_unit_address": address,
        "prometheus_scrape_unit_name": unit_name,
        "prometheus_scrape_unit_fqdn": address,
    }
