# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The environment every OSM module reads, under its own prefix (`OSMNBI`, `OSMLCM`, ...).

And the Pebble service it runs in: every OSM image runs its module as `appuser`.

All OSM modules take their message bus, database and file storage from the same keys
(`<PREFIX>_MESSAGE_*`, `<PREFIX>_DATABASE_*`, `<PREFIX>_STORAGE_*`); the storage keys are
for modules that keep files in MongoDB's GridFS. The values are plain strings, ready for a
Pebble service's `environment`. The result holds credentials (the MongoDB URI and the
common key): it goes into the Pebble plan and nowhere else. A module that encrypts
nothing with the database common key (POL) is given none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charms.osm_libs.v0.data import KafkaEndpoint
    from ops.pebble import ServiceDict

LIBID = "0edef33e4f3b4ed887a7baebe97f9894"
LIBAPI = 0
LIBPATCH = 4

MESSAGE_DRIVER = "kafka"
DATABASE_DRIVER = "mongo"
STORAGE_DRIVER = "mongo"
STORAGE_PATH = "/app/storage"
STORAGE_COLLECTION = "files"
OSM_USER = "appuser"


@dataclass(frozen=True)
class OsmBackends:
    """Where an OSM module finds Kafka and MongoDB, and the database common key (if any)."""

    kafka_host: str
    kafka_port: int
    mongodb_uri: str = field(repr=False)
    commonkey: str | None = field(default=None, repr=False)

    @classmethod
    def from_endpoints(
        cls, mongodb_uri: str, kafka: KafkaEndpoint, commonkey: str | None = None
    ) -> OsmBackends:
        """The backends the data relations answered with (`charms.osm_libs.v0.data`)."""
        return cls(
            kafka_host=kafka.host,
            kafka_port=kafka.port,
            mongodb_uri=mongodb_uri,
            commonkey=commonkey,
        )


def osm_environment(prefix: str, backends: OsmBackends, storage: bool = True) -> dict[str, str]:
    """The message, database and (with `storage`) storage variables for module `prefix`.

    `<prefix>_DATABASE_COMMONKEY` is set only when `backends` has a common key.
    """
    environment = {
        f"{prefix}_MESSAGE_DRIVER": MESSAGE_DRIVER,
        f"{prefix}_MESSAGE_HOST": backends.kafka_host,
        f"{prefix}_MESSAGE_PORT": str(backends.kafka_port),
        f"{prefix}_DATABASE_DRIVER": DATABASE_DRIVER,
        f"{prefix}_DATABASE_URI": backends.mongodb_uri,
    }
    if backends.commonkey is not None:
        environment[f"{prefix}_DATABASE_COMMONKEY"] = backends.commonkey
    if storage:
        environment.update(
            {
                f"{prefix}_STORAGE_DRIVER": STORAGE_DRIVER,
                f"{prefix}_STORAGE_PATH": STORAGE_PATH,
                f"{prefix}_STORAGE_COLLECTION": STORAGE_COLLECTION,
                f"{prefix}_STORAGE_URI": backends.mongodb_uri,
            }
        )
    return environment


def osm_service(
    summary: str, command: str, working_dir: str, environment: dict[str, str]
) -> ServiceDict:
    """The Pebble service of an OSM module: `command` in `working_dir`, as the image's user."""
    return {
        "summary": summary,
        "command": command,
        "user": OSM_USER,
        "group": OSM_USER,
        "working-dir": working_dir,
        "environment": environment,
    }
