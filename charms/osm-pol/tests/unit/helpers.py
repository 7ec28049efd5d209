# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Builders of the states the osm-pol tests start from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from charms.osm_libs.v0.testing import data_relations, service_environment
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


def mysql_relation(unit_data: Mapping[str, str] = MYSQL_UNIT_DATA) -> testing.Relation:
    """A mysql relation whose mariadb unit has published upstream's keys."""
    return testing.Relation(
        MYSQL_RELATION,
        "mysql",
        remote_app_name="mariadb",
        remote_units_data={0: dict(unit_data)},
    )


def mysql_uri_secret(uri: str) -> testing.Secret:
    """The user secret a `mysql-uri` option points to."""
    return testing.Secret(tracked_content={"uri": uri})


def pol_state(
    container: testing.Container,
    *extra: testing.Relation,
    mongodb: bool | None = True,
    kafka: bool | None = True,
    storage: bool = True,
    config: Mapping[str, str] | None = None,
    secrets: Iterable[testing.Secret] = (),
    leader: bool = True,
) -> testing.State:
    """A state with the data relations (answered unless told otherwise), storage and config.

    `mongodb`/`kafka`: True (answered), False (related, no answer yet) or None (absent).
    """
    relations, relation_secrets = data_relations(mongodb, kafka)
    return testing.State(
        containers={container},
        relations={*relations, *extra},
        secrets={*relation_secrets, *secrets},
        storages={testing.Storage(STORAGE)} if storage else set(),
        config=dict(config or {}),
        leader=leader,
    )


def pol_environment(state: testing.State) -> dict[str, str]:
    """The environment of the pol service in the state's plan."""
    return service_environment(state, CONTAINER, SERVICE)
