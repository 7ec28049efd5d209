#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for OSM RO (the resource orchestrator)."""

from __future__ import annotations

import functools
import logging

import ops
import workload
from charms.osm_libs.v0 import component
from charms.osm_libs.v0.endpoint import EndpointProvider
from charms.osm_libs.v0.osm_env import OSM_USER, BackendRelations
from charms.osm_libs.v0.pebble_service import PEBBLE_FILE_ERRORS, sync_directory
from charms.osm_libs.v0.secret_option import commonkey_in_use
from config import CharmConfig
from literals import (
    CERTIFICATE_MODE,
    CERTIFICATES_DIR,
    CONTAINER,
    LAYER,
    MONGODB_ROLES,
    PORT,
    READY_CHECK,
    RO_RELATION,
    SERVICE,
)

logger = logging.getLogger(__name__)


Inputs = component.Inputs[CharmConfig, workload.RoSettings]


class OsmRoCharm(ops.CharmBase):
    """Run NG-RO with Pebble; publish its endpoint on `ro` once the service is up."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._backends = BackendRelations(self, mongodb_roles=MONGODB_ROLES)
        self._ro = EndpointProvider(self, RO_RELATION)
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.leader_elected,
            self.on.secret_changed,
            self.on[RO_RELATION].relation_created,
            *self._backends.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the workload and the `ro` relation in line with config and relations."""
        self.unit.set_ports(PORT)
        inputs = self._inputs
        if inputs.config is not None:
            self._sync_certificates(inputs.config.certificate_files)
        layer = workload.layer(inputs.settings) if inputs.settings else None
        component.reconcile_service(self._container, SERVICE, LAYER, layer, inputs.stop)
        self._ro.publish_while_ready(self._container, SERVICE, READY_CHECK, PORT)

    def _sync_certificates(self, certificates: dict[str, bytes]) -> None:
        """Write the `certificates` option's files into the container (before RO starts)."""
        if not self._container.can_connect():
            return
        try:
            sync_directory(
                self._container,
                CERTIFICATES_DIR,
                certificates,
                permissions=CERTIFICATE_MODE,
                user=OSM_USER,
                group=OSM_USER,
            )
        except PEBBLE_FILE_ERRORS as error:
            logger.warning("could not write the certificates: %s", error)

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        component.add_statuses(event, self._container, SERVICE, READY_CHECK, self._inputs)

    @functools.cached_property
    def _inputs(self) -> Inputs:
        """Read config, secrets and relations once per dispatch."""
        answers = self._backends.read()
        problems = component.relation_problems(answers.relations)
        try:
            config = self.load_config(CharmConfig)
            key, note = commonkey_in_use(config.database_commonkey)
        except ValueError as error:
            return Inputs(stop=bool(problems), problems=(ops.BlockedStatus(str(error)), *problems))
        backends = answers.backends(key)
        if problems or backends is None:
            return Inputs(config=config, stop=True, problems=problems, note=note)
        settings = workload.RoSettings(
            backends=backends,
            log_level=config.log_level,
            period_refresh_active=config.period_refresh_active,
        )
        return Inputs(config=config, settings=settings, note=note)


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmRoCharm)
