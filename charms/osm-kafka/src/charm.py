#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for Apache Kafka in KRaft mode, the message bus of OSM."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

import ops
import workload
from charms.osm_libs.v0 import component
from charms.osm_libs.v0.pebble_service import PEBBLE_FILE_ERRORS, service_health
from cluster import Cluster
from config import CharmConfig
from literals import (
    CLIENT_PORT,
    CLIENT_RELATION,
    CONTAINER,
    DATA_DIR,
    FORMAT_ACTION,
    FORMAT_FAILED,
    FORMAT_REFUSED,
    KAFKA_HOME,
    LAYER,
    LEGACY_DATA_DIR,
    META_PROPERTIES,
    PEER_RELATION,
    READY_CHECK,
    SERVICE,
    STORAGE,
    STORAGE_FOREIGN,
    STORAGE_LOST,
    WAITING_FOR_CLUSTER_ID,
    WAITING_FOR_META,
    WAITING_FOR_PEERS,
    WAITING_FOR_STORAGE,
    WAITING_FOR_UNITS,
    WORKLOAD_GROUP,
    WORKLOAD_USER,
)
from provider import ClientProvider
from workload import DataState

logger = logging.getLogger(__name__)

FORMAT_TIMEOUT = 120.0  # seconds; kafka-storage.sh is one short JVM run


@dataclass(frozen=True)
class KafkaInputs(component.Inputs[CharmConfig, workload.BrokerSettings]):
    """What one dispatch found, and what the node's storage holds (None until read)."""

    data: DataState | None = None


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
            self.on.update_status,
            self.on[STORAGE].storage_attached,
            peers.relation_created,
            peers.relation_joined,
            peers.relation_changed,
            peers.relation_departed,
            self.on[CLIENT_RELATION].relation_changed,
            *self._clients.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on[FORMAT_ACTION].action, self._on_format_storage)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the node's files, storage and service, and the clients' answers, in line."""
        self._cluster.ensure_cluster_id()  # the leader's one write, before anything is read
        self.unit.set_ports(CLIENT_PORT)
        inputs = self._inputs
        settings = inputs.settings
        layer = self._prepare(settings, inputs.data) if settings else None
        component.reconcile_service(self._container, SERVICE, LAYER, layer, inputs.stop)
        if settings is not None and self._broker_ready():
            self._clients.publish(workload.bootstrap_servers(self.app.name, settings.quorum))

    def _prepare(
        self, settings: workload.BrokerSettings, data: DataState | None
    ) -> ops.pebble.LayerDict | None:
        """Write the node's files, format a new node; the layer to plan, or None on failure."""
        files = workload.config_files(settings)
        try:
            self._container.make_dir(
                DATA_DIR, make_parents=True, user=WORKLOAD_USER, group=WORKLOAD_GROUP
            )
            for path, content in files.items():
                self._container.push(path, content, make_dirs=True)
            if data is DataState.NEW:
                self._format(settings.cluster_id)
        except (*PEBBLE_FILE_ERRORS, ops.pebble.ExecError, ops.pebble.TimeoutError) as error:
            logger.warning("could not configure kafka: %s", error)
            return None
        if data in (DataState.NEW, DataState.FORMATTED):
            self._cluster.record_formatted(settings.cluster_id)
        return workload.pebble_layer(files)

    def _format(self, cluster_id: str) -> None:
        """Format the node's storage for `cluster_id` (raises what Pebble raises)."""
        process = self._container.exec(
            workload.format_command(cluster_id),
            user=WORKLOAD_USER,
            group=WORKLOAD_GROUP,
            working_dir=KAFKA_HOME,
            timeout=FORMAT_TIMEOUT,
        )
        process.wait_output()
        logger.info("formatted the storage of a new node")

    def _broker_ready(self) -> bool:
        """Whether this unit's broker runs and accepts clients."""
        return service_health(self._container, SERVICE, READY_CHECK) is None

    @cached_property
    def _inputs(self) -> KafkaInputs:
        """Config, the cluster and the node's storage, and what is missing: once per dispatch."""
        try:
            config = self.load_config(CharmConfig)
            replication = self._replication(config)
        except ValueError as error:
            return KafkaInputs(problems=(ops.BlockedStatus(str(error)),))
        cluster_id = self._cluster.cluster_id
        waiting = self._waiting_for(cluster_id, replication)
        if waiting is not None:
            return KafkaInputs(config=config, problems=(waiting,))
        if cluster_id is None or replication is None or not self._container.can_connect():
            return KafkaInputs(config=config)  # add_statuses reports the missing Pebble
        settings = workload.BrokerSettings(
            cluster_id=cluster_id,
            node=self._cluster.node,
            quorum=self._cluster.nodes,
            replication=replication,
            config=config,
        )
        return self._storage_inputs(settings)

    def _replication(self, config: CharmConfig) -> workload.Replication | None:
        """The replication, once every planned unit has joined (ValueError: it cannot fit)."""
        if not self._cluster.complete:
            return None
        return workload.replication(len(self._cluster.nodes), config)

    def _waiting_for(
        self, cluster_id: str | None, replication: workload.Replication | None
    ) -> ops.StatusBase | None:
        """What the node awaits from Juju or its peers before it can be configured."""
        if self._cluster.relation is None:
            return ops.WaitingStatus(WAITING_FOR_PEERS)
        if cluster_id is None:
            return ops.WaitingStatus(WAITING_FOR_CLUSTER_ID)
        if replication is None:  # some planned units have not joined yet
            joined, planned = len(self._cluster.nodes), self.app.planned_units()
            return ops.WaitingStatus(WAITING_FOR_UNITS.format(joined=joined, planned=planned))
        if not self.model.storages[STORAGE]:
            return ops.WaitingStatus(WAITING_FOR_STORAGE)
        return None

    def _storage_inputs(self, settings: workload.BrokerSettings) -> KafkaInputs:
        """The inputs once the node's storage has been read: run it, or say what is wrong."""
        config, node = settings.config, settings.node
        try:
            found = self._read_meta(DATA_DIR)
            legacy = self._read_meta(LEGACY_DATA_DIR) if found is None else None
        except PEBBLE_FILE_ERRORS as error:
            logger.warning("could not read the node's %s: %s", META_PROPERTIES, error)
            return KafkaInputs(config=config, problems=(ops.WaitingStatus(WAITING_FOR_META),))
        data = workload.data_state(
            found, legacy, self._cluster.formatted_before, settings.cluster_id, node.node_id
        )
        if data is DataState.LOST:
            message = STORAGE_LOST.format(node=node.node_id)
        elif data is DataState.FOREIGN and found is not None:
            message = STORAGE_FOREIGN.format(
                found=found.describe(), node=node.node_id, cluster_id=settings.cluster_id
            )
        else:
            return KafkaInputs(config=config, settings=settings, data=data)
        return KafkaInputs(
            config=config, stop=True, data=data, problems=(ops.BlockedStatus(message),)
        )

    def _read_meta(self, directory: str) -> workload.MetaProperties | None:
        """The `meta.properties` in `directory`, None when there is none."""
        try:
            with self._container.pull(f"{directory}/{META_PROPERTIES}") as file:
                return workload.parse_meta_properties(file.read())
        except ops.pebble.PathError as error:
            if error.kind == "not-found":
                return None
            raise

    def _on_format_storage(self, event: ops.ActionEvent) -> None:
        """Format a node that lost its data, once the operator says so, and start it."""
        if self._inputs.data is not DataState.LOST:
            event.fail(FORMAT_REFUSED)
            return
        self._cluster.forget_formatted()
        del self._inputs  # the record is gone: read the inputs again
        self._reconcile(event)
        if not self._cluster.formatted_before:
            event.fail(FORMAT_FAILED)
            return
        event.set_results({"node": str(self._cluster.node.node_id)})

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        component.add_statuses(event, self._container, SERVICE, READY_CHECK, self._inputs)


if __name__ == "__main__":  # pragma: nocover
    ops.main(KafkaCharm)
