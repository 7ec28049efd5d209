#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm of the OSM NG-UI, with the vendor's branding."""

from __future__ import annotations

import logging

import branding
import ops
import workload
from charms.osm_libs.v0 import component, pebble_service
from charms.osm_libs.v0.endpoint import Endpoint, EndpointRequirer
from charms.osm_libs.v0.status import WAITING_FOR_PEBBLE
from config import CharmConfig
from literals import (
    BRANDING_DIR,
    CONTAINER,
    FILE_PERMISSIONS,
    HTTP_PORT,
    INVALID_NBI_HOST,
    LAYER,
    NBI_RELATION,
    READY_CHECK,
    RELOAD_FAILED,
    SERVICE,
    SITE_CONFIG_PATH,
)

logger = logging.getLogger(__name__)


class OsmNgUiCharm(ops.CharmBase):
    """Serve the NG-UI with nginx, proxy `/osm` to the related NBI, render the branding."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._nbi = EndpointRequirer(self, NBI_RELATION)
        self._config_error: str | None = None
        self._config: CharmConfig | None = None
        try:
            self._config = self.load_config(CharmConfig)
        except ValueError as error:
            self._config_error = str(error)
        self._reload_failed = False
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on[NBI_RELATION].relation_departed,
            *self._nbi.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the workload in line with config and the NBI relation."""
        self.unit.set_ports(HTTP_PORT)
        if not self._container.can_connect():
            return
        try:
            nbi = self._nbi_endpoint()
            if nbi is None:
                # Without NBI the UI cannot work: stop nginx, as upstream does.
                pebble_service.stop_service(self._container, SERVICE)
            elif self._config is not None:
                # With an invalid option, the running UI stays as it was.
                self._configure(self._config, nbi)
        except pebble_service.PEBBLE_FILE_ERRORS as error:
            logger.warning("could not configure the %s container: %s", CONTAINER, error)

    def _nbi_endpoint(self) -> Endpoint | None:
        """The related NBI, or None while it is absent, incomplete or malformed."""
        endpoint = self._nbi.get()
        if endpoint is None or not workload.is_valid_host(endpoint.host):
            return None
        return endpoint

    def _configure(self, config: CharmConfig, nbi: Endpoint) -> None:
        """Push branding and site, plan nginx, and reload it if it runs an older site."""
        files, version = branding.render(config.branding)
        pebble_service.sync_directory(
            self._container, BRANDING_DIR, files, permissions=FILE_PERMISSIONS
        )
        site = workload.site_config(nbi, config.max_body_size, config.log_level, version)
        site_changed = pebble_service.push_if_changed(
            self._container, SITE_CONFIG_PATH, site, permissions=FILE_PERMISSIONS
        )
        was_running = pebble_service.is_running(self._container, SERVICE)
        pebble_service.apply_layer(self._container, LAYER, workload.layer())
        if site_changed and was_running:
            self._reload()

    def _reload(self) -> None:
        """Have the running nginx load the new site without dropping connections."""
        try:
            self._container.exec(workload.RELOAD_COMMAND).wait_output()
        except ops.pebble.ExecError as error:
            logger.error("nginx reload failed: %s", error.stderr)
            self._reload_failed = True
        else:
            logger.info("nginx reloaded with the new site configuration")

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        if self._config_error:
            event.add_status(ops.BlockedStatus(self._config_error))
        endpoint = self._nbi.get()
        for problem in component.relation_problems({NBI_RELATION: (self._nbi.relation, endpoint)}):
            event.add_status(problem)
        if endpoint is not None and not workload.is_valid_host(endpoint.host):
            event.add_status(ops.BlockedStatus(INVALID_NBI_HOST))
        if self._reload_failed:
            event.add_status(ops.BlockedStatus(RELOAD_FAILED))
        if not self._container.can_connect():
            event.add_status(ops.WaitingStatus(WAITING_FOR_PEBBLE))
        elif self._config and self._nbi_endpoint() and (status := self._service_health()):
            event.add_status(status)
        event.add_status(ops.ActiveStatus())

    def _service_health(self) -> ops.StatusBase | None:
        """The health of the nginx service as a status, or None when it runs and is ready."""
        return pebble_service.service_health(self._container, SERVICE, READY_CHECK)


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmNgUiCharm)
