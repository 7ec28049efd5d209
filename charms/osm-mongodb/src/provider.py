# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The `database` endpoint (`mongodb_client`): client requests in, users and answers out.

Requests and answers go through `dpcharmlibs-interfaces` (data-platform protocol v1, and
v0 for older clients), so Canonical's mongodb-k8s clients relate unchanged. Each request
gets its own user, `relation-<relation id>[-<request id>]`, whose password is generated
once and then read back from the answer's `secret-user` secret.

The library creates that secret (`Application.add_secret` with a label, in its
`CachedSecret`) without a rotation policy and has no parameter for one, so the policy is
set on the secret after the answer is written (`set_rotation`). A rotation writes the
answer again with a new password (`rotate`): the library then gives the secret a new
revision (username, password and URI), and the rest of the answer is unchanged.
"""

from __future__ import annotations

import dataclasses
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
class Answer:
    """What a request was last answered with (its password is in the secret only).

    Attributes:
        secret_id: the `secret-user` secret's ID.
        hosts: the member addresses answered (`endpoints`, and the URI's hosts).
        version: the mongod version answered.
        salt: the salt answered (a v0 request gets a random one at each reading).
    """

    secret_id: str
    hosts: tuple[str, ...]
    version: str
    salt: str | None = None


@dataclass(frozen=True)
class ClientRequest:
    """One request of one client relation, with the user that serves it.

    Attributes:
        relation_id: the relation's ID.
        app: the client application's name.
        request: the request as the library read it.
        user: the user serving it (its password: the answered one, or a new one).
        answer: what it was answered, None before its first answer.
    """

    relation_id: int
    app: str
    request: interfaces.RequirerCommonModel
    user: UserSpec
    answer: Answer | None = None


@dataclass(frozen=True)
class Rejection:
    """A request this charm will not serve, and why."""

    relation_id: int
    reason: str

    @property
    def message(self) -> str:
        """The status message naming the relation."""
        return f"database relation {self.relation_id}: {self.reason}"


class _V0Answer(interfaces.DataContractV0):
    """A v0 answer, read under the label its secret is written with.

    dpcharmlibs writes a v0 answer's secret with the label `<endpoint>.<id>.user.secret`
    but reads it (`responses()`, `DataContractV0`) as `<endpoint>.<id>.<hash>.user.secret`,
    which relabels it: the next write then finds no secret and answers with a new one,
    every hook. Read with no request hash, as written.
    """

    @property
    def short_uuid(self) -> str | None:
        """No request hash in a v0 answer's secret label."""
        return None


def same_secret(first: str, second: str) -> bool:
    """Whether two secret IDs name the same secret (`secret:ID` or `secret://MODEL/ID`)."""
    return _unique_id(first) == _unique_id(second)


def _unique_id(secret_id: str) -> str:
    return secret_id.rsplit("/", 1)[-1].removeprefix("secret:")


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
                answered = self._answered(relation)
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
                password, answer = answered.get(name, (None, None))
                user = UserSpec(
                    user=name, password=password or workload.generate_password(), roles=roles
                )
                app = relation.app.name if relation.app else ""
                served.append(ClientRequest(relation.id, app, request, user, answer))
        return served, rejected

    def answer(
        self, served: ClientRequest, hosts: list[str], replica_set: str, version: str
    ) -> None:
        """Write (or refresh) the answer to one served request."""
        request, user = served.request, served.user
        # As answered before: the salt (v0 requests get a random one at each reading) and
        # the secret's ID (the library finds a v0 answer's secret by label, which gives
        # no ID, and would then drop `secret-user` from the databag).
        salt = (served.answer.salt if served.answer else None) or request.salt
        response = interfaces.ResourceProviderModel(
            salt=salt,
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
        if served.answer:  # set only when known: a None would remove it from the answer
            response.secret_user = served.answer.secret_id
        self._handler.set_response(served.relation_id, response)

    def rotate(self, served: ClientRequest, password: str, replica_set: str) -> None:
        """Answer `served` again with `password`, which MongoDB has already.

        The library gives its secret a new revision (password and URI); endpoints and
        version stay as answered before.
        """
        assert served.answer is not None  # only answered requests have a secret to rotate
        user = dataclasses.replace(served.user, password=password)
        hosts, version = list(served.answer.hosts), served.answer.version
        self.answer(dataclasses.replace(served, user=user), hosts, replica_set, version)

    def set_rotation(self, served: ClientRequest, policy: ops.SecretRotate) -> None:
        """Give the secret answering `served` the rotation `policy`, unless it has it."""
        secret_id = served.answer.secret_id if served.answer else self._secret_id(served)
        if secret_id is None:
            return
        try:
            secret = self._charm.model.get_secret(id=secret_id)
            if (secret.get_info().rotation or ops.SecretRotate.NEVER) != policy:
                secret.set_info(rotate=policy)
        except ops.ModelError as error:  # SecretNotFoundError included
            logger.warning(
                "rotation of relation %d's secret not set (%s)",
                served.relation_id,
                type(error).__name__,
            )

    def stop_rotation(self, secret: ops.Secret) -> None:
        """Stop rotating a secret that answers no request (its relation is gone).

        Juju fires secret-rotate again every five minutes for a secret that is due but
        gets no new revision.
        """
        try:
            never = ops.SecretRotate.NEVER
            if (secret.get_info().rotation or never) != never:
                secret.set_info(rotate=never)
                logger.info("secret %s answers no client: its rotation stops", secret.id)
        except ops.ModelError as error:
            logger.warning(
                "rotation of secret %s not stopped (%s)", secret.id, type(error).__name__
            )

    def _answered(self, relation: ops.Relation) -> dict[str, tuple[str, Answer | None]]:
        """The requests already answered on `relation`: password and answer, by username."""
        answered: dict[str, tuple[str, Answer | None]] = {}
        for response in self._responses(relation):
            if not (response.username and response.password):
                continue
            answer = None
            if response.secret_user:
                hosts = tuple(host for host in (response.endpoints or "").split(",") if host)
                answer = Answer(response.secret_user, hosts, response.version or "", response.salt)
            answered[response.username] = (response.password, answer)
        return answered

    def _secret_id(self, served: ClientRequest) -> str | None:
        """The ID of the secret answering `served`, as its answer (just written) names it."""
        relation = self._charm.model.get_relation(self._relation_name, served.relation_id)
        if relation is None:
            return None
        for response in self._responses(relation):
            if response.username == served.user.user:
                return response.secret_user
        return None

    def _responses(self, relation: ops.Relation) -> list[interfaces.ResourceProviderModel]:
        """The answers written on `relation`, their secrets' content filled in."""
        repository = self._handler.interface.repository(relation.id, component=relation.app)
        if (repository.get_field("version") or "v0") == "v0":
            return [self._handler.interface.build_model(relation.id, _V0Answer)]
        return self._handler.responses(relation, interfaces.ResourceProviderModel)
