# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""What one dispatch reads (`Inputs`) and what its reconcile found in the set (`SetView`).

Plain frozen values, no Juju calls: the charm builds `Inputs` once per dispatch, its
reconcile acts on them and keeps a `SetView`, and collect-status reads both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import ops
from charms.osm_libs.v0 import component
from config import CharmConfig
from literals import PRIMARY, SECONDARY
from mongosh import Hello
from provider import ClientRequest


@dataclass(frozen=True)
class Credentials:
    """The admin password and the replica set's keyfile (kept out of any repr)."""

    admin_password: str = field(repr=False)
    keyfile: str = field(repr=False)


@dataclass(frozen=True)
class Peers:
    """The peer relation as the dispatch found it.

    Attributes:
        unit_hosts: every unit's member address, this unit's first.
        ready_hosts: the addresses of the other units whose mongod said it is ready.
        initiated: the leader initiated the replica set in an earlier hook.
        client_users: the client user names last created, as stored (a JSON list).
    """

    unit_hosts: tuple[str, ...]
    ready_hosts: frozenset[str]
    initiated: bool
    client_users: str


@dataclass(frozen=True)
class Settings:
    """Everything the workload and the replica set are reconciled from.

    Attributes:
        config: the charm's options.
        replica_set: the replica set's name (the application's).
        host: this unit's member address.
        credentials: the admin password and keyfile.
        peers: the peer relation's data.
        clients: the client requests served (the leader's; empty on other units).
    """

    config: CharmConfig
    replica_set: str
    host: str
    credentials: Credentials
    peers: Peers
    clients: tuple[ClientRequest, ...] = ()

    @property
    def client_user_names(self) -> str:
        """The served requests' user names, as the peer databag stores them."""
        return user_names(request.user.user for request in self.clients)


@dataclass(frozen=True)
class Inputs(component.Inputs[CharmConfig, Settings]):
    """`component.Inputs`, plus what only the application status reports.

    Attributes:
        app_problems: client requests refused, then a missing peer relation or credentials.
    """

    app_problems: tuple[ops.StatusBase, ...] = ()


@dataclass(frozen=True)
class SetView:
    """What the reconcile found (and left) in the replica set.

    Attributes:
        hello: the local mongod's `hello`, last asked; None when it did not answer.
        initiated: the set is initiated (the leader's knowledge).
        members_pending: the members differ from the planned ones (leader only).
        users_pending: the client users differ from the requested ones (leader only).
    """

    hello: Hello | None
    initiated: bool = True
    members_pending: bool = False
    users_pending: bool = False

    @property
    def role(self) -> str | None:
        """`primary` or `secondary` while this mongod is a member, else None."""
        if self.hello is None or not self.hello.is_member:
            return None
        return PRIMARY if self.hello.primary else SECONDARY


def user_names(names: Iterable[str]) -> str:
    """User names as the peer databag stores them: a sorted JSON list."""
    return json.dumps(sorted(names))
