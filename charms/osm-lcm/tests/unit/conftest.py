# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures and state builders for the osm-lcm unit tests."""

from __future__ import annotations

from typing import Any

import pytest
import workload
from charm import OsmLcmCharm
from charms.osm_libs.v0.endpoint import Endpoint
from charms.osm_libs.v0.osm_env import OsmBackends
from literals import CONTAINER, SERVICE
from ops import testing
from osm_charm_testing import (
    MONGODB_URI,
    data_state,
    planned_container,
    service_environment,
)


@pytest.fixture
def ctx() -> testing.Context[OsmLcmCharm]:
    return testing.Context(OsmLcmCharm, app_name="lcm")


def ro_relation(ready: bool = True) -> testing.Relation:
    """The `ro` relation, with RO's endpoint published when `ready`."""
    data = {"host": "ro", "port": "9090"} if ready else {}
    return testing.Relation("ro", interface="ro", remote_app_name="ro", remote_app_data=data)


def running_container(running: bool = True, ready: bool = True) -> testing.Container:
    """The `lcm` container with the charm's layer planned, the service running, LCM ready."""
    settings = workload.LcmSettings(
        backends=OsmBackends("kafka-0.kafka-endpoints", 9092, MONGODB_URI, "osm"),
        log_level="INFO",
        ro=Endpoint("ro", 9090),
        helm_stable_repo_url="https://charts.helm.sh/stable",
        helm_ca_certs="",
    )
    container = testing.Container(CONTAINER, can_connect=True)
    return planned_container(container, workload.layer(settings), running=running, ready=ready)


def ready_state(
    *extra: testing.RelationBase,
    container: testing.Container | None = None,
    **fields: Any,
) -> testing.State:
    """A state with the three mandatory relations answered and a connectable container."""
    containers = {container or testing.Container(CONTAINER, can_connect=True)}
    return data_state(ro_relation(), *extra, containers=containers, **fields)


def environment(state: testing.State) -> dict[str, str]:
    """The environment of the planned LCM service."""
    return service_environment(state, CONTAINER, SERVICE)
