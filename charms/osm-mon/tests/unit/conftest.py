# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures: the charm's Context and States with its relations in any combination."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable
from typing import Any

import ops
import pytest
from charm import OsmMonCharm
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.testing import kafka_relation, mongodb_relation
from config import CharmConfig
from literals import CONTAINER
from ops import testing
from workload import ALIVE_CHECK, READY_CHECK, MonSettings, layer

StateFactory = Callable[..., testing.State]

FQDN = "mon-0.mon-endpoints.osm.svc.cluster.local"
KEYSTONE_DATA = {
    "host": "http://keystone:5000/v3",
    "port": "5000",
    "user_domain_name": "default",
    "project_domain_name": "default",
    "username": "mon",
    "password": "keystone-pass",
    "service": "service",
    "keystone_db_password": "db-pass",
    "region_id": "RegionOne",
    "admin_username": "admin",
    "admin_password": "admin-pass",
    "admin_project_name": "admin",
}
VCA_DATA = {
    "endpoints": "10.0.0.1:17070",
    "user": "admin",
    "secret": "vca-secret",
    "public-key": "ssh-rsa AAAA",
    "cacert": "LS0tCERT",
    "lxd-cloud": "localhost",
    "lxd-credentials": "localhost",
}


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


def keystone_relation(complete: bool = True) -> testing.Relation:
    data = KEYSTONE_DATA if complete else {"host": KEYSTONE_DATA["host"]}
    return testing.Relation("keystone", remote_app_name="keystone", remote_app_data=data)


def vca_relation(complete: bool = True) -> testing.Relation:
    data = VCA_DATA if complete else {"endpoints": VCA_DATA["endpoints"]}
    return testing.Relation("vca", remote_app_name="vca", remote_app_data=data)


def user_secret(**content: str) -> testing.Secret:
    """A user secret granted to the application, as a `type: secret` option names it."""
    return testing.Secret(tracked_content=content)


@pytest.fixture
def make_state() -> StateFactory:
    """Builder of States: mongodb, kafka and prometheus answered unless told otherwise.

    `mongodb`/`kafka`/`prometheus`: True (answered), False (related, no answer yet) or
    None (absent).
    """

    def make(
        *,
        mongodb: bool | None = True,
        kafka: bool | None = True,
        prometheus: bool | None = True,
        relations: Iterable[testing.RelationBase] = (),
        secrets: Iterable[testing.Secret] = (),
        can_connect: bool = True,
        leader: bool = True,
        **state: Any,
    ) -> testing.State:
        all_relations = list(relations)
        all_secrets = list(secrets)
        for ready, builder in ((mongodb, mongodb_relation), (kafka, kafka_relation)):
            if ready is None:
                continue
            relation, secret = builder(ready=ready)
            all_relations.append(relation)
            all_secrets.extend([secret] if secret else [])
        if prometheus is not None:
            all_relations.append(prometheus_relation(ready=prometheus))
        state.setdefault("containers", {testing.Container(CONTAINER, can_connect=can_connect)})
        return testing.State(relations=all_relations, secrets=all_secrets, leader=leader, **state)

    return make


def planned_container(ready: bool = True, running: bool = True) -> testing.Container:
    """The container after a reconcile: MON planned, running or not, its check up or down."""
    backends = OsmBackends(kafka_host="kafka", kafka_port=9092, mongodb_uri="x", commonkey="osm")
    settings = MonSettings(config=CharmConfig(), backends=backends, prometheus_url="http://p")
    service_status = (
        ops.pebble.ServiceStatus.ACTIVE if running else ops.pebble.ServiceStatus.INACTIVE
    )
    check_status = ops.pebble.CheckStatus.UP if ready else ops.pebble.CheckStatus.DOWN
    return testing.Container(
        CONTAINER,
        can_connect=True,
        layers={"mon": ops.pebble.Layer(layer(settings))},
        service_statuses={"mon": service_status},
        check_infos={
            testing.CheckInfo(
                READY_CHECK, level=ops.pebble.CheckLevel.READY, status=check_status, threshold=3
            ),
            testing.CheckInfo(ALIVE_CHECK, level=ops.pebble.CheckLevel.ALIVE, threshold=6),
        },
    )
