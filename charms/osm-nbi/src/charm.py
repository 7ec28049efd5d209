#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for the OSM North Bound Interface (NBI)."""

from __future__ import annotations

from functools import cached_property

import ops
import workload
from charms.osm_libs.v0 import component
from charms.osm_libs.v0.app_data import AppDataRequirer
from charms.osm_libs.v0.endpoint import HOSTNAME_KEY, EndpointProvider, EndpointRequirer
from charms.osm_libs.v0.keystone import read_credentials
from charms.osm_libs.v0.osm_env import BackendRelations
from charms.osm_libs.v0.secret_option import commonkey_in_use
from config import CharmConfig
from ingress import RouteRequest
from literals import (
    CONTAINER,
    KEYSTONE_RELATION,
    LAYER,
    NBI_RELATION,
    NGINX_ROUTE_RELATION,
    PORT,
    PROMETHEUS_RELATION,
    SERVICE,
)

Inputs = component.Inputs[CharmConfig, workload.NbiSettings]


class OsmNbiCharm(ops.CharmBase):
    """Runs the OSM NBI and publishes where it listens."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._backends = BackendRelations(self)
        self._keystone = AppDataRequirer(self, KEYSTONE_RELATION, read_credentials)
        self._prometheus = EndpointRequirer(self, PROMETHEUS_RELATION, host_key=HOSTNAME_KEY)
        self._nbi = EndpointProvider(self, NBI_RELATION)
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.leader_elected,
            self.on.update_status,
            self.on.secret_changed,
            self.on[NBI_RELATION].relation_created,
            self.on[NGINX_ROUTE_RELATION].relation_created,
            *self._backends.reconcile_events,
            *self._keystone.reconcile_events,
            *self._prometheus.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the workload, the opened port and the published data in line with the model."""
        self.unit.set_ports(PORT)
        inputs = self._inputs
        if inputs.config is not None:
            self._request_route(inputs.config)
        layer = workload.layer(inputs.settings) if inputs.settings else None
        component.reconcile_service(self._container, SERVICE, LAYER, layer, inputs.stop)
        self._nbi.publish_while_ready(self._container, SERVICE, workload.READY_CHECK, PORT)

    def _request_route(self, config: CharmConfig) -> None:
        """Ask the ingress on `nginx-route` (leader only) for the NBI's external route."""
        relation = self.model.get_relation(NGINX_ROUTE_RELATION)
        if relation is None or not self.unit.is_leader():
            return
        request = RouteRequest(
            hostname=config.external_hostname or self.app.name,
            service=self.app.name,
            namespace=self.model.name,
            port=PORT,
            max_body_size=config.max_body_size,
            tls_secret_name=config.tls_secret_name,
        )
        databag = relation.data[self.app]
        wanted = request.databag()
        for key in set(databag) - set(wanted):
            del databag[key]
        databag.update(wanted)

    @cached_property
    def _inputs(self) -> Inputs:
        """Config, secrets and relation data, and what is missing, read once per dispatch.

        A missing mandatory relation (or its data), or a keystone relation without data,
        stops the NBI, bad config or not; a Prometheus that has not published yet is
        only awaited: the NBI runs with its default Prometheus meanwhile.
        """
        answers = self._backends.read()
        keystone, prometheus = self._keystone.get(), self._prometheus.get()
        needed = {**answers.relations, KEYSTONE_RELATION: (self._keystone.relation, keystone)}
        stop = bool(component.relation_problems(needed, optional=[KEYSTONE_RELATION]))
        problems = component.relation_problems(
            {**needed, PROMETHEUS_RELATION: (self._prometheus.relation, prometheus)},
            optional=[KEYSTONE_RELATION, PROMETHEUS_RELATION],
        )
        try:
            config = self.load_config(CharmConfig)
            key, note = commonkey_in_use(config.database_commonkey)
        except ValueError as error:
            return Inputs(stop=stop, problems=(ops.BlockedStatus(str(error)), *problems))
        backends = answers.backends(key)
        if stop or backends is None:
            return Inputs(config=config, stop=True, problems=problems, note=note)
        settings = workload.NbiSettings(
            backends=backends, log_level=config.log_level, keystone=keystone, prometheus=prometheus
        )
        return Inputs(config=config, settings=settings, problems=problems, note=note)

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        component.add_statuses(event, self._container, SERVICE, workload.READY_CHECK, self._inputs)


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmNbiCharm)
