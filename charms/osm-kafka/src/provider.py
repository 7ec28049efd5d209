# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The `kafka` endpoint (interface `kafka_client`), through `dpcharmlibs-interfaces`.

Each client asks for a topic (the data-platform protocol, v1 requests or v0 fields);
the leader answers with the bootstrap `endpoints`, the topic and the protocol's user
secret (`secret-user`: username and password). The brokers listen in PLAINTEXT and do
not check those credentials: they are there so that clients written for Canonical's
kafka-k8s work unchanged, and keep working against a SASL Kafka.

Answers are refreshed on every reconcile (the endpoints follow the units), so they
must come out the same when nothing changed: the salt, user secret and password of an
earlier answer are reused, read from this application's databag and that secret. (Left
to itself, the library gives a v0 client a new salt, and loses its `secret-user`, on
every refresh.)
"""

from __future__ import annotations

import json
import logging
import secrets

import ops
from charms.osm_libs.v0.data import interfaces

logger = logging.getLogger(__name__)

PASSWORD_BYTES = 32
# The protocol's keys in the provider's application databag.
VERSION_KEY = "version"
REQUESTS_KEY = "requests"
REQUEST_ID_KEY = "request-id"
SALT_KEY = "salt"
SECRET_USER_KEY = "secret-user"
PASSWORD_KEY = "password"


class _TolerantHandler(interfaces.ResourceProviderEventHandler[interfaces.KafkaRequestModel]):
    """The library's provider handler, logging instead of failing on a malformed request.

    The library validates the client's databag in its relation-changed observer and
    raises on bad data (or on a request that changes its topic); a hook must not fail
    for that, so the error is logged instead.
    """

    def _on_relation_changed_event(self, event: ops.RelationChangedEvent) -> None:
        try:
            super()._on_relation_changed_event(event)
        except ValueError as error:
            _log_malformed(event.relation, error)


def _log_malformed(relation: ops.Relation, error: Exception) -> None:
    """Log a malformed request without its content."""
    logger.warning(
        "ignoring malformed kafka_client request on relation %d (%s)",
        relation.id,
        type(error).__name__,
    )


def username_for(relation: ops.Relation) -> str:
    """The user a client relation is given (Canonical's kafka-k8s naming)."""
    return f"relation-{relation.id}"


class ClientProvider(ops.Object):
    """Answers every client's topic requests on one endpoint."""

    def __init__(self, charm: ops.CharmBase, relation_name: str):
        super().__init__(charm, f"{relation_name}-clients")
        self._relation_name = relation_name
        self._handler = _TolerantHandler(charm, relation_name, interfaces.KafkaRequestModel)
        self.framework.observe(charm.on[relation_name].relation_broken, self._on_relation_broken)

    @property
    def reconcile_events(self) -> list[ops.BoundEvent]:
        """The library's events after which the answers must be brought up to date."""
        return [self._handler.on.resource_requested]

    def publish(self, bootstrap: str) -> None:
        """On the leader, answer every request of every client with `bootstrap`."""
        if not self.model.unit.is_leader():
            return
        for relation in self.model.relations[self._relation_name]:
            self._answer(relation, bootstrap)

    def _on_relation_broken(self, event: ops.RelationBrokenEvent) -> None:
        """On the leader, remove the user secrets given to a client that has gone."""
        if not self.model.unit.is_leader():
            return
        try:
            earlier = self._earlier_answers(event.relation)
        except ValueError:
            return
        for answer in earlier.values():
            if secret_id := answer.get(SECRET_USER_KEY):
                try:
                    self.model.get_secret(id=secret_id).remove_all_revisions()
                except ops.ModelError:
                    logger.warning("could not remove a kafka_client user secret")

    def _answer(self, relation: ops.Relation, bootstrap: str) -> None:
        """Write (or refresh) the responses to one client's requests."""
        try:
            requests = [
                request for request in self._handler.requests(relation) if request.resource
            ]
            earlier = self._earlier_answers(relation)
        except ValueError as error:  # pydantic's ValidationError, JSON errors
            _log_malformed(relation, error)
            return
        if not requests:
            return
        responses: list[interfaces.ResourceProviderModel] = [
            self._response(relation, request, bootstrap, earlier.get(request.request_id, {}))
            for request in requests
        ]
        self._handler.set_responses(relation.id, responses)

    def _earlier_answers(self, relation: ops.Relation) -> dict[str | None, dict[str, str]]:
        """This application's earlier answers on `relation`, by request id (None for v0)."""
        databag = relation.data[self.model.app]
        if databag.get(VERSION_KEY) == "v1":
            answers = json.loads(databag.get(REQUESTS_KEY, "[]"))
            return {answer.get(REQUEST_ID_KEY): answer for answer in answers}
        return {None: dict(databag)} if SECRET_USER_KEY in databag else {}

    def _response(
        self,
        relation: ops.Relation,
        request: interfaces.RequirerCommonModel,
        bootstrap: str,
        earlier: dict[str, str],
    ) -> interfaces.KafkaResponseModel:
        """The answer to one request: where to connect, the topic and the credentials."""
        return interfaces.KafkaResponseModel(
            salt=earlier.get(SALT_KEY) or request.salt,
            request_id=request.request_id,
            resource=request.resource,
            endpoints=bootstrap,
            secret_user=earlier.get(SECRET_USER_KEY),
            username=username_for(relation),
            password=self._password(earlier.get(SECRET_USER_KEY))
            or secrets.token_urlsafe(PASSWORD_BYTES),
        )

    def _password(self, secret_id: str | None) -> str | None:
        """The password in an earlier answer's user secret, if it can be read."""
        if not secret_id:
            return None
        try:
            content = self.model.get_secret(id=secret_id).get_content(refresh=True)
        except ops.ModelError:
            logger.warning("could not read an earlier kafka_client user secret")
            return None
        return content.get(PASSWORD_KEY)
