# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The peer relation: the units of the cluster, its id, and which units are formatted.

A unit's node id is its unit number (`kafka/2` is node 2) and its host name is its
pod's stable name behind the application's headless service
(`kafka-2.kafka-endpoints`), so the quorum follows from the units on the relation.

Each unit records in its own databag the cluster id it formatted its storage with
(`formatted-cluster-id`). The record lives as long as the unit: a unit that is removed
takes it along, so a new unit (even one that reuses the number) starts as a new node.
"""

from __future__ import annotations

import logging

import ops
from literals import CLUSTER_ID_KEY, FORMATTED_KEY, PEER_RELATION
from workload import Node, generate_cluster_id, is_cluster_id

logger = logging.getLogger(__name__)


def node_of(unit: ops.Unit) -> Node:
    """The Kafka node a unit runs: node id from its number, host from its pod name."""
    app_name, number = unit.name.rsplit("/", 1)
    return Node(node_id=int(number), host=f"{app_name}-{number}.{app_name}-endpoints")


class Cluster:
    """A read model of the peer relation, plus the leader's one write: the cluster id."""

    def __init__(self, charm: ops.CharmBase):
        self._charm = charm

    @property
    def relation(self) -> ops.Relation | None:
        """The peer relation, once Juju has created it."""
        return self._charm.model.get_relation(PEER_RELATION)

    @property
    def node(self) -> Node:
        """This unit's node."""
        return node_of(self._charm.unit)

    @property
    def nodes(self) -> tuple[Node, ...]:
        """Every node of the cluster (this unit and its peers), by node id."""
        relation = self.relation
        peers = relation.units if relation is not None else set()
        nodes = {node_of(unit) for unit in peers} | {self.node}
        return tuple(sorted(nodes, key=lambda node: node.node_id))

    @property
    def complete(self) -> bool:
        """Whether every unit Juju plans for the application has joined the relation."""
        return len(self.nodes) >= self._charm.app.planned_units()

    @property
    def cluster_id(self) -> str | None:
        """The cluster id the leader generated, or None while there is none (or a bad one)."""
        relation = self.relation
        if relation is None:
            return None
        value = relation.data[self._charm.app].get(CLUSTER_ID_KEY)
        if value is None:
            return None
        if not is_cluster_id(value):
            logger.warning("ignoring a malformed cluster id in the peer relation")
            return None
        return value

    def ensure_cluster_id(self) -> None:
        """On the leader, generate the cluster id once and share it with the peers."""
        relation = self.relation
        if relation is None or not self._charm.unit.is_leader() or self.cluster_id:
            return
        relation.data[self._charm.app][CLUSTER_ID_KEY] = generate_cluster_id()
        logger.info("generated the Kafka cluster id")

    @property
    def formatted_before(self) -> bool:
        """Whether this unit recorded that it formatted its storage."""
        relation = self.relation
        return relation is not None and FORMATTED_KEY in relation.data[self._charm.unit]

    def record_formatted(self, cluster_id: str) -> None:
        """Record in this unit's databag that its storage holds `cluster_id`'s data."""
        relation = self.relation
        if relation is None:
            return
        databag = relation.data[self._charm.unit]
        if databag.get(FORMATTED_KEY) != cluster_id:
            databag[FORMATTED_KEY] = cluster_id
            logger.info("recorded that this node is formatted")

    def forget_formatted(self) -> None:
        """Remove this unit's record, so that its storage may be formatted again."""
        relation = self.relation
        if relation is not None:
            relation.data[self._charm.unit].pop(FORMATTED_KEY, None)
