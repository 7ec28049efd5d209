# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Builders of the states the osm-pol tests start from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from literals import CONTAINER, MYSQL_RELATION, SERVICE, STORAGE
from ops import testing
from osm_charm_testing import data_state, service_environment

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
    storage: bool = True,
    config: Mapping[str, str] | None = None,
    **fields: Any,
) -> testing.State:
    """A `data_state` with `extra` relations, `config` and the `database` storage.

    The data relations are answered and the storage attached unless told otherwise.
    """
    storages = {testing.Storage(STORAGE)} if storage else set()
    return data_state(
        *extra, containers={container}, storages=storages, config=dict(config or {}), **fields
    )


def pol_environment(state: testing.State) -> dict[str, str]:
    """The environment of the pol service in the state's plan."""
    return service_environment(state, CONTAINER, SERVICE)
