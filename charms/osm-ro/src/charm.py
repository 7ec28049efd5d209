#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for OSM RO (the resource orchestrator)."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import ops
import workload
from certificates import sync_certificates
from charms.osm_libs.v0.data import KafkaRequirer, MongoDBRequirer
from charms.osm_libs.v0.endpoint import Endpoint, EndpointProvider
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
)
from charms.osm_libs.v0.status import (
    WAITING_FOR_PEBBLE,
    missing_relations_message,
    waiting_for_message,
)
from config import CharmConfig
from literals import (
    CONTAINER,
    KAFKA_RELATION,
    LAYER,
    MONGODB_DATABASE,
    MONGODB_RELATION,
    MONGODB_ROLES,
    PORT,
    READY_CHECK,
    RO_RELATION,
    SERVICE,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inputs:
    """What config and relations give this dispatch, and what keeps the service from running.

    `config` is None while any option is invalid (nothing in the workload changes then);
    `relations_ready` is False while a mandatory relation or its data is absent (the service
    must stop then); `settings` is set only when both are fine.
    """

    config: CharmConfig | None
    relations_ready: bool
    settings: workload.RoSettings | None
    problems: tuple[ops.StatusBase, ...]
    insecure_commonkey: bool


class OsmRoCharm(ops.CharmBase):
    """Run NG-RO with Pebble; publish its endpoint on `ro` once the service is up."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._mongodb = MongoDBRequirer(
            self, MONGODB_RELATION, database=MONGODB_DATABASE, extra_user_roles=MONGODB_ROLES
        )
        self._kafka = KafkaRequirer(self, KAFKA_RELATION)
        self._ro = EndpointProvider(self, RO_RELATION)
        container_events = self.on[CONTAINER]
        for event in (
            container_events.pebble_ready,
            container_events.pebble_check_failed,
            container_events.pebble_check_recovered,
            self.on.config_changed,
            self.on.upgrade_charm,
            self.on.leader_elected,
            self.on.secret_changed,
            self.on[RO_RELATION].relation_created,
            *self._mongodb.reconcile_events,
            *self._kafka.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the workload and the `ro` relation in line with config and relations."""
        self.unit.set_ports(PORT)
        inputs = self._inputs
        if not self._container.can_connect():
            return
        try:
            if inputs.config is not None:
                sync_certificates(self._container, inputs.config.certificate_files)
            if inputs.settings is not None:
                apply_layer(self._container, LAYER, workload.layer(inputs.settings))
            elif not inputs.relations_ready:
                stop_service(self._container, SERVICE)
        except PEBBLE_ERRORS as error:
            logger.warning("could not configure the %s service: %s", SERVICE, error)
        self._publish_endpoint()

    def _publish_endpoint(self) -> None:
        """Publish the RO endpoint while the service is up; withdraw it otherwise."""
        try:
            up = service_status(self._container, SERVICE, READY_CHECK) is None
        except PEBBLE_ERRORS:
            up = False
        self._ro.publish(Endpoint(host=self.app.name, port=PORT) if up else None)

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
        except ValueError as error:
            problems.append(ops.BlockedStatus(str(error)))
            config, key = None, None
        backends = self._backends(key or DEFAULT_COMMONKEY)
        if isinstance(backends, ops.StatusBase):
            problems.append(backends)
            backends = None
        settings = None
        if config is not None and backends is not None:
            settings = workload.RoSettings(
                backends=backends,
                log_level=config.log_level,
                period_refresh_active=config.period_refresh_active,
            )
        return Inputs(
            config=config,
            relations_ready=backends is not None,
            settings=settings,
            problems=tuple(problems),
            insecure_commonkey=config is not None and key is None,
        )

    def _backends(self, key: str) -> OsmBackends | ops.StatusBase:
        """Kafka and MongoDB from their relations, or the status saying what is missing."""
        missing = [
            name
            for name, requirer in (
                (MONGODB_RELATION, self._mongodb),
                (KAFKA_RELATION, self._kafka),
            )
            if requirer.relation is None
        ]
        if missing:
            return ops.BlockedStatus(missing_relations_message(missing))
        uri, kafka = self._mongodb.uri(), self._kafka.endpoint()
        if uri is None or kafka is None:
            waiting = [MONGODB_RELATION] if uri is None else []
            waiting += [KAFKA_RELATION] if kafka is None else []
            return ops.WaitingStatus(waiting_for_message(waiting))
        return OsmBackends(
            kafka_host=kafka.host, kafka_port=kafka.port, mongodb_uri=uri, commonkey=key
        )


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmRoCharm)
