# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures and state builders for the osm-ro unit tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import ops
import pytest
import workload
from charm import OsmRoCharm
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.testing import kafka_relation, mongodb_relation
from literals import CONTAINER, READY_CHECK, SERVICE
from ops import testing

MONGODB_URI = "mongodb://relation-3:mongo-pass@mongodb-0.mongodb-endpoints:27017/osm"
KAFKA_BOOTSTRAP = "kafka-0.kafka-endpoints:9092"
COMMONKEY = "s3cr3t-common-key"


@pytest.fixture
def ctx() -> testing.Context[OsmRoCharm]:
    return testing.Context(OsmRoCharm, app_name="ro")


def running_container(**changes: object) -> testing.Container:
    """The `ro` container with the charm's layer planned and the service active."""
    settings = workload.RoSettings(
        backends=OsmBackends("kafka-0.kafka-endpoints", 9092, MONGODB_URI, "osm"),
        log_level="INFO",
        period_refresh_active=60,
    )
    container = testing.Container(
        CONTAINER,
        can_connect=True,
        layers={CONTAINER: ops.pebble.Layer(workload.layer(settings))},
        service_statuses={SERVICE: ops.pebble.ServiceStatus.ACTIVE},
        check_infos={ready_check(ops.pebble.CheckStatus.UP)},
    )
    return dataclasses.replace(container, **changes)


def ready_check(status: ops.pebble.CheckStatus) -> testing.CheckInfo:
    """The readiness check's info with `status`."""
    return testing.CheckInfo(READY_CHECK, level=ops.pebble.CheckLevel.READY, status=status)


def ready_state(
    *extra: testing.RelationBase,
    container: testing.Container | None = None,
    mongodb_uri: str = MONGODB_URI,
    secrets: Iterable[testing.Secret] = (),
    **changes: object,
) -> testing.State:
    """A state with both mandatory relations answered and a connectable container."""
    mongodb, mongodb_secret = mongodb_relation(uri=mongodb_uri)
    kafka, kafka_secret = kafka_relation(bootstrap=KAFKA_BOOTSTRAP)
    relation_secrets = [secret for secret in (mongodb_secret, kafka_secret) if secret]
    state = testing.State(
        containers={container or testing.Container(CONTAINER, can_connect=True)},
        relations={mongodb, kafka, *extra},
        secrets={*relation_secrets, *secrets},
    )
    return dataclasses.replace(state, **changes)


def environment(state: testing.State) -> dict[str, str]:
    """The environment of the planned RO service."""
    plan = state.get_container(CONTAINER).plan
    return dict(plan.services[SERVICE].environment)
