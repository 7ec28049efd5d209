#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for OSM MON, the monitoring module of Open Source MANO."""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from functools import cached_property

import metrics
import ops
import workload
from charms.osm_libs.v0 import pebble_service, status
from charms.osm_libs.v0.app_data import AppDataRequirer
from charms.osm_libs.v0.data import KafkaRequirer, MongoDBRequirer
from charms.osm_libs.v0.endpoint import HOSTNAME_KEY, EndpointRequirer
from charms.osm_libs.v0.keystone import read_credentials
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.prometheus_scrape import ScrapeUnit, Topology, app_databag
from charms.osm_libs.v0.secret_option import (
    DEFAULT_COMMONKEY,
    INSECURE_COMMONKEY_MESSAGE,
    commonkey,
    secret_option_value,
)
from charms.osm_libs.v0.vca import read_settings
from config import CharmConfig
from literals import (
    COLLECTOR_PORT,
    CONTAINER,
    GRAFANA_PASSWORD_CONTENT_KEY,
    GRAFANA_PASSWORD_OPTION,
    KAFKA_RELATION,
    KEYSTONE_RELATION,
    LAYER,
    METRICS_ENDPOINT_RELATION,
    MONGODB_DATABASE,
    MONGODB_RELATION,
    MONGODB_ROLES,
    PROMETHEUS_CONFLICT,
    PROMETHEUS_RELATION,
    SERVICE,
    VCA_RELATION,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Assessment:
    """What the model gives MON in this dispatch, and what is still missing."""

    config: CharmConfig | None = None
    config_error: str | None = None
    missing: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()
    relation_error: str | None = None
    settings: workload.MonSettings | None = None


class OsmMonCharm(ops.CharmBase):
    """Runs OSM MON and publishes its collector as a Prometheus scrape target."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._mongodb = MongoDBRequirer(
            self, MONGODB_RELATION, database=MONGODB_DATABASE, extra_user_roles=MONGODB_ROLES
        )
        self._kafka = KafkaRequirer(self, KAFKA_RELATION)
        self._prometheus = EndpointRequirer(self, PROMETHEUS_RELATION, host_key=HOSTNAME_KEY)
        self._keystone = AppDataRequirer(self, KEYSTONE_RELATION, read_credentials)
        self._vca = AppDataRequirer(self, VCA_RELATION, read_settings)
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
            self.on.secret_changed,
            self.on[METRICS_ENDPOINT_RELATION].relation_created,
            *self._mongodb.reconcile_events,
            *self._kafka.reconcile_events,
            *self._keystone.reconcile_events,
        ]
        for name in (PROMETHEUS_RELATION, VCA_RELATION):
            events += [self.on[name].relation_changed, self.on[name].relation_broken]
        # The libraries' lists may overlap ours: observe each event once.
        unique = {(event.emitter, event.event_kind): event for event in events}
        return list(unique.values())

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the workload, the opened port and the published scrape job in line."""
        self.unit.set_ports(COLLECTOR_PORT)
        self._publish_scrape_job()
        try:
            if self._container.can_connect():
                self._update_workload(self._assessment)
        except pebble_service.PEBBLE_ERRORS as error:
            logger.warning("cannot manage the %s service: %s", SERVICE, error)

    def _update_workload(self, assessment: Assessment) -> None:
        """Run MON with the current settings, or stop it when its inputs are gone.

        With invalid config the workload is left as it is: a typo in an option does not
        take the running MON down.
        """
        if assessment.config_error is not None:
            return
        if assessment.settings is None:
            if pebble_service.is_running(self._container, SERVICE):
                logger.info("stopping %s: its relations or their data are missing", SERVICE)
            pebble_service.stop_service(self._container, SERVICE)
            return
        pebble_service.apply_layer(self._container, LAYER, workload.layer(assessment.settings))

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
    def _assessment(self) -> Assessment:
        """Config, relation data and what is missing, read once per dispatch."""
        try:
            config, key, grafana_password = self._options()
        except ValueError as error:
            return Assessment(config_error=str(error))
        mongodb_uri = self._mongodb.uri()
        kafka = self._kafka.endpoint()
        prometheus_url = config.prometheus_url or self._related_prometheus_url()
        keystone = self._keystone.get()
        try:
            vca, vca_error = self._vca.get(), None
        except ValueError as error:
            vca, vca_error = None, str(error)
        mandatory = {
            MONGODB_RELATION: self._mongodb.relation,
            KAFKA_RELATION: self._kafka.relation,
        }
        if not config.prometheus_url:
            mandatory[PROMETHEUS_RELATION] = self._prometheus.relation
        missing = tuple(name for name, relation in mandatory.items() if relation is None)
        related = {name: relation is not None for name, relation in mandatory.items()}
        related.update(
            {
                KEYSTONE_RELATION: self._keystone.relation is not None,
                VCA_RELATION: self._vca.relation is not None and vca_error is None,
            }
        )
        arrived = {
            MONGODB_RELATION: mongodb_uri is not None,
            KAFKA_RELATION: kafka is not None,
            PROMETHEUS_RELATION: bool(prometheus_url),
            KEYSTONE_RELATION: keystone is not None,
            VCA_RELATION: vca is not None,
        }
        waiting = tuple(name for name, present in related.items() if present and not arrived[name])
        if (
            missing
            or waiting
            or vca_error
            or mongodb_uri is None
            or kafka is None
            or not prometheus_url
        ):
            return Assessment(
                config=config, missing=missing, waiting=waiting, relation_error=vca_error
            )
        backends = OsmBackends(
            kafka_host=kafka.host, kafka_port=kafka.port, mongodb_uri=mongodb_uri, commonkey=key
        )
        settings = workload.MonSettings(
            config=config,
            backends=backends,
            prometheus_url=prometheus_url,
            grafana_password=grafana_password,
            keystone=keystone,
            vca=vca,
        )
        return Assessment(config=config, settings=settings)

    def _options(self) -> tuple[CharmConfig, str, str | None]:
        """The config, the common key (or upstream's default) and the Grafana password.

        Raises:
            ValueError: an option or its secret is unusable; the message names the option.
        """
        config = self.load_config(CharmConfig)
        key = commonkey(config.database_commonkey) or DEFAULT_COMMONKEY
        grafana_password = secret_option_value(
            config.grafana_password, GRAFANA_PASSWORD_OPTION, GRAFANA_PASSWORD_CONTENT_KEY
        )
        if config.prometheus_url and self._prometheus.relation is not None:
            raise ValueError(PROMETHEUS_CONFLICT)
        return config, key, grafana_password

    def _related_prometheus_url(self) -> str:
        """The related Prometheus's URL, or "" until it has published its address."""
        endpoint = self._prometheus.get()
        return endpoint.url if endpoint is not None else ""

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        assessment = self._assessment
        if assessment.config_error is not None:
            event.add_status(ops.BlockedStatus(assessment.config_error))
        if assessment.relation_error is not None:
            event.add_status(ops.BlockedStatus(assessment.relation_error))
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
        """MON's health as a status, or None when it runs and its collector answers."""
        try:
            return pebble_service.service_status(self._container, SERVICE, workload.READY_CHECK)
        except pebble_service.PEBBLE_ERRORS:
            return ops.WaitingStatus(status.WAITING_FOR_PEBBLE)


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmMonCharm)
