#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for OSM MON, the monitoring module of Open Source MANO."""

from __future__ import annotations

import socket
from functools import cached_property

import metrics
import ops
import workload
from charms.osm_libs.v0 import component
from charms.osm_libs.v0.app_data import AppDataRequirer
from charms.osm_libs.v0.endpoint import HOSTNAME_KEY, EndpointRequirer
from charms.osm_libs.v0.keystone import read_credentials
from charms.osm_libs.v0.osm_env import BackendRelations
from charms.osm_libs.v0.prometheus_scrape import ScrapeUnit, Topology, app_databag
from charms.osm_libs.v0.secret_option import commonkey_in_use, secret_option_value
from charms.osm_libs.v0.vca import read_settings
from config import CharmConfig
from literals import (
    COLLECTOR_PORT,
    CONTAINER,
    GRAFANA_PASSWORD_CONTENT_KEY,
    GRAFANA_PASSWORD_OPTION,
    KEYSTONE_RELATION,
    LAYER,
    METRICS_ENDPOINT_RELATION,
    PROMETHEUS_CONFLICT,
    PROMETHEUS_RELATION,
    PROMETHEUS_URL_OPTION,
    READY_CHECKS,
    SERVICES,
    VCA_RELATION,
)

Inputs = component.Inputs[CharmConfig, workload.MonSettings]


class OsmMonCharm(ops.CharmBase):
    """Runs OSM MON and publishes its collector as a Prometheus scrape target."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._backends = BackendRelations(self)
        self._prometheus = EndpointRequirer(self, PROMETHEUS_RELATION, host_key=HOSTNAME_KEY)
        self._keystone = AppDataRequirer(self, KEYSTONE_RELATION, read_credentials)
        self._vca = AppDataRequirer(self, VCA_RELATION, read_settings)
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.leader_elected,
            self.on.secret_changed,
            self.on[METRICS_ENDPOINT_RELATION].relation_created,
            *self._backends.reconcile_events,
            *self._prometheus.reconcile_events,
            *self._keystone.reconcile_events,
            *self._vca.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the workload, the opened port and the published scrape job in line."""
        self.unit.set_ports(COLLECTOR_PORT)
        self._publish_scrape_job()
        inputs = self._inputs
        layer = workload.layer(inputs.settings) if inputs.settings else None
        component.reconcile_services(self._container, SERVICES, LAYER, layer, inputs.stop)

    def _publish_scrape_job(self) -> None:
        """Tell every metrics-endpoint consumer to scrape the collector of each unit."""
        relations = self.model.relations[METRICS_ENDPOINT_RELATION]
        if not relations:
            return
        # The pod's DNS name (<pod>.<app>-endpoints.<model>.svc...) survives pod restarts.
        unit_data = ScrapeUnit(name=self.unit.name, address=socket.getfqdn()).databag()
        topology = Topology(
            model=self.model.name,
            model_uuid=self.model.uuid,
            application=self.app.name,
            unit=self.unit.name,
            charm_name=self.meta.name,
        )
        app_data = app_databag(topology, [metrics.collector_job(COLLECTOR_PORT)])
        for relation in relations:
            relation.data[self.unit].update(unit_data)
            if self.unit.is_leader():
                relation.data[self.app].update(app_data)

    @cached_property
    def _inputs(self) -> Inputs:
        """Config, secrets and relation data, and what is missing, read once per dispatch.

        A missing mandatory relation (or its data, keystone's and vca's included) stops
        MON, bad config or not. The prometheus relation is mandatory unless
        `prometheus-url` names an external Prometheus.
        """
        answers = self._backends.read()
        keystone = self._keystone.get()
        try:
            vca, vca_problems = self._vca.get(), ()
        except ValueError as error:
            vca, vca_problems = None, (ops.BlockedStatus(str(error)),)
        related_url = self._related_prometheus_url()
        relations = {
            **answers.relations,
            KEYSTONE_RELATION: (self._keystone.relation, keystone),
            VCA_RELATION: (self._vca.relation, vca),
            PROMETHEUS_RELATION: (self._prometheus.relation, related_url or None),
        }
        optional = [KEYSTONE_RELATION, VCA_RELATION]
        try:
            config, (key, note), grafana_password = self._options()
        except ValueError as error:
            if self.config.get(PROMETHEUS_URL_OPTION):  # as the option means, valid or not
                optional.append(PROMETHEUS_RELATION)
            problems = (*vca_problems, *component.relation_problems(relations, optional))
            return Inputs(stop=bool(problems), problems=(ops.BlockedStatus(str(error)), *problems))
        if config.prometheus_url:
            del relations[PROMETHEUS_RELATION]
        problems = (*vca_problems, *component.relation_problems(relations, optional))
        backends = answers.backends(key)
        if problems or backends is None:
            return Inputs(config=config, stop=True, problems=problems, note=note)
        settings = workload.MonSettings(
            config=config,
            backends=backends,
            prometheus_url=config.prometheus_url or related_url,
            grafana_password=grafana_password,
            keystone=keystone,
            vca=vca,
        )
        return Inputs(config=config, settings=settings, note=note)

    def _options(self) -> tuple[CharmConfig, tuple[str, str], str | None]:
        """The config, the common key in use with its note, and the Grafana password.

        Raises:
            ValueError: an option or its secret is unusable; the message names the option.
        """
        config = self.load_config(CharmConfig)
        key_and_note = commonkey_in_use(config.database_commonkey)
        grafana_password = secret_option_value(
            config.grafana_password, GRAFANA_PASSWORD_OPTION, GRAFANA_PASSWORD_CONTENT_KEY
        )
        if config.prometheus_url and self._prometheus.relation is not None:
            raise ValueError(PROMETHEUS_CONFLICT)
        return config, key_and_note, grafana_password

    def _related_prometheus_url(self) -> str:
        """The related Prometheus's URL, or "" until it has published its address."""
        endpoint = self._prometheus.get()
        return endpoint.url if endpoint is not None else ""

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        component.add_services_statuses(event, self._container, READY_CHECKS, self._inputs)


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmMonCharm)
