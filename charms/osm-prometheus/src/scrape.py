# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Turn `prometheus_scrape` relation data into Prometheus scrape configs.

A metrics provider (osm-mon, or any charm using the COS `prometheus_scrape` library)
publishes, in its application databag, `scrape_jobs` (a JSON list of Prometheus scrape
configs whose targets may name `*` for "each unit") and `scrape_metadata` (its Juju
topology as JSON); each of its units publishes `prometheus_scrape_unit_name`,
`prometheus_scrape_unit_address` and `prometheus_scrape_unit_path`.

The jobs are rendered as COS Prometheus renders them: job names prefixed with the
provider's topology identifier, wildcard targets expanded into one job per unit,
and the Juju topology labels (`juju_model`, `juju_model_uuid`, `juju_application`,
`juju_charm`, and `juju_unit` for per-unit jobs) on every target.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

SCRAPE_JOBS_KEY = "scrape_jobs"
SCRAPE_METADATA_KEY = "scrape_metadata"
UNIT_NAME_KEY = "prometheus_scrape_unit_name"
UNIT_ADDRESS_KEY = "prometheus_scrape_unit_address"
UNIT_PATH_KEY = "prometheus_scrape_unit_path"

# The scrape-config keys a provider may set (the same subset as COS Prometheus).
ALLOWED_JOB_KEYS = frozenset(
    {
        "job_name",
        "metrics_path",
        "static_configs",
        "scrape_interval",
        "scrape_timeout",
        "proxy_url",
        "relabel_configs",
        "metric_relabel_configs",
        "sample_limit",
        "label_limit",
        "label_name_length_limit",
        "label_value_length_limit",
        "scheme",
        "basic_auth",
        "tls_config",
        "authorization",
        "params",
    }
)
DEFAULT_METRICS_PATH = "/metrics"
# What a job without `static_configs` scrapes, as in COS: port 80 of each unit.
DEFAULT_STATIC_CONFIGS = ({"targets": ["*:80"]},)
WILDCARD = "*"

Job = dict[str, Any]


class InvalidScrapeDataError(ValueError):
    """The provider's relation data is not a valid set of scrape jobs."""


@dataclass(frozen=True)
class Topology:
    """Where a metrics provider runs: its Juju model and application."""

    model: str
    model_uuid: str
    application: str
    charm_name: str = ""

    @classmethod
    def from_json(cls, text: str) -> Topology:
        """Parse `scrape_metadata`; raise InvalidScrapeDataError when it is malformed."""
        metadata = _json(text, SCRAPE_METADATA_KEY)
        if not isinstance(metadata, dict):
            raise InvalidScrapeDataError(f"{SCRAPE_METADATA_KEY} is not a JSON object")
        fields = ("model", "model_uuid", "application")
        if not all(isinstance(metadata.get(field), str) and metadata[field] for field in fields):
            raise InvalidScrapeDataError(f"{SCRAPE_METADATA_KEY} lacks one of {fields}")
        charm_name = metadata.get("charm_name")
        return cls(
            model=metadata["model"],
            model_uuid=metadata["model_uuid"],
            application=metadata["application"],
            charm_name=charm_name if isinstance(charm_name, str) else "",
        )

    @property
    def identifier(self) -> str:
        """The terse, unique name COS gives the provider: `<model>_<uuid[:8]>_<app>`."""
        return f"{self.model}_{self.model_uuid[:8]}_{self.application}"

    @property
    def labels(self) -> dict[str, str]:
        """The Juju topology labels put on every target of the provider."""
        labels = {
            "juju_model": self.model,
            "juju_model_uuid": self.model_uuid,
            "juju_application": self.application,
            "juju_charm": self.charm_name,
        }
        return {name: value for name, value in labels.items() if value}


@dataclass(frozen=True)
class ScrapeUnit:
    """One unit of a metrics provider, as it publishes itself."""

    name: str
    address: str
    path: str = ""

    @classmethod
    def from_databag(cls, databag: Mapping[str, str]) -> ScrapeUnit | None:
        """The unit in `databag`, or None until it has published its name and address."""
        name, address = databag.get(UNIT_NAME_KEY), databag.get(UNIT_ADDRESS_KEY)
        if not name or not address:
            return None
        return cls(name=name, address=address, path=databag.get(UNIT_PATH_KEY, ""))

    @property
    def number(self) -> str:
        """The unit's number: `0` for `mon/0`."""
        return self.name.rpartition("/")[2]


def scrape_configs(app_data: Mapping[str, str], units: Iterable[ScrapeUnit]) -> list[Job]:
    """The Prometheus scrape configs for one provider's relation data.

    Args:
        app_data: the provider's application databag.
        units: the provider's units that have published their address.

    Returns:
        Scrape configs ready for `scrape_configs` in prometheus.yml; empty while the
        provider has published no jobs or no unit.

    Raises:
        InvalidScrapeDataError: the jobs or the metadata are malformed.
    """
    units = sorted(units, key=lambda unit: unit.name)
    jobs = _json(app_data.get(SCRAPE_JOBS_KEY, "[]"), SCRAPE_JOBS_KEY)
    if not isinstance(jobs, list):
        raise InvalidScrapeDataError(f"{SCRAPE_JOBS_KEY} is not a JSON list")
    if not jobs or not units:
        return []
    topology = Topology.from_json(app_data.get(SCRAPE_METADATA_KEY, ""))
    prefix = f"juju_{topology.identifier}_prometheus_scrape"
    rendered: list[Job] = []
    for job in jobs:
        rendered.extend(_expand(_sanitise(job), prefix, topology, units))
    return _with_unique_names(rendered)


def _json(text: str, key: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidScrapeDataError(f"{key} is not valid JSON: {error}") from None


def _sanitise(job: object) -> Job:
    """Keep the allowed keys of `job`, check the ones this module reads, fill defaults."""
    if not isinstance(job, dict):
        raise InvalidScrapeDataError("a scrape job is not a JSON object")
    sanitised: Job = {key: value for key, value in job.items() if key in ALLOWED_JOB_KEYS}
    for key in ("job_name", "metrics_path"):
        if not isinstance(sanitised.get(key, ""), str):
            raise InvalidScrapeDataError(f"{key} of a scrape job is not a string")
    static_configs = sanitised.setdefault("static_configs", list(DEFAULT_STATIC_CONFIGS))
    if not isinstance(static_configs, list):
        raise InvalidScrapeDataError("static_configs of a scrape job is not a list")
    for static_config in static_configs:
        _check_static_config(static_config)
    return sanitised


def _check_static_config(static_config: object) -> None:
    if not isinstance(static_config, dict):
        raise InvalidScrapeDataError("a static_config is not a JSON object")
    targets = static_config.get("targets", [])
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise InvalidScrapeDataError("targets of a static_config is not a list of strings")
    labels = static_config.get("labels", {})
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise InvalidScrapeDataError("labels of a static_config is not a string mapping")


def _is_wildcard(target: str) -> bool:
    return target == WILDCARD or target.startswith(f"{WILDCARD}:")


def _expand(job: Job, prefix: str, topology: Topology, units: list[ScrapeUnit]) -> list[Job]:
    """One config per unit for the wildcard targets, one for the fixed targets."""
    name = f"{prefix}_{job['job_name']}" if job.get("job_name") else prefix
    metrics_path = job.get("metrics_path") or DEFAULT_METRICS_PATH
    fixed: list[Job] = []
    wildcard: list[Job] = []
    for static_config in job["static_configs"]:
        targets = static_config.get("targets", [])
        if fixed_targets := [target for target in targets if not _is_wildcard(target)]:
            labels = {**topology.labels, **static_config.get("labels", {})}
            fixed.append({**static_config, "targets": fixed_targets, "labels": labels})
        if wildcard_targets := [target for target in targets if _is_wildcard(target)]:
            wildcard.append({**static_config, "targets": wildcard_targets})
    configs = [
        {
            **job,
            "job_name": f"{name}-{unit.number}",
            "metrics_path": unit.path + metrics_path,
            "static_configs": [_for_unit(config, topology, unit) for config in wildcard],
        }
        for unit in units
        if wildcard
    ]
    if fixed:
        configs.append(
            {**job, "job_name": name, "metrics_path": metrics_path, "static_configs": fixed}
        )
    return configs


def _for_unit(static_config: Job, topology: Topology, unit: ScrapeUnit) -> Job:
    """`static_config` with its wildcard targets pointing at `unit`, labelled with it."""
    return {
        **static_config,
        "targets": [
            target.replace(WILDCARD, unit.address, 1) for target in static_config["targets"]
        ],
        "labels": {
            **topology.labels,
            "juju_unit": unit.name,
            **static_config.get("labels", {}),
        },
    }


def _with_unique_names(configs: list[Job]) -> list[Job]:
    """Suffix `_2`, `_3`, ... to repeated job names: Prometheus refuses duplicates."""
    seen: dict[str, int] = {}
    unique = []
    for config in configs:
        name = config["job_name"]
        seen[name] = seen.get(name, 0) + 1
        unique.append(
            config if seen[name] == 1 else {**config, "job_name": f"{name}_{seen[name]}"}
        )
    return unique
