# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures: the charm's Context and a State in which a one-unit cluster can start."""

from __future__ import annotations

import pytest
from charm import KafkaCharm
from literals import CLUSTER_ID_KEY, CONTAINER, PEER_RELATION
from ops import testing

APP = "kafka"
CLUSTER_ID = "3udYLEUbS3SkU0Of9TN_jQ"


@pytest.fixture
def ctx() -> testing.Context[KafkaCharm]:
    """The charm as unit kafka/0."""
    return testing.Context(KafkaCharm, app_name=APP, unit_id=0)


@pytest.fixture
def container() -> testing.Container:
    """The workload container, with Pebble up and nothing planned yet."""
    return testing.Container(CONTAINER, can_connect=True)


@pytest.fixture
def peers() -> testing.PeerRelation:
    """The peer relation of a one-unit application whose leader set the cluster id."""
    return testing.PeerRelation(PEER_RELATION, local_app_data={CLUSTER_ID_KEY: CLUSTER_ID})


@pytest.fixture
def state(container: testing.Container, peers: testing.PeerRelation) -> testing.State:
    """A leader unit of a one-unit application, ready to configure Kafka."""
    return testing.State(
        leader=True,
        containers={container},
        relations={peers},
        storages={testing.Storage("data")},
    )
