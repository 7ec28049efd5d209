#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for Prometheus in the OSM distribution.

Prometheus stores the metrics OSM MON collects: MON finds it through the
`prometheus` relation, and Prometheus learns what to scrape from the
`metrics-endpoint` relations (interface `prometheus_scrape`).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Any

import ops
from charms.osm_libs.v0 import component, pebble_service
from charms.osm_libs.v0.endpoint import HOSTNAME_KEY, Endpoint, EndpointProvider
from charms.osm_libs.v0.prometheus_scrape import InvalidScrapeDataError, ScrapeUnit
from charms.osm_libs.v0.status import WAITING_FOR_PEBBLE
from config import CharmConfig
from literals import (
    CONFIG_PATH,
    CONTAINER,
    HTTP_PORT,
    INVALID_SCRAPE_JOBS,
    LAYER,
    METRICS_ENDPOINT_RELATION,
    PROMETHEUS_RELATION,
    READY_CHECK,
    RELOAD_SIGNAL,
    SERVICE,
)
from scrape import scrape_configs
from workload import layer, prometheus_config

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScrapeTargets:
    """What the related metrics providers ask Prometheus to scrape."""

    jobs: list[dict[str, Any]] = field(default_factory=list)
    invalid_apps: list[str] = field(default_factory=list)


class OsmPrometheusCharm(ops.CharmBase):
    """Runs Prometheus, publishes its address and scrapes the related providers."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._endpoint = EndpointProvider(self, PROMETHEUS_RELATION, host_key=HOSTNAME_KEY)
        self._container = self.unit.get_container(CONTAINER)
        self._config: CharmConfig | None = None
        self._config_error = ""
        try:
            self._config = self.load_config(CharmConfig)
        except ValueError as error:
            self._config_error = str(error)

        metrics = self.on[METRICS_ENDPOINT_RELATION]
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.leader_elected,
            self.on[PROMETHEUS_RELATION].relation_created,
            metrics.relation_changed,
            metrics.relation_departed,
            metrics.relation_broken,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Publish the endpoint, then make the workload match config and relations."""
        self.unit.set_ports(HTTP_PORT)
        self._endpoint.publish(Endpoint(host=self.app.name, port=HTTP_PORT))
        if self._config is None or not self._container.can_connect():
            return
        try:
            self._apply(self._config)
        except pebble_service.PEBBLE_FILE_ERRORS as error:
            logger.error("could not configure Prometheus: %s", error)

    def _apply(self, config: CharmConfig) -> None:
        """Push prometheus.yml and the layer; reload Prometheus if only the file changed."""
        text = prometheus_config(config.scrape_interval, self._scrape_targets.jobs)
        file_changed = pebble_service.push_if_changed(self._container, CONFIG_PATH, text)
        was_running = pebble_service.is_running(self._container, SERVICE)
        plan_before = self._container.get_plan().to_dict()
        pebble_service.apply_layer(self._container, LAYER, layer(config))
        # A (re)start by the replan reads the new file already; a signal sent to a starting
        # Prometheus could kill it before it handles SIGHUP.
        started = not was_running or self._container.get_plan().to_dict() != plan_before
        if file_changed and not started:
            logger.info("scrape configuration changed: reloading Prometheus")
            self._container.send_signal(RELOAD_SIGNAL, SERVICE)

    @functools.cached_property
    def _scrape_targets(self) -> ScrapeTargets:
        """The jobs of every metrics-endpoint relation; providers with bad data are left out."""
        targets = ScrapeTargets()
        for relation in self.model.relations[METRICS_ENDPOINT_RELATION]:
            if relation.app is None:
                continue
            units = [ScrapeUnit.from_databag(relation.data[unit]) for unit in relation.units]
            published = [unit for unit in units if unit is not None]
            try:
                jobs = scrape_configs(relation.data[relation.app], published)
            except InvalidScrapeDataError as error:
                logger.warning("ignoring the scrape jobs of %s: %s", relation.app.name, error)
                targets.invalid_apps.append(relation.app.name)
                continue
            targets.jobs.extend(jobs)
        return targets

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report, most urgent first: bad config, bad provider data, the workload's state."""
        if self._config_error:
            event.add_status(ops.BlockedStatus(self._config_error))
        if invalid_apps := self._scrape_targets.invalid_apps:
            message = INVALID_SCRAPE_JOBS.format(apps=", ".join(sorted(invalid_apps)))
            event.add_status(ops.BlockedStatus(message))
        if not self._container.can_connect():
            event.add_status(ops.WaitingStatus(WAITING_FOR_PEBBLE))
        elif service := pebble_service.service_health(self._container, SERVICE, READY_CHECK):
            event.add_status(service)
        event.add_status(ops.ActiveStatus())


if __name__ == "__main__":  # pragma: nocover
    ops.main(OsmPrometheusCharm)
