#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm of the OSM NG-UI, with the vendor's branding."""

from __future__ import annotations

import logging
from functools import cached_property

import nginx
import ops
import workload
from charms.osm_libs.v0 import component, pebble_service
from charms.osm_libs.v0.endpoint import EndpointRequirer
from config import CharmConfig
from literals import (
    CONTAINER,
    HTTP_PORT,
    INVALID_NBI,
    LAYER,
    NBI_RELATION,
    READY_CHECK,
    SERVICE,
    SITE_NOT_LOADED,
    SITE_REJECTED,
)

logger = logging.getLogger(__name__)

Inputs = component.Inputs[CharmConfig, workload.NgUiSettings]


class OsmNgUiCharm(ops.CharmBase):
    """Serve the NG-UI with nginx, proxy `/osm` to the related NBI, render the branding."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._nbi = EndpointRequirer(self, NBI_RELATION)
        # What nginx has loaded, as this dispatch's reconcile left it.
        self._settled: nginx.Record | None = None
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.update_status,
            self.on[NBI_RELATION].relation_departed,
            *self._nbi.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Push the site and branding, plan nginx, and have it load them (every write here)."""
        self.unit.set_ports(HTTP_PORT)
        inputs = self._inputs
        site = self._site
        if site is None or not self._container.can_connect():
            # Without NBI, stop nginx (as upstream does); with a bad option, leave it be.
            component.reconcile_service(self._container, SERVICE, LAYER, None, inputs.stop)
            return
        try:
            # The files first: an nginx that the plan (re)starts loads them.
            nginx.push(self._container, site)
            started = not pebble_service.is_running(self._container, SERVICE)
            component.reconcile_service(self._container, SERVICE, LAYER, workload.layer(), False)
            self._settled = nginx.settle(self._container, site, started)
        except pebble_service.PEBBLE_FILE_ERRORS as error:
            logger.warning("could not configure the %s container: %s", CONTAINER, error)

    @cached_property
    def _inputs(self) -> Inputs:
        """Config and the NBI relation, and what is missing, read once per dispatch."""
        nbi = self._nbi.get()
        problems = component.relation_problems({NBI_RELATION: (self._nbi.relation, nbi)})
        if nbi is not None and not workload.is_valid_nbi(nbi):
            problems, nbi = (ops.BlockedStatus(INVALID_NBI),), None
        try:
            config = self.load_config(CharmConfig)
        except ValueError as error:
            return Inputs(stop=nbi is None, problems=(ops.BlockedStatus(str(error)), *problems))
        if nbi is None:
            return Inputs(config=config, stop=True, problems=problems)
        settings = workload.NgUiSettings(
            nbi=nbi,
            max_body_size=config.max_body_size,
            log_level=config.log_level,
            branding=config.branding,
        )
        return Inputs(config=config, settings=settings)

    @cached_property
    def _site(self) -> workload.Site | None:
        """The site and branding files the inputs ask for; None without settings."""
        settings = self._inputs.settings
        return workload.render(settings) if settings else None

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report the inputs' problems, Pebble, nginx's health and what it has loaded."""
        component.add_statuses(event, self._container, SERVICE, READY_CHECK, self._inputs)
        if self._site is not None and (status := self._loading_status(self._site)):
            event.add_status(status)

    def _loading_status(self, site: workload.Site) -> ops.StatusBase | None:
        """Blocked or Maintenance while the running nginx serves another site than `site`."""
        try:
            if not pebble_service.is_running(self._container, SERVICE):
                return None  # reported as not running
            record = self._settled
            if record is None:  # no reconcile in this dispatch: what an earlier one wrote
                record = nginx.read_record(self._container)
        except pebble_service.PEBBLE_FILE_ERRORS:
            return None  # reported as waiting for Pebble
        if record.loaded == site.digest:
            return None
        if record.rejected == site.digest:
            return ops.BlockedStatus(SITE_REJECTED.format(error=record.error))
        return ops.MaintenanceStatus(SITE_NOT_LOADED)


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmNgUiCharm)
