# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The MongoDB workload as the charm meets it: what `mongosh` answers in the container.

One documented place for the stand-ins of the workload, used by this charm's unit tests
(through builders.py) and by `distro-builder simulate`, which drives every unit of the
application against one `Workload`:

- each script of `mongosh.py` answers as mongod does (`mongosh_exec`): `hello` and
  `rs-status` with what the replica set is, the others with their one JSON line;
- `chown` of the data directory succeeds.

`Workload` keeps one healthy replica set for the application: empty until the charm runs
the initiate script (its unit becomes the primary and only member), then the members the
charm last reconfigured it to. The members are read from the reconfiguration's seed list
(every unit), which is what the charm plans while every unit is ready, as the simulated
checks are.

It keeps the set's users too (`users`, `accepts`): the admin the initiate script creates,
the client users the set-users script creates, updates and drops, and the password the
set-password script (a rotation) gives one of them. Their names and passwords travel in
the exec's environment, which the simulator and `run_as_simulator` hand to `observe`
(never to a log or a report); the scripts answer success, as mongod does for a charm that
keeps its users in step (an update of a user MongoDB lacks would fail there: the model
then keeps its users as they were).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import mongosh
from literals import CONTAINER, SERVICE
from ops import testing
from workload import member_host

VERSION = "7.0.14"
CHOWN = ("chown",)


def hello_answer(
    replica_set: str | None, me: str | None, hosts: Sequence[str], primary: bool
) -> dict:
    """What `HELLO` prints: a member `me` of `hosts`, or a mongod of no set (None)."""
    if replica_set is None:
        return {"setName": None, "me": None, "hosts": [], "primary": False, "version": VERSION}
    return {
        "setName": replica_set,
        "me": me,
        "hosts": list(hosts),
        "primary": primary,
        "version": VERSION,
    }


def rs_status_answer(replica_set: str, hosts: Sequence[str], primary: str | None) -> dict:
    """What `RS_STATUS` prints for a healthy set of `hosts` whose primary is `primary`."""
    return {
        "set": replica_set,
        "members": [
            {"name": host, "state": "PRIMARY" if host == primary else "SECONDARY", "health": 1}
            for host in hosts
        ],
    }


def mongosh_exec(script: str, answer: dict | None = None, code: int = 0) -> testing.Exec:
    """A Pebble exec of `script` (any URI) that prints `answer` and exits with `code`."""
    stdout = json.dumps(answer) + "\n" if answer is not None else ""
    return testing.Exec(
        mongosh.command(script, "")[:-1], return_code=code, stdout=stdout, stderr="boom"
    )


def answers(hello: dict, rs_status: dict) -> set[testing.Exec]:
    """Mongod's answer to every script the charm runs, and a `chown` that succeeds."""
    return {
        mongosh_exec(mongosh.HELLO, hello),
        mongosh_exec(mongosh.INITIATE, {"initiated": True}),
        mongosh_exec(mongosh.SET_MEMBERS, {"members": rs_status["members"]}),
        mongosh_exec(mongosh.SET_USERS, {"users": []}),
        mongosh_exec(mongosh.SET_PASSWORD, {"updated": True}),
        mongosh_exec(mongosh.RS_STATUS, rs_status),
        testing.Exec(list(CHOWN)),
    }


def with_answers(container: testing.Container, execs: Iterable[testing.Exec]) -> testing.Container:
    """`container` answering with `execs`, which replace any answer of the same command."""
    given = {tuple(e.command_prefix): e for e in execs}
    kept = {e for e in container.execs if tuple(e.command_prefix) not in given}
    return dataclasses.replace(container, execs={*kept, *given.values()})


class Workload:
    """One application's replica set, as its units' mongosh sees it."""

    def __init__(self) -> None:
        self.members: list[str] = []
        self.primary: str | None = None
        self.users: dict[str, str] = {}  # user -> password, in memory only

    def accepts(self, user: str, password: str) -> bool:
        """Whether MongoDB authenticates `user` with `password`."""
        return user in self.users and self.users[user] == password

    def prepare(
        self, unit: int, container: testing.Container, root: Path | None = None
    ) -> testing.Container:
        """`container` answering mongosh as the set is now (no set before mongod is planned)."""
        del root
        if container.name != CONTAINER:
            return container
        replica_set = _replica_set(container)
        me = member_host(f"{replica_set}/{unit}", replica_set) if replica_set else None
        hello = hello_answer(
            replica_set if self.members else None, me, self.members, me == self.primary
        )
        status = rs_status_answer(replica_set or "", self.members, self.primary)
        return with_answers(container, answers(hello, status))

    def observe(
        self,
        unit: int,
        container: testing.Container,
        commands: list[list[str]],
        root: Path | None = None,
        environments: list[dict[str, str]] | None = None,
    ) -> None:
        """After a hook: what the charm's scripts did to the set and its users."""
        del root
        replica_set = _replica_set(container)
        if container.name != CONTAINER or replica_set is None:
            return
        for index, command in enumerate(commands):
            script = command[4] if command[:1] == ["mongosh"] and len(command) > 5 else None
            environment = environments[index] if environments else {}
            if script == mongosh.INITIATE and not self.members:
                self.primary = member_host(f"{replica_set}/{unit}", replica_set)
                self.members = [self.primary]
                self._create_admin(environment)
            elif script == mongosh.SET_MEMBERS:
                seeds = urlsplit(command[5]).netloc.split(",")
                staying = [host for host in self.members if host in seeds]
                self.members = staying + sorted(set(seeds) - set(staying))
            elif script == mongosh.SET_USERS and "MONGO_USERS" in environment:
                self._set_users(environment)
            elif script == mongosh.SET_PASSWORD and environment.get("MONGO_CLIENT_USER"):
                self._set_password(environment["MONGO_CLIENT_USER"], environment)

    def _create_admin(self, environment: dict[str, str]) -> None:
        """INITIATE: the admin user, through the localhost exception."""
        if "MONGO_ADMIN_USER" in environment and not self.users:
            self.users[environment["MONGO_ADMIN_USER"]] = environment["MONGO_ADMIN_PASSWORD"]

    def _set_password(self, user: str, environment: dict[str, str]) -> None:
        """SET_PASSWORD: an existing user's new password (MongoDB has no other to update)."""
        if user in self.users:
            self.users[user] = environment["MONGO_CLIENT_PASSWORD"]

    def _set_users(self, environment: dict[str, str]) -> None:
        """SET_USERS: the wanted client users as given, other client users dropped."""
        wanted = {user["user"]: user["pwd"] for user in json.loads(environment["MONGO_USERS"])}
        prefix = environment.get("MONGO_USER_PREFIX", "")
        kept = {
            name: pwd
            for name, pwd in self.users.items()
            if not name.startswith(prefix) or name in wanted
        }
        self.users = {**kept, **wanted}


def _replica_set(container: testing.Container) -> str | None:
    """The `--replSet` of the planned mongod (None before the charm planned it)."""
    service = container.plan.services.get(SERVICE)
    for argument in (service.command if service else "").split():
        if argument.startswith("--replSet="):
            return argument.removeprefix("--replSet=")
    return None
