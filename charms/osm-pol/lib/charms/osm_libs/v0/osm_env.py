# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Where an OSM module finds Kafka and MongoDB, and the environment it reads them from.

All OSM modules take their message bus, database and file storage from the same keys
(`<PREFIX>_MESSAGE_*`, `<PREFIX>_DATABASE_*`, `<PREFIX>_STORAGE_*`) under their own prefix
(`OSMNBI`, `OSMLCM`, ...); the storage keys are for modules that keep files in MongoDB's
GridFS. The values are plain strings, ready for a Pebble service's `environment`, which
`osm_service` gives: every OSM image runs its module as `appuser`. The environment holds
credentials (the MongoDB URI and the common key): it goes into the Pebble plan and nowhere
else. A module that encrypts nothing with the database common key (POL) is given none.

`BackendRelations` are the two relations every OSM module requires, `mongodb` and
`kafka` (through `charms.osm_libs.v0.data`); `read()` gives what their providers answered,
the relations as `charms.osm_libs.v0.component.relation_problems` takes them, and the
`OsmBackends` once both have answered:

    self._backends = BackendRelations(self)      # database `osm` with role admin, topic `osm`
    ...
    answers = self._backends.read()
    problems = component.relation_problems({**answers.relations, ...})
    backends = answers.backends(commonkey)        # None until both have answered
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import ops
from charms.osm_libs.v0.data import KafkaEndpoint, KafkaRequirer, MongoDBRequirer

LIBID = "0edef33e4f3b4ed887a7baebe97f9894"
LIBAPI = 0
LIBPATCH = 6

MONGODB_RELATION = "mongodb"
KAFKA_RELATION = "kafka"

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
    summary: str, command: str, working_dir: str | None, environment: dict[str, str]
) -> ops.pebble.ServiceDict:
    """The Pebble service of an OSM module: `command` in `working_dir`, as the image's user.

    With `working_dir` None the service runs where Pebble runs, which is the image's own
    working directory (`WORKDIR`): for a module whose images do not all have the same
    directory, or whose command needs none.
    """
    service: ops.pebble.ServiceDict = {
        "summary": summary,
        "command": command,
        "user": OSM_USER,
        "group": OSM_USER,
    }
    if working_dir is not None:
        service["working-dir"] = working_dir
    service["environment"] = environment
    return service


@dataclass(frozen=True)
class BackendAnswers:
    """What the `mongodb` and `kafka` providers answered; None where they have not (yet).

    The repr shows no credentials: the URI (which the relations hold too) is left out.

    Attributes:
        relations: each relation (None when absent) and its answer, by relation name, as
            `charms.osm_libs.v0.component.relation_problems` takes them.
        mongodb_uri: the MongoDB URI, credentials included.
        kafka: where the Kafka brokers listen.
    """

    relations: Mapping[str, tuple[ops.Relation | None, object | None]] = field(repr=False)
    mongodb_uri: str | None = field(repr=False)
    kafka: KafkaEndpoint | None

    def backends(self, commonkey: str | None = None) -> OsmBackends | None:
        """The module's backends (with `commonkey`), or None until both have answered."""
        if self.mongodb_uri is None or self.kafka is None:
            return None
        return OsmBackends.from_endpoints(self.mongodb_uri, self.kafka, commonkey)


class BackendRelations:
    """The `mongodb` and `kafka` relations of an OSM module.

    The requests are upstream's: database `osm` with `mongodb_roles`, topic `osm` as
    producer and consumer.
    """

    def __init__(self, charm: ops.CharmBase, mongodb_roles: str = "admin"):
        self.mongodb = MongoDBRequirer(charm, MONGODB_RELATION, extra_user_roles=mongodb_roles)
        self.kafka = KafkaRequirer(charm, KAFKA_RELATION)

    @property
    def reconcile_events(self) -> list[ops.BoundEvent]:
        """Every event after which one of the answers may have appeared, changed or gone."""
        return [*self.mongodb.reconcile_events, *self.kafka.reconcile_events]

    def read(self) -> BackendAnswers:
        """Both providers' answers, as they are now."""
        uri, kafka = self.mongodb.uri(), self.kafka.endpoint()
        relations = {
            MONGODB_RELATION: (self.mongodb.relation, uri),
            KAFKA_RELATION: (self.kafka.relation, kafka),
        }
        return BackendAnswers(relations=relations, mongodb_uri=uri, kafka=kafka)
