#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for OSM LCM (life cycle management)."""

from __future__ import annotations

import functools
import logging

import ops
import workload
from charms.osm_libs.v0 import component
from charms.osm_libs.v0.app_data import AppDataRequirer
from charms.osm_libs.v0.endpoint import EndpointRequirer
from charms.osm_libs.v0.osm_env import BackendRelations
from charms.osm_libs.v0.pebble_service import PEBBLE_FILE_ERRORS, push_if_changed
from charms.osm_libs.v0.secret_option import commonkey_in_use, secret_option_value
from charms.osm_libs.v0.vca import VcaSettings, read_settings
from config import CharmConfig
from literals import (
    CA_BUNDLE,
    CA_BUNDLE_MODE,
    CONTAINER,
    LAYER,
    READY_CHECK,
    RO_RELATION,
    SERVICE,
    SYSTEM_CA_BUNDLE,
    VCA_CONFLICT_MESSAGE,
    VCA_RELATION,
)

logger = logging.getLogger(__name__)

Inputs = component.Inputs[CharmConfig, workload.LcmSettings]


class OsmLcmCharm(ops.CharmBase):
    """Run LCM with Pebble, wired to MongoDB, Kafka, RO and optionally a Juju controller."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._backends = BackendRelations(self)
        self._ro = EndpointRequirer(self, RO_RELATION)
        self._vca = AppDataRequirer(self, VCA_RELATION, read_settings)
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.leader_elected,
            self.on.secret_changed,
            *self._backends.reconcile_events,
            *self._ro.reconcile_events,
            *self._vca.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the LCM service and its CA bundle in line with config and relations."""
        inputs = self._inputs
        layer = None
        if inputs.settings is not None and self._write_ca_bundle(inputs.settings.helm_ca_certs):
            layer = workload.layer(inputs.settings)
        component.reconcile_service(self._container, SERVICE, LAYER, layer, inputs.stop)

    def _write_ca_bundle(self, certificates: str) -> bool:
        """Write the image's CA bundle plus `certificates` for LCM to trust (when given).

        Returns whether LCM may be planned: without certificates there is nothing to
        write; with them, not until the bundle the layer points at is in place.
        """
        if not certificates:
            return True
        if not self._container.can_connect():
            return False
        try:
            try:
                with self._container.pull(SYSTEM_CA_BUNDLE) as system:
                    system_bundle = system.read()
            except ops.pebble.PathError:  # an image without ca-certificates
                system_bundle = ""
            bundle = workload.ca_bundle(system_bundle, certificates)
            push_if_changed(self._container, CA_BUNDLE, bundle, permissions=CA_BUNDLE_MODE)
        except PEBBLE_FILE_ERRORS as error:
            logger.warning("could not write the CA bundle: %s", error)
            return False
        return True

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        component.add_statuses(event, self._container, SERVICE, READY_CHECK, self._inputs)

    @functools.cached_property
    def _inputs(self) -> Inputs:
        """Read config, secrets and relations once per dispatch.

        A missing mandatory relation (or its data) stops LCM; a missing or incomplete VCA
        is only a problem to report: LCM runs without it.
        """
        answers, ro = self._backends.read(), self._ro.get()
        problems = component.relation_problems(
            {**answers.relations, RO_RELATION: (self._ro.relation, ro)}
        )
        related_vca, vca_problems = self._related_vca()
        try:
            config = self.load_config(CharmConfig)
            key, note = commonkey_in_use(config.database_commonkey)
            configured_vca = self._configured_vca(config)
        except ValueError as error:
            config_problem = ops.BlockedStatus(str(error))
            return Inputs(stop=bool(problems), problems=(config_problem, *problems, *vca_problems))
        backends = answers.backends(key)
        if problems or backends is None or ro is None:
            return Inputs(config=config, stop=True, problems=(*problems, *vca_problems), note=note)
        settings = workload.LcmSettings(
            backends=backends,
            log_level=config.log_level,
            ro=ro,
            helm_stable_repo_url=config.helm_stable_repo_url,
            helm_ca_certs=config.helm_ca_certs,
            vca=configured_vca or related_vca,
        )
        return Inputs(config=config, settings=settings, problems=vca_problems, note=note)

    def _configured_vca(self, config: CharmConfig) -> VcaSettings | None:
        """The external controller of the `vca-*` options, or None when vca-host is unset.

        Raises:
            ValueError: the options conflict with a `vca` relation or a secret is unreadable.
        """
        if not config.vca_host:
            return None
        if self._vca.relation is not None:
            raise ValueError(VCA_CONFLICT_MESSAGE)
        password = secret_option_value(config.vca_secret, "vca-secret", "password")
        cacert = secret_option_value(config.vca_cacert, "vca-cacert", "cacert")
        if password is None or cacert is None:  # the config class requires both options
            raise ValueError("vca-host is set: also set vca-secret, vca-cacert")
        return VcaSettings(
            endpoints=f"{config.vca_host}:{config.vca_port}",
            user=config.vca_user,
            secret=password,
            public_key=config.vca_pubkey,
            cacert=cacert,
            lxd_cloud=config.vca_cloud,
            k8s_cloud=config.vca_k8s_cloud,
            api_proxy=config.vca_apiproxy,
            model_configs=config.model_configs,
        )

    def _related_vca(self) -> tuple[VcaSettings | None, tuple[ops.StatusBase, ...]]:
        """The controller of the `vca` relation (None without one) and what is wrong with it."""
        try:
            settings = self._vca.get()
        except ValueError as error:
            return None, (ops.BlockedStatus(str(error)),)
        relation = {VCA_RELATION: (self._vca.relation, settings)}
        return settings, component.relation_problems(relation, optional=[VCA_RELATION])


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmLcmCharm)
