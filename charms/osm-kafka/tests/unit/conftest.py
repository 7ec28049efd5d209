# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures: the charm's Context, and States of a node that is formatted, new or lost.

The container is the workload stand-in's (`workload_standins.Workload`, which the simulator
uses too): a temporary directory mounted where Juju mounts the `data` storage
(`/var/lib/kafka`), so that a test can put a `meta.properties` on "the storage" and see what
the charm writes there, and `kafka-storage.sh format` answering success.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import workload_standins as standins
from charm import KafkaCharm
from literals import CLUSTER_ID_KEY, CONTAINER, PEER_RELATION
from ops import testing

APP = "kafka"
CLUSTER_ID = "3udYLEUbS3SkU0Of9TN_jQ"
OTHER_CLUSTER_ID = "Qb1mOmCbRAOBu8DWW2C4aA"
STORAGE_LOCATION = "/var/lib/kafka"
DATA_DIR = "kraft-combined-logs"  # under the storage
LEGACY_DATA_DIR = "data"  # under the storage: the image volume earlier revisions used
FORMATTED_KEY = "formatted-cluster-id"
KAFKA_STORAGE = "/opt/kafka/bin/kafka-storage.sh"


def write_meta(storage: Path, node_id: int, cluster_id: str = CLUSTER_ID, where: str = DATA_DIR):
    """Put on the storage the `meta.properties` that `kafka-storage.sh format` writes."""
    standins.write_meta(storage, node_id, cluster_id, where=f"{STORAGE_LOCATION}/{where}")


def node_state(
    container: testing.Container, peers: testing.PeerRelation | None, **fields
) -> testing.State:
    """A State of a unit whose storage is attached."""
    relations = {peers} if peers is not None else set()
    return testing.State(
        containers={container}, relations=relations, storages={testing.Storage("data")}, **fields
    )


def formatted_peers(**fields) -> testing.PeerRelation:
    """The peer relation, where this unit recorded that it formatted its storage."""
    return testing.PeerRelation(
        PEER_RELATION,
        local_app_data={CLUSTER_ID_KEY: CLUSTER_ID},
        local_unit_data={FORMATTED_KEY: CLUSTER_ID},
        **fields,
    )


@pytest.fixture
def ctx() -> testing.Context[KafkaCharm]:
    """The charm as unit kafka/0."""
    return testing.Context(KafkaCharm, app_name=APP, unit_id=0)


@pytest.fixture
def storage(tmp_path: Path) -> Path:
    """What the unit's `data` storage holds (empty: a new volume)."""
    path = tmp_path / "storage"
    path.mkdir()
    return path


@pytest.fixture
def container(storage: Path) -> testing.Container:
    """The workload container, with Pebble up, the storage mounted, nothing planned yet."""
    return standins.Workload({0: storage}).prepare(
        0, testing.Container(CONTAINER, can_connect=True)
    )


@pytest.fixture
def peers() -> testing.PeerRelation:
    """The peer relation of a one-unit application whose leader set the cluster id."""
    return testing.PeerRelation(PEER_RELATION, local_app_data={CLUSTER_ID_KEY: CLUSTER_ID})


@pytest.fixture
def new_state(container: testing.Container, peers: testing.PeerRelation) -> testing.State:
    """The leader of a one-unit application on a new volume: never formatted."""
    return node_state(container, peers, leader=True)


@pytest.fixture
def state(new_state: testing.State, storage: Path) -> testing.State:
    """The leader of a one-unit application, formatted before: ready to run Kafka."""
    write_meta(storage, node_id=0)
    return dataclasses.replace(new_state, relations={formatted_peers()})


@pytest.fixture
def lost_state(new_state: testing.State) -> testing.State:
    """The leader of a one-unit application formatted before, whose storage is now empty."""
    return dataclasses.replace(new_state, relations={formatted_peers()})
