# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures and state builders for the osm-ro unit tests."""

from __future__ import annotations

from typing import Any

import pytest
import workload
import yaml
from charm import OsmRoCharm
from charms.osm_libs.v0.osm_env import OsmBackends
from literals import CONTAINER, SERVICE
from ops import testing
from osm_charm_testing import (
    MONGODB_URI,
    data_state,
    planned_container,
    service_environment,
)

COMMONKEY = "s3cr3t-common-key"


@pytest.fixture
def ctx() -> testing.Context[OsmRoCharm]:
    return testing.Context(OsmRoCharm, app_name="ro")


def running_container(running: bool = True, ready: bool = True) -> testing.Container:
    """The `ro` container with the charm's layer planned, the service running, RO ready."""
    settings = workload.RoSettings(
        backends=OsmBackends("kafka-0.kafka-endpoints", 9092, MONGODB_URI, "osm"),
        log_level="INFO",
        period_refresh_active=60,
    )
    container = testing.Container(CONTAINER, can_connect=True)
    return planned_container(container, workload.layer(settings), running=running, ready=ready)


def ready_state(
    *extra: testing.RelationBase,
    container: testing.Container | None = None,
    **fields: Any,
) -> testing.State:
    """A state with the both mandatory relations answered and a connectable container."""
    containers = {container or testing.Container(CONTAINER, can_connect=True)}
    return data_state(*extra, containers=containers, **fields)


def environment(state: testing.State) -> dict[str, object]:
    """The environment of the planned RO service, each value as RO reads it (YAML)."""
    planned = service_environment(state, CONTAINER, SERVICE)
    return {name: yaml.safe_load(value) for name, value in planned.items()}
