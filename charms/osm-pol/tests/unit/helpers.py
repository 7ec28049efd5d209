# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Builders of the states the osm-pol tests start from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from charms.osm_libs.v0.testing import kafka_relation, mongodb_relation
from literals import CONTAINER, MYSQL_RELATION, SERVICE, STORAGE
from ops import testing

MYSQL_ROOT_PASSWORD = "r00t-pass"  # a test fixture, not a credential
MYSQL_UNIT_DATA = {
    "host": "mariadb-k8s",
    "port": "3306",
    "user": "mysql",
    "password": "user-pass",
    "root_password": MYSQL_ROOT_PASSWORD,
    "database": "database",
}
RelationPair = tuple[testing.Relation, testing.Secret | None]


def backends(mongodb_ready: bool = True, kafka_ready: bool = True) -> list[RelationPair]:
    """The mongodb and kafka relations, answered by their providers or not yet."""
    return [mongodb_relation(ready=mongodb_ready), kafka_relation(ready=kafka_ready)]


def mysql_relation(unit_data: Mapping[str, str] = MYSQL_UNIT_DATA) -> RelationPair:
    """A mysql relation whose mariadb unit has published upstream's keys."""
    relation = testing.Relation(
        MYSQL_RELATION,
        "mysql",
        remote_app_name="mariadb",
        remote_units_data={0: dict(unit_data)},
    )
    return relation, None


def mysql_uri_secret(uri: str) -> testing.Secret:
    """The user secret a `mysql-uri` option points to."""
    return testing.Secret(tracked_content={"uri": uri})


def pol_state(
    container: testing.Container,
    relations: Iterable[RelationPair] = (),
    *,
    storage: bool = True,
    config: Mapping[str, str] | None = None,
    secrets: Iterable[testing.Secret] = (),
    leader: bool = True,
) -> testing.State:
    """A state with `relations` (and their provider secrets), storage and config."""
    pairs = list(relations)
    return testing.State(
        containers={container},
        relations={relation for relation, _ in pairs},
        secrets={secret for _, secret in pairs if secret} | set(secrets),
        storages={testing.Storage(STORAGE)} if storage else set(),
        config=dict(config or {}),
        leader=leader,
    )


def pol_environment(state: testing.State) -> dict[str, str]:
    """The environment of the pol service in the state's plan."""
    return dict(state.get_container(CONTAINER).plan.services[SERVICE].environment)
