# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The `database` endpoint (`mongodb_client`): client requests in, users and answers out.

Requests and answers go through `dpcharmlibs-interfaces` (data-platform protocol v1, and
v0 for older clients), so Canonical's mongodb-k8s clients relate unchanged. Each request
gets its own user, `relation-<relation id>[-<request id>]`, whose password is generated
once and then read back from the answer's `secret-user` secret.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import ops
import workload
from charms.osm_libs.v0.data import interfaces
from literals import CLIENT_USER_PREFIX
from mongosh import UserSpec
from roles import user_roles

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClientRequest:
    """One request of one client relation, with the user that serves it."""

    relation_id: int
    request: interfaces.RequirerCommonModel
    user: UserSpec


@dataclass(frozen=True)
class Rejection:
    """A request this charm will not serve, and why."""

    relation_id: int
    reason: str

    @property
    def message(self) -> str:
        """The status message naming the relation."""
        return f"database relation {self.relation_id}: {self.reason}"


def username(relation_id: int, request_id: str | None) -> str:
    """The client user of one request (v0 clients send no request id)."""
    suffix = f"-{request_id}" if request_id else ""
    return f"{CLIENT_USER_PREFIX}{relation_id}{suffix}"


class ClientProvider(ops.Object):
    """Reads the clients' requests and writes their answers (leader only)."""

    def __init__(self, charm: ops.CharmBase, relation_name: str):
        super().__init__(charm, relation_name)
        self._charm = charm
        self._relation_name = relation_name
        self._handler = interfaces.ResourceProviderEventHandler(
            charm, relation_name, interfaces.RequirerCommonModel
        )

    @property
    def reconcile_events(self) -> list[ops.BoundEvent]:
        """Events after which the users or answers may have to change."""
        return [
            self._handler.on.resource_requested,
            self._charm.on[self._relation_name].relation_broken,
        ]

    def requests(self) -> tuple[list[ClientRequest], list[Rejection]]:
        """Every request on every relation, split into those served and those rejected."""
        served: list[ClientRequest] = []
        rejected: list[Rejection] = []
        for relation in self._charm.model.relations[self._relation_name]:
            try:
                requests = self._handler.requests(relation)
                passwords = self._passwords(relation)
            except (ValueError, ops.ModelError) as error:
                logger.warning(
                    "unreadable request on relation %d (%s)", relation.id, type(error).__name__
                )
                rejected.append(Rejection(relation.id, "unreadable request"))
                continue
            for request in requests:
                try:
                    roles = user_roles(request.resource, request.extra_user_roles)
                except ValueError as error:
                    rejected.append(Rejection(relation.id, str(error)))
                    continue
                name = username(relation.id, request.request_id)
                password = passwords.get(name) or workload.generate_password()
                user = UserSpec(user=name, password=password, roles=roles)
                served.append(ClientRequest(relation.id, request, user))
        return served, rejected

    def answer(
        self, served: ClientRequest, hosts: list[str], replica_set: str, version: str
    ) -> None:
        """Write (or refresh) the answer to one served request."""
        request, user = served.request, served.user
        response = interfaces.ResourceProviderModel(
            salt=request.salt,
            request_id=request.request_id,
            resource=request.resource,
            username=user.user,
            password=user.password,
            uris=workload.client_uri(
                user.user, user.password, hosts, request.resource, replica_set
            ),
            endpoints=",".join(hosts),
            version=version,
        )
        self._handler.set_response(served.relation_id, response)

    def _passwords(self, relation: ops.Relation) -> dict[str, str]:
        """The passwords already answered on `relation`, by username."""
        return {
            response.username: response.password
            for response in self._handler.responses(relation, interfaces.ResourceProviderModel)
            if response.username and response.password
        }
