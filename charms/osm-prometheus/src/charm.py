#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for Prometheus in the OSM distribution.

Prometheus stores the metrics OSM MON collects: MON finds it through the
`prometheus` relation, and Prometheus learns what to scrape from the
`metrics-endpoint` relations (interface `prometheus_scrape`).
"""

from __future__ import annotations

import dataclasses
import logging
from functools import cached_property

import ops
from charms.osm_libs.v0 import component, pebble_service
from charms.osm_libs.v0.endpoint import HOSTNAME_KEY, Endpoint, EndpointProvider
from charms.osm_libs.v0.prometheus_scrape import InvalidScrapeDataError, ScrapeUnit
from config import CharmConfig
from literals import (
    CONFIG_PATH,
    CONFIG_REFUSED,
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
from promtool import Checked, Promtool, check
from scrape import scrape_configs
from workload import PrometheusSettings, Provider, layer

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Inputs(component.Inputs[CharmConfig, PrometheusSettings]):
    """`component.Inputs`, plus the providers whose relation data could not be read.

    Attributes:
        invalid_apps: the metrics providers whose scrape data is malformed.
    """

    invalid_apps: tuple[str, ...] = ()


class OsmPrometheusCharm(ops.CharmBase):
    """Runs Prometheus, publishes its address and scrapes the related providers."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._endpoint = EndpointProvider(self, PROMETHEUS_RELATION, host_key=HOSTNAME_KEY)
        self._container = self.unit.get_container(CONTAINER)
        self._reconciled = False
        self._checked: Checked | None = None  # what promtool made of this dispatch's config
        metrics = self.on[METRICS_ENDPOINT_RELATION]
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.update_status,
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
        self._reconciled = True
        self.unit.set_ports(HTTP_PORT)
        self._endpoint.publish(Endpoint(host=self.app.name, port=HTTP_PORT))
        settings = self._inputs.settings
        if settings is None or not self._container.can_connect():
            return
        try:
            self._checked = self._configure(settings)
        except pebble_service.PEBBLE_FILE_ERRORS as error:
            logger.error("could not configure Prometheus: %s", error)

    def _configure(self, settings: PrometheusSettings) -> Checked:
        """Install a checked prometheus.yml and the layer; reload if only the file changed."""
        current = self._current_config()
        checked = Checked(current) if current == settings.config_file() else self._check(settings)
        file_changed = checked.text is not None and checked.text != current
        if checked.text is not None and file_changed:
            self._container.push(CONFIG_PATH, checked.text, make_dirs=True)
        was_running = pebble_service.is_running(self._container, SERVICE)
        plan_before = self._container.get_plan().to_dict()
        component.reconcile_service(
            self._container, SERVICE, LAYER, layer(settings.config), stop=False
        )
        # A (re)start by the replan reads the new file already; a signal sent to a starting
        # Prometheus could kill it before it handles SIGHUP.
        started = not was_running or self._container.get_plan().to_dict() != plan_before
        if file_changed and not started:
            logger.info("scrape configuration changed: reloading Prometheus")
            self._container.send_signal(RELOAD_SIGNAL, SERVICE)
        return checked

    def _current_config(self) -> str | None:
        """The prometheus.yml in the container; None before there is one."""
        try:
            with self._container.pull(CONFIG_PATH) as file:
                return file.read()
        except ops.pebble.PathError:
            return None

    def _check(self, settings: PrometheusSettings) -> Checked:
        """The configuration the image's promtool accepts, with the refused providers."""
        promtool = Promtool(self._container)
        try:
            return check(promtool, settings)
        finally:
            promtool.remove_candidates()

    @cached_property
    def _inputs(self) -> Inputs:
        """Config and the providers' scrape jobs, and what is wrong, read once per dispatch."""
        providers: list[Provider] = []
        invalid_apps: list[str] = []
        for relation in self.model.relations[METRICS_ENDPOINT_RELATION]:
            if relation.app is None:
                continue
            units = [ScrapeUnit.from_databag(relation.data[unit]) for unit in relation.units]
            published = [unit for unit in units if unit is not None]
            try:
                jobs = scrape_configs(relation.data[relation.app], published)
            except InvalidScrapeDataError as error:
                logger.warning("ignoring the scrape jobs of %s: %s", relation.app.name, error)
                invalid_apps.append(relation.app.name)
                continue
            providers.append(Provider(relation.app.name, tuple(jobs)))
        invalid = tuple(sorted(invalid_apps))
        try:
            config = self.load_config(CharmConfig)
        except ValueError as error:
            return Inputs(problems=(ops.BlockedStatus(str(error)),), invalid_apps=invalid)
        providers.sort(key=lambda provider: provider.app)
        settings = PrometheusSettings(config=config, providers=tuple(providers))
        return Inputs(config=config, settings=settings, invalid_apps=invalid)

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report, most urgent first: bad config, bad provider data, the workload's state.

        A dispatch that did not reconcile reports only problems: the last status stands.
        """
        inputs = self._inputs
        checked = self._checked
        problems = list(inputs.problems)
        if checked is not None and checked.text is None:
            problems.append(ops.BlockedStatus(CONFIG_REFUSED))
        refused = checked.refused if checked is not None else ()
        if invalid := sorted({*inputs.invalid_apps, *refused}):
            problems.append(ops.BlockedStatus(INVALID_SCRAPE_JOBS.format(apps=", ".join(invalid))))
        if self._reconciled:
            noted = dataclasses.replace(inputs, problems=tuple(problems))
            component.add_statuses(event, self._container, SERVICE, READY_CHECK, noted)
            return
        for problem in problems:
            event.add_status(problem)
        if inputs.settings is not None and (
            health := pebble_service.service_health(self._container, SERVICE, READY_CHECK)
        ):
            event.add_status(health)


if __name__ == "__main__":  # pragma: nocover
    ops.main(OsmPrometheusCharm)
