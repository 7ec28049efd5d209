# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The Prometheus workload: its Pebble layer and its configuration file (no Juju here)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import ops
import yaml
from charms.osm_libs.v0.pebble_service import ALIVE, READY, http_check, service_layer
from config import CharmConfig
from literals import (
    ALIVE_CHECK,
    BINARY,
    CONFIG_PATH,
    DATA_PATH,
    HTTP_PORT,
    READY_CHECK,
    SERVICE,
)

SELF_SCRAPE_JOB = {
    "job_name": "prometheus",
    "static_configs": [{"targets": [f"localhost:{HTTP_PORT}"]}],
}


def command(config: CharmConfig) -> str:
    """The Prometheus command line for `config` (every value in it is validated)."""
    arguments = [
        BINARY,
        f"--config.file={CONFIG_PATH}",
        f"--storage.tsdb.path={DATA_PATH}",
        f"--storage.tsdb.retention.time={config.retention_time}",
        f"--web.listen-address=:{HTTP_PORT}",
        f"--log.level={config.log_level}",
    ]
    if config.retention_size:
        arguments.append(f"--storage.tsdb.retention.size={config.retention_size}")
    return " ".join(arguments)


def layer(config: CharmConfig) -> ops.pebble.LayerDict:
    """The Pebble layer running Prometheus, with readiness and liveness checks.

    The service runs as Pebble's user (root): the `data` storage Juju mounts on
    the TSDB path is owned by root, so the image's `nobody` could not write it.
    """
    base_url = f"http://localhost:{HTTP_PORT}"
    definition: ops.pebble.ServiceDict = {
        "summary": "Prometheus server",
        "command": command(config),
    }
    checks = {
        READY_CHECK: http_check(READY, f"{base_url}/-/ready", period="10s", threshold=3),
        ALIVE_CHECK: http_check(ALIVE, f"{base_url}/-/healthy", period="30s", threshold=5),
    }
    return service_layer("Prometheus", SERVICE, definition, checks)


def prometheus_config(scrape_interval: str, scrape_jobs: Iterable[dict[str, Any]]) -> str:
    """prometheus.yml: Prometheus scraping itself and every related provider's jobs."""
    config = {
        "global": {"scrape_interval": scrape_interval},
        "scrape_configs": [SELF_SCRAPE_JOB, *scrape_jobs],
    }
    return yaml.safe_dump(config, sort_keys=False)


@dataclass(frozen=True)
class Provider:
    """One metrics provider (a related application) and its rendered scrape configs."""

    app: str
    jobs: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class PrometheusSettings:
    """Everything the workload is built from: the options and the providers' jobs."""

    config: CharmConfig
    providers: tuple[Provider, ...] = ()

    def config_file(self, *, leaving_out: Collection[str] = (), only: str | None = None) -> str:
        """prometheus.yml for every provider but those `leaving_out` (or `only` one)."""
        jobs = [
            job
            for provider in self.providers
            if provider.app not in leaving_out and only in (None, provider.app)
            for job in provider.jobs
        ]
        return prometheus_config(self.config.scrape_interval, jobs)
