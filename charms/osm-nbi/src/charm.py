#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for the OSM North Bound Interface (NBI)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

import ops
import workload
from charms.osm_libs.v0 import pebble_service, status
from charms.osm_libs.v0.app_data import AppDataRequirer
from charms.osm_libs.v0.data import KafkaRequirer, MongoDBRequirer
from charms.osm_libs.v0.endpoint import Endpoint, EndpointProvider
from charms.osm_libs.v0.keystone import read_credentials
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.secret_option import (
    DEFAULT_COMMONKEY,
    INSECURE_COMMONKEY_MESSAGE,
    commonkey,
)
from config import CharmConfig
from ingress import RouteRequest
from literals import (
    CONTAINER,
    KAFKA_RELATION,
    KEYSTONE_RELATION,
    LAYER,
    MANDATORY_RELATIONS,
    MONGODB_DATABASE,
    MONGODB_RELATION,
    MONGODB_ROLES,
    NBI_RELATION,
    NGINX_ROUTE_RELATION,
    PORT,
    SERVICE,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Assessment:
    """What the model gives the NBI in this dispatch, and what is still missing."""

    config: CharmConfig | None = None
    config_error: str | None = None
    missing: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()
    settings: workload.NbiSettings | None = None


class OsmNbiCharm(ops.CharmBase):
    """Runs the OSM NBI and publishes where it listens."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._mongodb = MongoDBRequirer(
            self, MONGODB_RELATION, database=MONGODB_DATABASE, extra_user_roles=MONGODB_ROLES
        )
        self._kafka = KafkaRequirer(self, KAFKA_RELATION)
        self._keystone = AppDataRequirer(self, KEYSTONE_RELATION, read_credentials)
        self._nbi = EndpointProvider(self, NBI_RELATION)
        for event in self._reconcile_events():
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile_events(self) -> list[ops.BoundEvent]:
        """Every event after which the workload or the published data may have to change."""
        container = self.on[CONTAINER]
        events = [
            container.pebble_ready,
            container.pebble_check_failed,
            container.pebble_check_recovered,
            self.on.config_changed,
            self.on.upgrade_charm,
            self.on.leader_elected,
            self.on.update_status,
            self.on.secret_changed,
            # A provider may also withdraw its answer: no library event says so.
            self.on[MONGODB_RELATION].relation_changed,
            self.on[MONGODB_RELATION].relation_broken,
            self.on[KAFKA_RELATION].relation_changed,
            self.on[KAFKA_RELATION].relation_broken,
            self.on[NBI_RELATION].relation_created,
            self.on[NGINX_ROUTE_RELATION].relation_created,
            *self._mongodb.reconcile_events,
            *self._kafka.reconcile_events,
            *self._keystone.reconcile_events,
        ]
        # The libraries' lists overlap ours: observe each event once.
        unique = {(event.emitter, event.event_kind): event for event in events}
        return list(unique.values())

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the workload, the opened port and the published data in line with the model."""
        self.unit.set_ports(PORT)
        assessment = self._assessment
        if assessment.config is not None:
            self._request_route(assessment.config)
        serving = False
        try:
            if self._container.can_connect():
                self._update_workload(assessment)
                serving = (
                    pebble_service.service_status(self._container, SERVICE, workload.READY_CHECK)
                    is None
                )
        except pebble_service.PEBBLE_ERRORS as error:
            logger.warning("cannot manage the %s service: %s", SERVICE, error)
        self._nbi.publish(Endpoint(host=self.app.name, port=PORT) if serving else None)

    def _update_workload(self, assessment: Assessment) -> None:
        """Run the NBI with the current settings, or stop it when its inputs are gone.

        With invalid config the workload is left as it is: a typo in an option does not
        take the running NBI down.
        """
        if assessment.config_error is not None:
            return
        if assessment.settings is None:
            if pebble_service.is_running(self._container, SERVICE):
                logger.info("stopping %s: its relations or their data are missing", SERVICE)
            pebble_service.stop_service(self._container, SERVICE)
            return
        pebble_service.apply_layer(self._container, LAYER, workload.layer(assessment.settings))

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
    def _assessment(self) -> Assessment:
        """Config, relation data and what is missing, read once per dispatch."""
        mongodb_uri = self._mongodb.uri()
        kafka = self._kafka.endpoint()
        keystone = self._keystone.get()
        related = {
            MONGODB_RELATION: self._mongodb.relation is not None,
            KAFKA_RELATION: self._kafka.relation is not None,
            KEYSTONE_RELATION: self._keystone.relation is not None,
        }
        arrived = {
            MONGODB_RELATION: mongodb_uri is not None,
            KAFKA_RELATION: kafka is not None,
            KEYSTONE_RELATION: keystone is not None,
        }
        missing = tuple(name for name in MANDATORY_RELATIONS if not related[name])
        waiting = tuple(name for name in related if related[name] and not arrived[name])
        try:
            config = self.load_config(CharmConfig)
            key = commonkey(config.database_commonkey) or DEFAULT_COMMONKEY
        except ValueError as error:
            return Assessment(config_error=str(error), missing=missing, waiting=waiting)
        if missing or waiting or mongodb_uri is None or kafka is None:
            return Assessment(config=config, missing=missing, waiting=waiting)
        backends = OsmBackends(
            kafka_host=kafka.host, kafka_port=kafka.port, mongodb_uri=mongodb_uri, commonkey=key
        )
        settings = workload.NbiSettings(
            backends=backends, log_level=config.log_level, keystone=keystone
        )
        return Assessment(config=config, settings=settings)

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        assessment = self._assessment
        if assessment.config_error is not None:
            event.add_status(ops.BlockedStatus(assessment.config_error))
        if assessment.missing:
            event.add_status(
                ops.BlockedStatus(status.missing_relations_message(assessment.missing))
            )
        if not self._container.can_connect():
            event.add_status(ops.WaitingStatus(status.WAITING_FOR_PEBBLE))
        elif assessment.waiting:
            event.add_status(ops.WaitingStatus(status.waiting_for_message(assessment.waiting)))
        elif assessment.settings is not None and (service := self._service_status()):
            event.add_status(service)
        config = assessment.config
        insecure = config is not None and config.database_commonkey is None
        event.add_status(ops.ActiveStatus(INSECURE_COMMONKEY_MESSAGE if insecure else ""))

    def _service_status(self) -> ops.StatusBase | None:
        """The NBI service's health as a status, or None when it runs and is ready."""
        try:
            return pebble_service.service_status(self._container, SERVICE, workload.READY_CHECK)
        except pebble_service.PEBBLE_ERRORS:
            return ops.WaitingStatus(status.WAITING_FOR_PEBBLE)


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmNbiCharm)
