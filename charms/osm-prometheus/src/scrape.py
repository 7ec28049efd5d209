# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Turn `prometheus_scrape` relation data into Prometheus scrape configs.

A metrics provider (osm-mon, or any charm using the COS `prometheus_scrape` library)
publishes its scrape jobs, its Juju topology and its units' addresses in the interface's
format (`charms.osm_libs.v0.prometheus_scrape` reads them).

The jobs are rendered as COS Prometheus renders them: job names prefixed with the
provider's topology identifier, wildcard targets expanded into one job per unit,
and the Juju topology labels (`juju_model`, `juju_model_uuid`, `juju_application`,
`juju_charm`, and `juju_unit` for per-unit jobs) on every target.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from charms.osm_libs.v0.prometheus_scrape import (
    SCRAPE_METADATA_KEY,
    InvalidScrapeDataError,
    Job,
    ScrapeUnit,
    Topology,
    read_jobs,
)

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
    jobs = read_jobs(app_data)
    if not jobs or not units:
        return []
    topology = Topology.from_json(app_data.get(SCRAPE_METADATA_KEY, ""))
    prefix = f"juju_{topology.identifier}_prometheus_scrape"
    rendered: list[Job] = []
    for job in jobs:
        rendered.extend(_expand(_sanitise(job), prefix, topology, units))
    return _with_unique_names(rendered)


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
