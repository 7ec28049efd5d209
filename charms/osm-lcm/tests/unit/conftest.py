# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures and state builders for the osm-lcm unit tests."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

import ops
import pytest
import workload
from charm import OsmLcmCharm
from charms.osm_libs.v0.endpoint import Endpoint
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.testing import kafka_relation, mongodb_relation
from literals import CONTAINER, READY_CHECK, SERVICE
from ops import testing

MONGODB_URI = "mongodb://relation-3:mongo-pass@mongodb-0.mongodb-endpoints:27017/osm"
VCA_PASSWORD = "vca-pass-from-relation"
VCA_CACERT = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"
VCA_DATA = {
    "endpoints": "10.0.0.10:17070",
    "user": "admin",
    "secret": VCA_PASSWORD,
    "public-key": "ssh-rsa AAAA juju-client-key",
    "cacert": VCA_CACERT,
    "lxd-cloud": "lxd-cloud",
    "k8s-cloud": "microk8s",
    "model-configs": json.dumps({"apt-http-proxy": "http://proxy:3128", "test-mode": True}),
}


@pytest.fixture
def ctx() -> testing.Context[OsmLcmCharm]:
    return testing.Context(OsmLcmCharm, app_name="lcm")


def ro_relation(ready: bool = True) -> testing.Relation:
    """The `ro` relation, with RO's endpoint published when `ready`."""
    data = {"host": "ro", "port": "9090"} if ready else {}
    return testing.Relation("ro", interface="ro", remote_app_name="ro", remote_app_data=data)


def vca_relation(data: dict[str, str] | None = None) -> testing.Relation:
    """The `vca` relation with the integrator's application data."""
    return testing.Relation(
        "vca",
        interface="osm-vca",
        remote_app_name="vca",
        remote_app_data=VCA_DATA if data is None else data,
    )


def running_container(**changes: object) -> testing.Container:
    """The `lcm` container with the charm's layer planned and the service active."""
    settings = workload.LcmSettings(
        backends=OsmBackends("kafka-0.kafka-endpoints", 9092, MONGODB_URI, "osm"),
        log_level="INFO",
        ro=Endpoint("ro", 9090),
        helm_stable_repo_url="https://charts.helm.sh/stable",
        helm_ca_certs="",
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
    secrets: Iterable[testing.Secret] = (),
    **changes: object,
) -> testing.State:
    """A state with the three mandatory relations answered and a connectable container."""
    mongodb, mongodb_secret = mongodb_relation(uri=MONGODB_URI)
    kafka, kafka_secret = kafka_relation()
    relation_secrets = [secret for secret in (mongodb_secret, kafka_secret) if secret]
    state = testing.State(
        containers={container or testing.Container(CONTAINER, can_connect=True)},
        relations={mongodb, kafka, ro_relation(), *extra},
        secrets={*relation_secrets, *secrets},
    )
    return dataclasses.replace(state, **changes)


def environment(state: testing.State) -> dict[str, str]:
    """The environment of the planned LCM service."""
    plan = state.get_container(CONTAINER).plan
    return dict(plan.services[SERVICE].environment)
