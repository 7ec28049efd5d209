#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for Apache Kafka in KRaft mode, the message bus of OSM."""

from __future__ import annotations

import logging

import ops
import workload
from charms.osm_libs.v0 import component
from charms.osm_libs.v0.pebble_service import PEBBLE_FILE_ERRORS, apply_layer, service_health
from charms.osm_libs.v0.status import WAITING_FOR_PEBBLE
from cluster import Cluster
from config import CharmConfig
from literals import (
    CLIENT_PORT,
    CLIENT_RELATION,
    CONTAINER,
    DATA_DIR,
    LAYER,
    PEER_RELATION,
    READY_CHECK,
    SERVICE,
    STORAGE,
    WAITING_FOR_CLUSTER_ID,
    WAITING_FOR_PEERS,
    WAITING_FOR_UNITS,
    WORKLOAD_GROUP,
    WORKLOAD_USER,
)
from provider import ClientProvider

logger = logging.getLogger(__name__)


class UnreadyError(Exception):
    """The node cannot be configured yet; `status` says why."""

    def __init__(self, status: ops.StatusBase):
        super().__init__(status.message)
        self.status = status


class KafkaCharm(ops.CharmBase):
    """Runs one Kafka broker and controller per unit and serves `kafka_client`."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._cluster = Cluster(self)
        self._clients = ClientProvider(self, CLIENT_RELATION)
        peers = self.on[PEER_RELATION]
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.leader_elected,
            self.on[STORAGE].storage_attached,
            peers.relation_created,
            peers.relation_joined,
            peers.relation_changed,
            peers.relation_departed,
            self.on[CLIENT_RELATION].relation_changed,
            *self._clients.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the node's files and service, and the clients' answers, up to date."""
        self._cluster.ensure_cluster_id()
        try:
            settings = self._settings()
        except UnreadyError as reason:
            logger.info("kafka not configured: %s", reason)
            return
        files = workload.config_files(settings)
        try:
            self._container.make_dir(
                DATA_DIR, make_parents=True, user=WORKLOAD_USER, group=WORKLOAD_GROUP
            )
            for path, content in files.items():
                self._container.push(path, content, make_dirs=True)
            apply_layer(self._container, LAYER, workload.pebble_layer(settings.cluster_id, files))
        except PEBBLE_FILE_ERRORS as error:
            logger.warning("could not configure kafka: %s", error)
            return
        self.unit.set_ports(CLIENT_PORT)
        if isinstance(self._workload_status(), ops.ActiveStatus):
            self._clients.publish(workload.bootstrap_servers(settings.quorum))

    def _settings(self) -> workload.BrokerSettings:
        """This node's settings, or `UnreadyError`: what the user must fix first, or awaits."""
        try:
            config = self.load_config(CharmConfig)
        except ValueError as error:
            raise UnreadyError(ops.BlockedStatus(str(error))) from None
        nodes = self._cluster.nodes
        replication = None
        if self._cluster.complete:  # the replication needs the final number of units
            try:
                replication = workload.replication(len(nodes), config)
            except ValueError as error:
                raise UnreadyError(ops.BlockedStatus(str(error))) from None
        if not self._container.can_connect():
            raise UnreadyError(ops.WaitingStatus(WAITING_FOR_PEBBLE))
        if self._cluster.relation is None:
            raise UnreadyError(ops.WaitingStatus(WAITING_FOR_PEERS))
        cluster_id = self._cluster.cluster_id
        if cluster_id is None:
            raise UnreadyError(ops.WaitingStatus(WAITING_FOR_CLUSTER_ID))
        if replication is None:  # some planned units have not joined yet
            planned = self.app.planned_units()
            raise UnreadyError(
                ops.WaitingStatus(WAITING_FOR_UNITS.format(joined=len(nodes), planned=planned))
            )
        return workload.BrokerSettings(
            cluster_id=cluster_id,
            node=self._cluster.node,
            quorum=nodes,
            replication=replication,
            config=config,
        )

    def _workload_status(self) -> ops.StatusBase:
        """The service's state: not running, running but not ready, or ready (Active)."""
        return service_health(self._container, SERVICE, READY_CHECK) or ops.ActiveStatus()

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report the first thing in the way, from "the user must act" to Active."""
        try:
            self._settings()
        except UnreadyError as reason:
            event.add_status(reason.status)
            return
        event.add_status(self._workload_status())


if __name__ == "__main__":  # pragma: nocover
    ops.main(KafkaCharm)
