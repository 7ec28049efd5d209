#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for MongoDB, the database of OSM."""

from __future__ import annotations

import json
import logging

import ops
import workload
from charms.osm_libs.v0 import component, pebble_service
from config import CharmConfig
from literals import (
    ADMIN_USER,
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
    PASSWORD_KEY,
    PEER_RELATION,
    PRIMARY,
    READY_CHECK,
    READY_FIELD,
    SECONDARY,
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
from provider import ClientProvider
from replica_set import planned_members

logger = logging.getLogger(__name__)


class MongoDBCharm(ops.CharmBase):
    """Runs one replica set member per unit and serves `mongodb_client`."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._clients = ClientProvider(self, CLIENT_RELATION)
        self._hello_result: Hello | None = None
        self._hello_asked = False
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

    # Reconciling

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring mongod, the replica set, the client users and answers up to date."""
        try:
            config = self.load_config(CharmConfig)
        except ValueError:
            return  # collect-status reports it
        credentials = self._credentials(create=True)
        if credentials is None or not self._container.can_connect():
            return
        try:
            self._configure_workload(config, credentials[KEYFILE_KEY])
            self._publish_readiness()
        except workload.PEBBLE_ERRORS as error:
            logger.warning("cannot configure mongod: %s", type(error).__name__)
            return
        if self.unit.is_leader():
            try:
                self._reconcile_replica_set(Mongosh(self._container, credentials[PASSWORD_KEY]))
            except MongoshError as error:
                logger.warning("replica set not reconciled: %s", error)

    def _configure_workload(self, config: CharmConfig, keyfile: str) -> None:
        """Write the keyfile, give the data directory to mongod's user, plan the service."""
        self._container.push(
            KEYFILE,
            keyfile,
            make_dirs=True,
            permissions=0o400,
            user=WORKLOAD_USER,
            group=WORKLOAD_GROUP,
        )
        if not pebble_service.is_running(self._container, SERVICE):
            owner = f"{WORKLOAD_USER}:{WORKLOAD_GROUP}"
            self._container.exec(["chown", owner, DATA_DIR]).wait()
        pebble_service.apply_layer(self._container, LAYER, workload.layer(config, self.app.name))

    def _publish_readiness(self) -> None:
        """Tell the leader, in this unit's peer databag, whether mongod is ready to join."""
        peers = self._peers
        if peers is None:
            return
        if pebble_service.is_ready(self._container, READY_CHECK):
            peers.data[self.unit][READY_FIELD] = "true"
        else:
            peers.data[self.unit].pop(READY_FIELD, None)

    def _reconcile_replica_set(self, mongosh: Mongosh) -> None:
        """Leader: initiate the set once, keep its members in step, then serve clients."""
        peers = self._peers
        if peers is None:
            return
        if not peers.data[self.app].get(INITIATED_FIELD):
            if not peers.data[self.unit].get(READY_FIELD):
                return
            mongosh.initiate(self.app.name, self._host)
            peers.data[self.app][INITIATED_FIELD] = "true"
        hello = self._hello(mongosh, refresh=True)
        if hello is None or not hello.is_member:
            return
        members = self._planned_members(hello)
        if members != list(hello.hosts):
            mongosh.set_members(self.app.name, self._unit_hosts(), members)
            self._hello_asked = False
        self._reconcile_clients(mongosh, members, hello.version)

    def _reconcile_clients(self, mongosh: Mongosh, members: list[str], version: str) -> None:
        """Leader: create (or drop) the client users, then answer every served request."""
        peers = self._peers
        if peers is None:
            return
        served, _ = self._clients.requests()
        names = json.dumps(sorted(request.user.user for request in served))
        if peers.data[self.app].get(USERS_FIELD, "[]") != names:
            mongosh.set_users(self.app.name, members, [request.user for request in served])
            peers.data[self.app][USERS_FIELD] = names
        for request in served:
            self._clients.answer(request, members, self.app.name, version)

    # State

    @property
    def _peers(self) -> ops.Relation | None:
        return self.model.get_relation(PEER_RELATION)

    @property
    def _host(self) -> str:
        """This unit's address in the replica set."""
        return workload.member_host(self.unit.name, self.app.name)

    def _unit_hosts(self) -> list[str]:
        """The addresses of every unit of the application, this one first."""
        peers = self._peers
        others = sorted(peers.units, key=lambda unit: unit.name) if peers else []
        return [workload.member_host(unit.name, self.app.name) for unit in [self.unit, *others]]

    def _planned_members(self, hello: Hello) -> list[str]:
        """The members the set should have, from the units and their readiness flags."""
        peers = self._peers
        units = [self.unit, *peers.units] if peers else [self.unit]
        ready = {
            workload.member_host(unit.name, self.app.name)
            for unit in units
            if peers and peers.data[unit].get(READY_FIELD)
        }
        return planned_members(hello.hosts, self._unit_hosts(), ready)

    def _credentials(self, create: bool = False) -> dict[str, str] | None:
        """The admin password and keyfile; the leader creates them when `create` is set."""
        peers = self._peers
        if peers is None:
            return None
        secret_id = peers.data[self.app].get(CREDENTIALS_ID_FIELD)
        if not secret_id:
            if not (create and self.unit.is_leader()):
                return None
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
            return content
        try:
            return self.model.get_secret(id=secret_id).get_content()
        except ops.ModelError as error:
            logger.warning("cannot read the credentials secret: %s", type(error).__name__)
            return None

    def _setup(self) -> tuple[ops.Relation, dict[str, str]] | ops.StatusBase:
        """The peer relation and the credentials, or Waiting while one of them is missing."""
        peers = self._peers
        if peers is None:
            return ops.WaitingStatus(WAITING_FOR_PEERS)
        credentials = self._credentials()
        if credentials is None:
            return ops.WaitingStatus(WAITING_FOR_CREDENTIALS)
        return peers, credentials

    def _hello(self, mongosh: Mongosh, refresh: bool = False) -> Hello | None:
        """The local mongod's `hello`, asked at most once per hook unless `refresh`."""
        if refresh or not self._hello_asked:
            try:
                self._hello_result = mongosh.hello()
            except MongoshError as error:
                logger.warning("%s", error)
                self._hello_result = None
            self._hello_asked = True
        return self._hello_result

    # Status

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        try:
            self.load_config(CharmConfig)
        except ValueError as error:
            event.add_status(ops.BlockedStatus(str(error)))
            return
        setup = self._setup()
        if isinstance(setup, ops.StatusBase):
            event.add_status(setup)
            return
        _, credentials = setup
        problem = pebble_service.service_health(self._container, SERVICE, READY_CHECK)
        if problem is not None:
            event.add_status(problem)
            return
        hello = self._hello(Mongosh(self._container, credentials[PASSWORD_KEY]))
        if hello is None or not hello.is_member:
            event.add_status(ops.WaitingStatus(WAITING_TO_JOIN))
            return
        if hello.version:
            self.unit.set_workload_version(hello.version)
        event.add_status(ops.ActiveStatus(PRIMARY if hello.primary else SECONDARY))

    def _on_collect_app_status(self, event: ops.CollectStatusEvent) -> None:
        served, rejected = self._clients.requests()
        for rejection in rejected:
            event.add_status(ops.BlockedStatus(rejection.message))
        setup = self._setup()
        if isinstance(setup, ops.StatusBase):
            event.add_status(setup)
            return
        peers, credentials = setup
        if not peers.data[self.app].get(INITIATED_FIELD):
            event.add_status(ops.WaitingStatus(INITIATING))
            return
        hello = self._hello(Mongosh(self._container, credentials[PASSWORD_KEY]))
        if hello is not None and self._planned_members(hello) != list(hello.hosts):
            event.add_status(ops.WaitingStatus(UPDATING_MEMBERS))
        names = json.dumps(sorted(request.user.user for request in served))
        if peers.data[self.app].get(USERS_FIELD, "[]") != names:
            event.add_status(ops.WaitingStatus(CREATING_USERS))
        event.add_status(ops.ActiveStatus())

    # Actions

    def _on_get_admin_password(self, event: ops.ActionEvent) -> None:
        credentials = self._credentials()
        if credentials is None:
            event.fail("the admin credentials do not exist yet: the leader creates them")
            return
        event.set_results({"username": ADMIN_USER, "password": credentials[PASSWORD_KEY]})

    def _on_rs_status(self, event: ops.ActionEvent) -> None:
        credentials = self._credentials()
        if credentials is None or not self._container.can_connect():
            event.fail("mongod is not configured yet")
            return
        try:
            name, members = Mongosh(self._container, credentials[PASSWORD_KEY]).rs_status()
        except MongoshError as error:
            event.fail(str(error))
            return
        lines = [f"{m.name} {m.state} health={m.health:g}" for m in members]
        event.set_results({"replica-set": name, "members": "\n".join(lines)})


if __name__ == "__main__":  # pragma: nocover
    ops.main(MongoDBCharm)
