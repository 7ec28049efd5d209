#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for MongoDB, the database of OSM."""

from __future__ import annotations

import dataclasses
import logging
from functools import cached_property

import ops
import workload
from charms.osm_libs.v0 import component, pebble_service
from config import CharmConfig
from literals import (
    ADMIN_USER,
    APPLICATION_PARAM,
    CLIENT_RELATION,
    CONTAINER,
    CREATING_USERS,
    CREDENTIALS_ID_FIELD,
    CREDENTIALS_LABEL,
    DATA_DIR,
    INITIATED_FIELD,
    INITIATING,
    KEYFILE,
    KEYFILE_KEY,
    LAYER,
    NOT_CONFIGURED,
    NOT_ROTATED,
    NOTHING_TO_ROTATE,
    PASSWORD_KEY,
    PEER_RELATION,
    READY_CHECK,
    READY_FIELD,
    RELATION_ID_PARAM,
    ROTATE_ON_THE_LEADER,
    ROTATED_RESULT,
    SERVICE,
    UPDATING_MEMBERS,
    USERS_FIELD,
    WAITING_FOR_CREDENTIALS,
    WAITING_FOR_PEERS,
    WAITING_TO_JOIN,
    WORKLOAD_GROUP,
    WORKLOAD_USER,
)
from mongosh import Hello, Mongosh, MongoshError
from provider import ClientProvider, ClientRequest, same_secret
from replica_set import planned_members
from state import Credentials, Inputs, Peers, Settings, SetView

logger = logging.getLogger(__name__)


class MongoDBCharm(ops.CharmBase):
    """Runs one replica set member per unit and serves `mongodb_client`."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._clients = ClientProvider(self, CLIENT_RELATION)
        self._created: Credentials | None = None  # created by this dispatch (leader)
        self._reconciled = False
        self._view: SetView | None = None  # what the reconcile found in the replica set
        peers = self.on[PEER_RELATION]
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.update_status,
            self.on.leader_elected,
            self.on.db_storage_attached,
            peers.relation_created,
            peers.relation_joined,
            peers.relation_changed,
            peers.relation_departed,
            *self._clients.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)
        framework.observe(self.on.collect_app_status, self._on_collect_app_status)
        framework.observe(self.on.get_admin_password_action, self._on_get_admin_password)
        framework.observe(self.on.rs_status_action, self._on_rs_status)
        # Rotating a client's password is an operation, not a state to converge to (see
        # `_rotate`): its own handlers, for Juju's schedule and for operators.
        framework.observe(self.on.secret_rotate, self._on_secret_rotate)
        framework.observe(
            self.on.rotate_client_credentials_action, self._on_rotate_client_credentials
        )

    # Reconciling: every Pebble call, mongosh run and databag write happens here, but for
    # the rotation of client passwords (below), an operation of its own.

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring mongod, the replica set, the client users and answers up to date."""
        self._reconciled = True
        self._create_credentials()  # the one write the inputs depend on, so it comes first
        settings = self._inputs.settings
        if settings is None or not self._container.can_connect():
            return
        try:
            self._configure_workload(settings)
            ready = pebble_service.is_ready(self._container, READY_CHECK)
        except workload.PEBBLE_ERRORS as error:
            logger.warning("cannot configure mongod: %s", type(error).__name__)
            return
        self._publish_readiness(ready)
        mongosh = Mongosh(self._container, settings.credentials.admin_password)
        if self.unit.is_leader():
            self._view = self._lead(mongosh, settings, ready)
        else:
            self._view = SetView(hello=_ask_hello(mongosh))
        if self._view.role is not None and self._view.hello and self._view.hello.version:
            self.unit.set_workload_version(self._view.hello.version)

    def _create_credentials(self) -> None:
        """Leader: create the admin password and keyfile once, in an application secret."""
        peers = self.model.get_relation(PEER_RELATION)
        if peers is None or not self.unit.is_leader():
            return
        if peers.data[self.app].get(CREDENTIALS_ID_FIELD):
            return
        content = {
            PASSWORD_KEY: workload.generate_password(),
            KEYFILE_KEY: workload.generate_keyfile(),
        }
        secret = self.app.add_secret(
            content,
            label=CREDENTIALS_LABEL,
            description="MongoDB admin password and replica set keyfile",
        )
        peers.data[self.app][CREDENTIALS_ID_FIELD] = secret.id or ""
        self._created = Credentials(content[PASSWORD_KEY], content[KEYFILE_KEY])

    def _configure_workload(self, settings: Settings) -> None:
        """Write the keyfile and mongosh's home, give /data/db to mongod's user, plan mongod."""
        files = {
            KEYFILE: (settings.credentials.keyfile, 0o400),
            workload.MONGOSH_CONFIG_PATH: (workload.MONGOSH_CONFIG, 0o600),
        }
        for path, (content, mode) in files.items():
            self._container.push(
                path,
                content,
                make_dirs=True,
                permissions=mode,
                user=WORKLOAD_USER,
                group=WORKLOAD_GROUP,
            )
        if not pebble_service.is_running(self._container, SERVICE):
            self._container.exec(["chown", f"{WORKLOAD_USER}:{WORKLOAD_GROUP}", DATA_DIR]).wait()
        layer = workload.layer(settings.config, settings.replica_set)
        component.reconcile_service(self._container, SERVICE, LAYER, layer, stop=False)

    def _publish_readiness(self, ready: bool) -> None:
        """Tell the leader, in this unit's peer databag, whether mongod is ready to join."""
        peers = self.model.get_relation(PEER_RELATION)
        if peers is None:
            return
        if ready:
            peers.data[self.unit][READY_FIELD] = "true"
        else:
            peers.data[self.unit].pop(READY_FIELD, None)

    def _lead(self, mongosh: Mongosh, settings: Settings, ready: bool) -> SetView:
        """Leader: initiate the set once, keep its members in step, then serve clients."""
        initiated = settings.peers.initiated or (ready and self._initiate(mongosh, settings))
        hello = _ask_hello(mongosh)
        ready_hosts = settings.peers.ready_hosts | ({settings.host} if ready else set())
        users_pending = settings.peers.client_users != settings.client_user_names
        if not initiated or hello is None or not hello.is_member:
            return SetView(hello, initiated, _pending(hello, settings, ready_hosts), users_pending)
        members = planned_members(hello.hosts, settings.peers.unit_hosts, ready_hosts)
        try:
            if members != list(hello.hosts):
                mongosh.set_members(settings.replica_set, settings.peers.unit_hosts, members)
                hello = _ask_hello(mongosh)
            if users_pending:
                self._create_users(mongosh, settings, members)
                users_pending = False
            rotation = ops.SecretRotate(settings.config.client_user_rotation)
            for request in settings.clients:
                version = hello.version if hello else ""
                self._clients.answer(request, members, settings.replica_set, version)
                self._clients.set_rotation(request, rotation)
        except MongoshError as error:
            logger.warning("replica set not reconciled: %s", error)
        return SetView(hello, initiated, _pending(hello, settings, ready_hosts), users_pending)

    def _initiate(self, mongosh: Mongosh, settings: Settings) -> bool:
        """Initiate the set with this member and record it; whether that worked."""
        try:
            mongosh.initiate(settings.replica_set, settings.host)
        except MongoshError as error:
            logger.warning("replica set not initiated: %s", error)
            return False
        self._peer_app_data()[INITIATED_FIELD] = "true"
        return True

    def _create_users(self, mongosh: Mongosh, settings: Settings, members: list[str]) -> None:
        """Create (or drop) the client users, then record their names."""
        users = [request.user for request in settings.clients]
        mongosh.set_users(settings.replica_set, members, users)
        self._peer_app_data()[USERS_FIELD] = settings.client_user_names

    # Rotating client passwords: an operation of its own.
    #
    # The reconcile converges on what the inputs say (the users requested, each with the
    # password its secret holds); a rotation is a one-off change that nothing in the
    # inputs describes: a new random password, made once, which must reach MongoDB before
    # the secret that hands it to the client. So it runs from its own handlers
    # (secret-rotate, the action), on the inputs read once, and leaves the next reconcile
    # nothing to undo: by then the secret holds the new password.

    def _rotate(
        self, settings: Settings, requests: list[ClientRequest]
    ) -> tuple[list[ClientRequest], list[ClientRequest]]:
        """Give each request's user a new password: MongoDB first, then its secret.

        Returns the requests rotated and those not (their old password still works).
        """
        mongosh = Mongosh(self._container, settings.credentials.admin_password)
        rotated: list[ClientRequest] = []
        failed: list[ClientRequest] = []
        reachable = self._container.can_connect()
        for request in requests:
            password = workload.generate_password()
            try:
                if not reachable:
                    raise MongoshError("Pebble is not reachable")
                mongosh.set_password(
                    settings.replica_set, settings.peers.unit_hosts, request.user.user, password
                )
                self._clients.rotate(request, password, settings.replica_set)
            except (MongoshError, ops.ModelError, ValueError) as error:
                reason = str(error) if isinstance(error, MongoshError) else type(error).__name__
                logger.warning("password of %s not rotated: %s", _describe(request), reason)
                failed.append(request)
            else:
                logger.info("password of %s rotated", _describe(request))
                rotated.append(request)
        if failed:
            # An update may have failed after MongoDB applied it, or a secret may not have
            # been written: the next reconcile gives every user the password its secret
            # holds (the one its client has).
            self._peer_app_data().pop(USERS_FIELD, None)
        return rotated, failed

    def _on_secret_rotate(self, event: ops.SecretRotateEvent) -> None:
        """Leader: a client's secret is due: rotate that client's password.

        Not rotated (mongod unreachable, mongosh failing), the secret keeps its revision
        and Juju fires secret-rotate again five minutes later.
        """
        if not self.unit.is_leader():  # Juju fires it on the owner's leader only
            return
        settings = self._inputs.settings
        if settings is None:
            logger.warning("secret %s not rotated: %s", event.secret.id, NOT_CONFIGURED)
            return
        due = [
            request
            for request in settings.clients
            if request.answer and same_secret(request.answer.secret_id, event.secret.id or "")
        ]
        if due:
            self._rotate(settings, due)
        else:  # the admin's secret (never due) or one whose relation is gone
            self._clients.stop_rotation(event.secret)

    def _on_rotate_client_credentials(self, event: ops.ActionEvent) -> None:
        """Leader: rotate the answered clients' passwords now (one relation, one app, all)."""
        if not self.unit.is_leader():
            event.fail(ROTATE_ON_THE_LEADER.format(app=self.app.name))
            return
        settings = self._inputs.settings
        if settings is None:
            event.fail(NOT_CONFIGURED)
            return
        relation_id = event.params.get(RELATION_ID_PARAM)
        application = event.params.get(APPLICATION_PARAM)
        chosen = [
            request
            for request in settings.clients
            if request.answer
            and relation_id in (None, request.relation_id)
            and application in (None, request.app)
        ]
        if not chosen:
            scope = f" with {RELATION_ID_PARAM} {relation_id}" if relation_id is not None else ""
            scope += f" of {APPLICATION_PARAM} {application}" if application is not None else ""
            event.fail(NOTHING_TO_ROTATE + scope)
            return
        rotated, failed = self._rotate(settings, chosen)
        if rotated:
            event.set_results({ROTATED_RESULT: _clients(rotated)})
        if failed:
            event.fail(NOT_ROTATED.format(clients=_clients(failed)))

    def _peer_app_data(self) -> ops.RelationDataContent:
        relation = self.model.get_relation(PEER_RELATION)
        assert relation is not None  # settings exist only with the peer relation
        return relation.data[self.app]

    # Inputs: read once per dispatch.

    @cached_property
    def _inputs(self) -> Inputs:
        """Config, credentials, peer data and client requests, and what is missing."""
        served, rejected = self._clients.requests() if self.unit.is_leader() else ([], [])
        refused = tuple(ops.BlockedStatus(rejection.message) for rejection in rejected)
        try:
            config = self.load_config(CharmConfig)
        except ValueError as error:
            config, problems = None, (ops.BlockedStatus(str(error)),)
        else:
            problems = ()
        peers = self.model.get_relation(PEER_RELATION)
        credentials = self._read_credentials(peers)
        if peers is None or credentials is None:
            waiting = ops.WaitingStatus(
                WAITING_FOR_PEERS if peers is None else WAITING_FOR_CREDENTIALS
            )
            return Inputs(
                config=config, problems=(*problems, waiting), app_problems=(*refused, waiting)
            )
        if config is None:
            return Inputs(problems=problems, app_problems=refused)
        settings = Settings(
            config=config,
            replica_set=self.app.name,
            host=workload.member_host(self.unit.name, self.app.name),
            credentials=credentials,
            peers=self._read_peers(peers),
            clients=tuple(served),
        )
        return Inputs(config=config, settings=settings, app_problems=refused)

    def _read_credentials(self, peers: ops.Relation | None) -> Credentials | None:
        """The admin password and keyfile; None while the secret is absent or unreadable."""
        if self._created is not None:
            return self._created
        secret_id = peers.data[self.app].get(CREDENTIALS_ID_FIELD) if peers else None
        if not secret_id:
            return None
        try:
            content = self.model.get_secret(id=secret_id).get_content()
            return Credentials(content[PASSWORD_KEY], content[KEYFILE_KEY])
        except (ops.ModelError, KeyError) as error:
            logger.warning("cannot read the credentials secret: %s", type(error).__name__)
            return None

    def _read_peers(self, peers: ops.Relation) -> Peers:
        """The member addresses, the other units' readiness and the leader's records."""
        others = sorted(peers.units, key=lambda unit: unit.name)
        host = self._host_of
        return Peers(
            unit_hosts=tuple(host(unit) for unit in [self.unit, *others]),
            ready_hosts=frozenset(
                host(unit) for unit in others if peers.data[unit].get(READY_FIELD)
            ),
            initiated=bool(peers.data[self.app].get(INITIATED_FIELD)),
            client_users=peers.data[self.app].get(USERS_FIELD, "[]"),
        )

    def _host_of(self, unit: ops.Unit) -> str:
        return workload.member_host(unit.name, self.app.name)

    # Status: only reads the inputs, the reconcile's view and Pebble.

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding; a dispatch that did not reconcile reports only problems."""
        inputs = self._inputs
        if not self._reconciled:
            for problem in inputs.problems:
                event.add_status(problem)
            if inputs.settings is not None and (
                health := pebble_service.service_health(self._container, SERVICE, READY_CHECK)
            ):
                event.add_status(health)
            return  # no news of the replica set: the last status stands
        role = self._view.role if self._view else None
        noted = dataclasses.replace(inputs, note=role or "")
        component.add_statuses(event, self._container, SERVICE, READY_CHECK, noted)
        if inputs.settings is not None and role is None:
            event.add_status(ops.WaitingStatus(WAITING_TO_JOIN))

    def _on_collect_app_status(self, event: ops.CollectStatusEvent) -> None:
        """Report refused requests, then the replica set's progress, as the leader saw it."""
        for problem in self._inputs.app_problems:
            event.add_status(problem)
        view = self._view
        if view is None:
            return
        if not view.initiated:
            event.add_status(ops.WaitingStatus(INITIATING))
        if view.members_pending:
            event.add_status(ops.WaitingStatus(UPDATING_MEMBERS))
        if view.users_pending:
            event.add_status(ops.WaitingStatus(CREATING_USERS))
        event.add_status(ops.ActiveStatus())

    # Actions

    def _on_get_admin_password(self, event: ops.ActionEvent) -> None:
        credentials = self._read_credentials(self.model.get_relation(PEER_RELATION))
        if credentials is None:
            event.fail("the admin credentials do not exist yet: the leader creates them")
            return
        event.set_results({"username": ADMIN_USER, "password": credentials.admin_password})

    def _on_rs_status(self, event: ops.ActionEvent) -> None:
        credentials = self._read_credentials(self.model.get_relation(PEER_RELATION))
        if credentials is None or not self._container.can_connect():
            event.fail(NOT_CONFIGURED)
            return
        try:
            name, members = Mongosh(self._container, credentials.admin_password).rs_status()
        except MongoshError as error:
            event.fail(str(error))
            return
        lines = [f"{m.name} {m.state} health={m.health:g}" for m in members]
        event.set_results({"replica-set": name, "members": "\n".join(lines)})


def _ask_hello(mongosh: Mongosh) -> Hello | None:
    """The local mongod's `hello`; None (logged) when mongosh fails."""
    try:
        return mongosh.hello()
    except MongoshError as error:
        logger.warning("%s", error)
        return None


def _describe(request: ClientRequest) -> str:
    """A request, for logs: its user and relation (nothing secret)."""
    return f"{request.user.user} ({request.app}, relation {request.relation_id})"


def _clients(requests: list[ClientRequest]) -> str:
    """The relations of `requests`, each once, for an action's answer: `nbi (relation 3)`."""
    relations = sorted({(request.relation_id, request.app) for request in requests})
    return ", ".join(f"{app} (relation {relation_id})" for relation_id, app in relations)


def _pending(hello: Hello | None, settings: Settings, ready_hosts: frozenset[str]) -> bool:
    """Whether the set's members, as `hello` lists them, differ from the planned ones."""
    if hello is None:
        return False
    planned = planned_members(hello.hosts, settings.peers.unit_hosts, ready_hosts)
    return planned != list(hello.hosts)


if __name__ == "__main__":  # pragma: nocover
    ops.main(MongoDBCharm)
