# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures: the charm's Context and States with its relations in any combination."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from charm import OsmMonCharm
from charms.osm_libs.v0.osm_env import OsmBackends
from config import CharmConfig
from literals import CONTAINER
from ops import testing
from osm_charm_testing import data_state, planned_container
from workload import MonSettings, layer

StateFactory = Callable[..., testing.State]

FQDN = "mon-0.mon-endpoints.osm.svc.cluster.local"


@pytest.fixture(autouse=True)
def fqdn(monkeypatch: pytest.MonkeyPatch) -> str:
    """The pod's DNS name, as Kubernetes gives a StatefulSet pod."""
    monkeypatch.setattr(socket, "getfqdn", lambda: FQDN)
    return FQDN


@pytest.fixture
def ctx() -> testing.Context[OsmMonCharm]:
    """The charm's context, metadata read from charmcraft.yaml."""
    return testing.Context(OsmMonCharm)


def prometheus_relation(ready: bool = True) -> testing.Relation:
    """The `prometheus` relation; `ready`: the provider has published hostname and port."""
    data = {"hostname": "prometheus", "port": "9090"} if ready else {}
    return testing.Relation("prometheus", remote_app_name="prometheus", remote_app_data=data)


def user_secret(**content: str) -> testing.Secret:
    """A user secret granted to the application, as a `type: secret` option names it."""
    return testing.Secret(tracked_content=content)


@pytest.fixture
def make_state() -> StateFactory:
    """Builder of States (`data_state`): mongodb, kafka, prometheus answered unless told otherwise.

    `mongodb`/`kafka`/`prometheus`: True (answered), False (related, no answer yet) or
    None (absent).
    """

    def make(
        *,
        prometheus: bool | None = True,
        relations: Iterable[testing.RelationBase] = (),
        can_connect: bool = True,
        leader: bool = True,
        **state: Any,
    ) -> testing.State:
        if prometheus is not None:
            relations = [*relations, prometheus_relation(ready=prometheus)]
        state.setdefault("containers", {testing.Container(CONTAINER, can_connect=can_connect)})
        return data_state(*relations, leader=leader, **state)

    return make


def running_container(ready: bool = True, running: bool = True) -> testing.Container:
    """The container after a reconcile: MON planned, running or not, its check up or down."""
    backends = OsmBackends(kafka_host="kafka", kafka_port=9092, mongodb_uri="x", commonkey="osm")
    settings = MonSettings(config=CharmConfig(), backends=backends, prometheus_url="http://p")
    container = testing.Container(CONTAINER, can_connect=True)
    return planned_container(container, layer(settings), running=running, ready=ready)
