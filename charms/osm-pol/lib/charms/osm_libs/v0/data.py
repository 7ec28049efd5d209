# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Requirer side of the data-platform `mongodb_client` and `kafka_client` interfaces.

Both classes wrap `dpcharmlibs.interfaces.ResourceRequirerEventHandler` (data-platform
protocol v1), so that an OSM charm relates to `osm-mongodb` / `osm-kafka` and to
Canonical's `mongodb-k8s` / `kafka-k8s` alike:

- on relation-created the leader writes one request (`resource`: database or topic,
  `extra-user-roles`) in the application databag;
- the provider answers in its application databag (`requests`: `endpoints`,
  `secret-user`), with the credentials and `uris` in the `secret-user` Juju secret;
- the library then emits `resource_created`, `endpoints_changed` or
  `authentication_updated`;
- a rotation (the provider's new revision of `secret-user`, a new password and URI)
  reaches the requirer as `secret-changed`. The library emits `authentication_updated`
  only when the secret carries the label it gives the secret on first reading; the
  plain `secret_changed` is among `reconcile_events` too, so that a unit follows a new
  revision whatever the label, and `uri()` always reads (and tracks) the latest one.

The charm observes every event of `reconcile_events` with its one reconcile method and
reads `uri()` / `endpoint()` there; both return None until the provider has answered
(or when its answer is malformed), never raise.

    self.mongodb = MongoDBRequirer(self)
    for event in self.mongodb.reconcile_events:
        framework.observe(event, self._reconcile)

`interfaces` is `dpcharmlibs.interfaces` itself, imported without the warnings pydantic
raises about the library's models: the providers (osm-mongodb, osm-kafka) use it from
here, so that no hook logs those warnings.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import ops
from pydantic.warnings import UnsupportedFieldAttributeWarning

# dpcharmlibs-interfaces declares `Field(default=...)` inside type aliases, which pydantic
# reports at import; the warnings are about the library's own models, not ours.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UnsupportedFieldAttributeWarning)
    from dpcharmlibs import interfaces

LIBID = "8c0b91fc9c04484b8b0b05d42c304822"
LIBAPI = 0
LIBPATCH = 5

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KafkaEndpoint:
    """Where the Kafka brokers listen: the first broker and the full bootstrap list."""

    host: str
    port: int
    bootstrap: str


class _TolerantRequirerHandler(interfaces.ResourceRequirerEventHandler):
    """The library's requirer handler, logging instead of failing on a malformed answer.

    The library validates the provider's databag in its relation-changed and
    secret-changed observers and raises on bad data; a charm must not fail a hook for
    that, so the answer is ignored (and `uri()`/`endpoint()` read None) instead.
    """

    def _on_relation_changed_event(self, event: ops.RelationChangedEvent) -> None:
        try:
            super()._on_relation_changed_event(event)
        except (ValueError, ops.ModelError) as error:
            _log_unreadable(event.relation, error)

    def _on_secret_changed_event(self, event: ops.SecretChangedEvent) -> None:
        try:
            super()._on_secret_changed_event(event)
        except (ValueError, ops.ModelError) as error:
            logger.warning("ignoring unreadable secret change (%s)", type(error).__name__)


def _log_unreadable(relation: ops.Relation, error: Exception) -> None:
    """Log an unreadable answer without its content (it may quote relation data)."""
    logger.warning(
        "ignoring unreadable answer on relation %s:%d (%s)",
        relation.name,
        relation.id,
        type(error).__name__,
    )


class _DataRequirer(ops.Object):
    """One data-platform request on one relation endpoint, and its answer."""

    def __init__(
        self,
        charm: ops.CharmBase,
        relation_name: str,
        request: interfaces.RequirerCommonModel,
        response_model: type[interfaces.ResourceProviderModel],
    ):
        super().__init__(charm, relation_name)
        self._charm = charm
        self._relation_name = relation_name
        self._resource = request.resource
        self._handler = _TolerantRequirerHandler(charm, relation_name, [request], response_model)

    @property
    def relation(self) -> ops.Relation | None:
        """The relation, if one exists: the oldest one, should `limit: 1` be missing."""
        relations = self._charm.model.relations[self._relation_name]
        return min(relations, key=lambda relation: relation.id, default=None)

    @property
    def reconcile_events(self) -> list[ops.BoundEvent]:
        """Every event after which the answer may have appeared, changed or gone."""
        relation_events = self._charm.on[self._relation_name]
        library_events = self._handler.on
        return [
            relation_events.relation_created,
            relation_events.relation_changed,  # a provider may withdraw its answer
            relation_events.relation_broken,
            # A new revision of the answer's secret (a rotated password): the library's
            # authentication_updated needs the secret's consumer label, which a unit has
            # only once it read the secret with it; reconciling reads the latest revision.
            self._charm.on.secret_changed,
            library_events.resource_created,
            library_events.endpoints_changed,
            library_events.authentication_updated,
        ]

    def _response(self) -> interfaces.ResourceProviderModel | None:
        """The provider's answer to our request, with its secret fields filled in."""
        relation = self.relation
        if relation is None or relation.app is None:
            return None
        try:
            contract = self._handler.interface.build_model(relation.id, component=relation.app)
        except (ValueError, ops.ModelError) as error:
            # ValueError covers pydantic's ValidationError and JSON errors; ModelError a
            # secret that is not (yet) granted.
            _log_unreadable(relation, error)
            return None
        for response in contract.requests:
            if response.resource == self._resource:
                return response
        return None


class MongoDBRequirer(_DataRequirer):
    """Requests a MongoDB database and a user with `extra_user_roles` on it."""

    def __init__(
        self,
        charm: ops.CharmBase,
        relation_name: str = "mongodb",
        database: str = "osm",
        extra_user_roles: str = "admin",
    ):
        request = interfaces.RequirerCommonModel(
            resource=database, extra_user_roles=extra_user_roles
        )
        super().__init__(charm, relation_name, request, interfaces.ResourceProviderModel)

    def uri(self) -> str | None:
        """The MongoDB URI, credentials included; None until the provider has answered."""
        response = self._response()
        if response is None or not response.uris:
            return None
        return response.uris


class KafkaRequirer(_DataRequirer):
    """Requests access to a Kafka topic with `extra_user_roles`."""

    def __init__(
        self,
        charm: ops.CharmBase,
        relation_name: str = "kafka",
        topic: str = "osm",
        extra_user_roles: str = "producer,consumer",
    ):
        request = interfaces.KafkaRequestModel(resource=topic, extra_user_roles=extra_user_roles)
        super().__init__(charm, relation_name, request, interfaces.KafkaResponseModel)

    def endpoint(self) -> KafkaEndpoint | None:
        """The brokers' endpoint; None until the provider has published a valid one."""
        response = self._response()
        if response is None or not response.endpoints:
            return None
        return parse_bootstrap(response.endpoints)


def parse_bootstrap(bootstrap: str) -> KafkaEndpoint | None:
    """Parse `host:port[,host:port...]`; None (and a warning) when it is malformed."""
    servers = [server.strip() for server in bootstrap.split(",") if server.strip()]
    addresses = [server.rpartition(":") for server in servers]
    if not addresses or any(not host or not port.isdigit() for host, _, port in addresses):
        logger.warning("ignoring malformed Kafka endpoints %r", bootstrap)
        return None
    host, _, port = addresses[0]
    return KafkaEndpoint(host=host, port=int(port), bootstrap=",".join(servers))
