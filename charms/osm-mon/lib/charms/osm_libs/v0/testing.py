# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""ops.testing builders for the `mongodb_client` and `kafka_client` relations (tests only).

Each builder returns the relation as a requirer charm sees it and the provider's
`secret-user` secret (None while the provider has not answered). The answer has the
shape that `dpcharmlibs-interfaces` providers write (protocol v1), so the real
`charms.osm_libs.v0.data` requirer reads it and emits `resource_created` on
relation-changed:

    relation, secret = mongodb_relation()
    state = testing.State(relations={relation}, secrets={secret}, leader=True)
    ctx.run(ctx.on.relation_changed(relation), state)

Put the secret in the State whenever it is not None.
"""

from __future__ import annotations

import dataclasses
import json

from ops import testing

LIBID = "fdcbb5a011ab4df4b10bcd4911efe084"
LIBAPI = 0
LIBPATCH = 1

MONGODB_URI = (
    "mongodb://relation-1:test-password@mongodb-0.mongodb-endpoints:27017/osm"
    "?replicaSet=mongodb&authSource=admin"
)
KAFKA_BOOTSTRAP = "kafka-0.kafka-endpoints:9092"
USERNAME = "relation-1"
PASSWORD = "test-password"  # a test fixture, not a credential
_SALT = "0123456789abcdef"


def mongodb_relation(
    endpoint: str = "mongodb",
    uri: str = MONGODB_URI,
    ready: bool = True,
    *,
    database: str = "osm",
    remote_app_name: str = "mongodb",
) -> tuple[testing.Relation, testing.Secret | None]:
    """A `mongodb_client` relation; `ready` means the provider has created `database`."""
    host = uri.split("@", 1)[-1].split("/", 1)[0]
    return _relation(
        endpoint,
        "mongodb_client",
        remote_app_name,
        database,
        endpoints=host if ready else None,
        credentials={"username": USERNAME, "password": PASSWORD, "uris": uri},
    )


def kafka_relation(
    endpoint: str = "kafka",
    bootstrap: str = KAFKA_BOOTSTRAP,
    ready: bool = True,
    *,
    topic: str = "osm",
    remote_app_name: str = "kafka",
) -> tuple[testing.Relation, testing.Secret | None]:
    """A `kafka_client` relation; `ready` means the provider has published `bootstrap`."""
    return _relation(
        endpoint,
        "kafka_client",
        remote_app_name,
        topic,
        endpoints=bootstrap if ready else None,
        credentials={"username": USERNAME, "password": PASSWORD},
    )


def _relation(
    endpoint: str,
    interface: str,
    remote_app_name: str,
    resource: str,
    endpoints: str | None,
    credentials: dict[str, str],
) -> tuple[testing.Relation, testing.Secret | None]:
    """The relation with the provider's v1 answer for `resource` (None: no answer yet)."""
    relation = testing.Relation(endpoint, interface, remote_app_name=remote_app_name)
    if endpoints is None:
        return relation, None
    request_id = f"{resource}-request"
    request = {"resource": resource, "request-id": request_id, "salt": _SALT}
    # The consumer-side label the library gives the secret once it has seen it.
    secret = testing.Secret(
        tracked_content=credentials, label=f"{endpoint}.{relation.id}.{request_id}.user.secret"
    )
    answer = {**request, "endpoints": endpoints, "secret-user": secret.id}
    remote_app_data = {
        "version": "v1",
        "data": json.dumps({request_id: request}),
        "requests": json.dumps([answer]),
    }
    return dataclasses.replace(relation, remote_app_data=remote_app_data), secret
