#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for OSM LCM (life cycle management)."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import ops
import workload
from charms.osm_libs.v0.app_data import AppDataRequirer
from charms.osm_libs.v0.data import KafkaRequirer, MongoDBRequirer
from charms.osm_libs.v0.endpoint import Endpoint, EndpointRequirer
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.pebble_service import (
    PEBBLE_ERRORS,
    apply_layer,
    service_status,
    stop_service,
)
from charms.osm_libs.v0.secret_option import (
    DEFAULT_COMMONKEY,
    INSECURE_COMMONKEY_MESSAGE,
    commonkey,
    secret_option_value,
)
from charms.osm_libs.v0.status import (
    WAITING_FOR_PEBBLE,
    missing_relations_message,
    waiting_for_message,
)
from charms.osm_libs.v0.vca import VcaSettings, read_settings
from config import CharmConfig
from literals import (
    CONTAINER,
    KAFKA_RELATION,
    LAYER,
    MONGODB_DATABASE,
    MONGODB_RELATION,
    MONGODB_ROLES,
    READY_CHECK,
    RO_RELATION,
    SERVICE,
    VCA_CONFLICT_MESSAGE,
    VCA_RELATION,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inputs:
    """What config and relations give this dispatch, and what keeps the service from running.

    `config` is None while any option is invalid (nothing in the workload changes then);
    `relations_ready` is False while a mandatory relation or its data is absent (the service
    must stop then); `settings` is set only when both are fine. A missing or incomplete
    VCA is only a problem to report: LCM runs without it.
    """

    config: CharmConfig | None
    relations_ready: bool
    settings: workload.LcmSettings | None
    problems: tuple[ops.StatusBase, ...]
    insecure_commonkey: bool


@dataclass(frozen=True)
class Mandatory:
    """The data of the mandatory relations: Kafka and MongoDB, and RO."""

    backends: OsmBackends
    ro: Endpoint


class OsmLcmCharm(ops.CharmBase):
    """Run LCM with Pebble, wired to MongoDB, Kafka, RO and optionally a Juju controller."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._mongodb = MongoDBRequirer(
            self, MONGODB_RELATION, database=MONGODB_DATABASE, extra_user_roles=MONGODB_ROLES
        )
        self._kafka = KafkaRequirer(self, KAFKA_RELATION)
        self._ro = EndpointRequirer(self, RO_RELATION)
        self._vca = AppDataRequirer(self, VCA_RELATION, read_settings)
        container_events = self.on[CONTAINER]
        for event in (
            container_events.pebble_ready,
            container_events.pebble_check_failed,
            container_events.pebble_check_recovered,
            self.on.config_changed,
            self.on.upgrade_charm,
            self.on.secret_changed,
            self.on[RO_RELATION].relation_changed,
            self.on[RO_RELATION].relation_broken,
            *self._mongodb.reconcile_events,
            *self._kafka.reconcile_events,
            *self._vca.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the LCM service in line with config and relations."""
        inputs = self._inputs
        if not self._container.can_connect():
            return
        try:
            if inputs.settings is not None:
                apply_layer(self._container, LAYER, workload.layer(inputs.settings))
            elif not inputs.relations_ready:
                stop_service(self._container, SERVICE)
        except PEBBLE_ERRORS as error:
            logger.warning("could not configure the %s service: %s", SERVICE, error)

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        inputs = self._inputs
        for status in inputs.problems:
            event.add_status(status)
        if not self._container.can_connect():
            event.add_status(ops.WaitingStatus(WAITING_FOR_PEBBLE))
        elif inputs.settings is not None:
            try:
                status = service_status(self._container, SERVICE, READY_CHECK)
            except PEBBLE_ERRORS:
                status = ops.WaitingStatus(WAITING_FOR_PEBBLE)
            if status is not None:
                event.add_status(status)
        event.add_status(
            ops.ActiveStatus(INSECURE_COMMONKEY_MESSAGE if inputs.insecure_commonkey else "")
        )

    @functools.cached_property
    def _inputs(self) -> Inputs:
        """Read config, secrets and relations once per dispatch."""
        problems: list[ops.StatusBase] = []
        try:
            config: CharmConfig | None = self.load_config(CharmConfig)
            key = commonkey(config.database_commonkey)
            configured_vca = self._configured_vca(config)
        except ValueError as error:
            problems.append(ops.BlockedStatus(str(error)))
            config, key, configured_vca = None, None, None
        mandatory = self._mandatory(key or DEFAULT_COMMONKEY)
        if isinstance(mandatory, ops.StatusBase):
            problems.append(mandatory)
            mandatory = None
        related_vca = self._related_vca()
        if isinstance(related_vca, ops.StatusBase):
            problems.append(related_vca)
            related_vca = None
        settings = None
        if config is not None and mandatory is not None:
            settings = workload.LcmSettings(
                backends=mandatory.backends,
                log_level=config.log_level,
                ro=mandatory.ro,
                helm_stable_repo_url=config.helm_stable_repo_url,
                helm_ca_certs=config.helm_ca_certs,
                vca=configured_vca or related_vca,
            )
        return Inputs(
            config=config,
            relations_ready=mandatory is not None,
            settings=settings,
            problems=tuple(problems),
            insecure_commonkey=config is not None and key is None,
        )

    def _mandatory(self, key: str) -> Mandatory | ops.StatusBase:
        """Kafka, MongoDB and RO from their relations, or the status saying what is missing."""
        relations = {
            MONGODB_RELATION: self._mongodb.relation,
            KAFKA_RELATION: self._kafka.relation,
            RO_RELATION: self._ro.relation,
        }
        missing = [name for name, relation in relations.items() if relation is None]
        if missing:
            return ops.BlockedStatus(missing_relations_message(missing))
        uri, kafka, ro = self._mongodb.uri(), self._kafka.endpoint(), self._ro.get()
        if uri is None or kafka is None or ro is None:
            arrived = {MONGODB_RELATION: uri, KAFKA_RELATION: kafka, RO_RELATION: ro}
            waiting = [name for name, data in arrived.items() if data is None]
            return ops.WaitingStatus(waiting_for_message(waiting))
        backends = OsmBackends(
            kafka_host=kafka.host, kafka_port=kafka.port, mongodb_uri=uri, commonkey=key
        )
        return Mandatory(backends=backends, ro=ro)

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

    def _related_vca(self) -> VcaSettings | ops.StatusBase | None:
        """The controller of the `vca` relation, None without one, or what is wrong with it."""
        if self._vca.relation is None:
            return None
        try:
            settings = self._vca.get()
        except ValueError as error:
            return ops.BlockedStatus(str(error))
        return settings or ops.WaitingStatus(waiting_for_message([VCA_RELATION]))


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmLcmCharm)
