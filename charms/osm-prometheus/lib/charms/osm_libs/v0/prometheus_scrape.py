# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The `prometheus_scrape` interface, both sides, in the COS library's data format.

So that COS Prometheus, osm-prometheus or any consumer of the COS library scrapes an OSM
charm, and osm-prometheus scrapes any provider of it:
- application databag (the provider's leader): `scrape_jobs`, a JSON list of Prometheus
  scrape configs whose target `*:<port>` means "each unit", and `scrape_metadata`, the
  provider's Juju topology as JSON (`model`, `model_uuid`, `application`, `unit`,
  `charm_name`, in the key order of COS's `JujuTopology.as_dict()`);
- each provider unit's databag: `prometheus_scrape_unit_address`,
  `prometheus_scrape_unit_name`, `prometheus_scrape_unit_fqdn` and
  `prometheus_scrape_unit_path` (Juju stores no empty value: an absent path reads "").

The provider publishes `app_databag(...)` and `ScrapeUnit(...).databag()`; the consumer
reads them back with `read_jobs`, `Topology.from_json` and `ScrapeUnit.from_databag`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

LIBID = "6ea56fb47f1a4041aef61faca6dad808"
LIBAPI = 0
LIBPATCH = 1

SCRAPE_JOBS_KEY = "scrape_jobs"
SCRAPE_METADATA_KEY = "scrape_metadata"
UNIT_NAME_KEY = "prometheus_scrape_unit_name"
UNIT_ADDRESS_KEY = "prometheus_scrape_unit_address"
UNIT_FQDN_KEY = "prometheus_scrape_unit_fqdn"
UNIT_PATH_KEY = "prometheus_scrape_unit_path"

Job = dict[str, Any]


class InvalidScrapeDataError(ValueError):
    """The provider's relation data is not a valid set of scrape jobs."""


def _json(text: str, key: str) -> Any:
    """The JSON value of databag key `key`, or InvalidScrapeDataError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidScrapeDataError(f"{key} is not valid JSON: {error}") from None


@dataclass(frozen=True)
class Topology:
    """Where a metrics provider runs: its Juju model, application, unit and charm."""

    model: str
    model_uuid: str
    application: str
    unit: str = ""
    charm_name: str = ""

    def to_json(self) -> str:
        """`scrape_metadata`: the topology as JSON, in COS's key order."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Topology:
        """Parse `scrape_metadata`; raise InvalidScrapeDataError when it is malformed."""
        metadata = _json(text, SCRAPE_METADATA_KEY)
        if not isinstance(metadata, dict):
            raise InvalidScrapeDataError(f"{SCRAPE_METADATA_KEY} is not a JSON object")
        required = ("model", "model_uuid", "application")
        if not all(isinstance(metadata.get(key), str) and metadata[key] for key in required):
            raise InvalidScrapeDataError(f"{SCRAPE_METADATA_KEY} lacks one of {required}")
        optional = {key: metadata.get(key) for key in ("unit", "charm_name")}
        return cls(
            model=metadata["model"],
            model_uuid=metadata["model_uuid"],
            application=metadata["application"],
            **{key: value for key, value in optional.items() if isinstance(value, str)},
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
    """One unit of a metrics provider: its name, its address and its metrics path prefix."""

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

    def databag(self) -> dict[str, str]:
        """The unit's databag; `address` is a DNS name, so it is the FQDN too."""
        data = {
            UNIT_ADDRESS_KEY: self.address,
            UNIT_NAME_KEY: self.name,
            UNIT_FQDN_KEY: self.address,
        }
        if self.path:
            data[UNIT_PATH_KEY] = self.path
        return data


def app_databag(topology: Topology, jobs: Sequence[Job]) -> dict[str, str]:
    """The provider's application databag: `jobs` and the topology."""
    return {SCRAPE_JOBS_KEY: json.dumps(list(jobs)), SCRAPE_METADATA_KEY: topology.to_json()}


def read_jobs(app_data: Mapping[str, str]) -> list[Any]:
    """The provider's scrape jobs, unchecked ([] until it has published any).

    Raises:
        InvalidScrapeDataError: `scrape_jobs` is not a JSON list.
    """
    jobs = _json(app_data.get(SCRAPE_JOBS_KEY, "[]"), SCRAPE_JOBS_KEY)
    if not isinstance(jobs, list):
        raise InvalidScrapeDataError(f"{SCRAPE_JOBS_KEY} is not a JSON list")
    return jobs
