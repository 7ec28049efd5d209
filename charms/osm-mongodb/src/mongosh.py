# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""MongoDB administration through `mongosh`, run in the workload container by Pebble exec.

Every operation is a fixed script (`--eval`) that prints one JSON line. Its parameters,
passwords included, travel in the exec's environment (`process.env`), never on the
command line or in the script, so nothing secret shows in a process list or a log.
mongosh runs as mongod's user with its HOME outside the data directory (see
`workload.MONGOSH_ENVIRONMENT`), as the alive check does.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ops
import workload
from literals import ADMIN_USER, CLIENT_USER_PREFIX, PORT, WORKLOAD_GROUP, WORKLOAD_USER

logger = logging.getLogger(__name__)

EXEC_TIMEOUT = 90.0  # seconds; initiating waits up to 30 s for this member to be primary
LOCAL_URI = f"mongodb://localhost:{PORT}/admin?directConnection=true"
_AUTHENTICATE = """
const env = process.env;
db.getSiblingDB("admin").auth(env.MONGO_ADMIN_USER, env.MONGO_ADMIN_PASSWORD);
"""

HELLO = """
const hello = db.hello();
print(JSON.stringify({
  setName: hello.setName ?? null,
  me: hello.me ?? null,
  hosts: hello.hosts ?? [],
  primary: hello.isWritablePrimary === true,
  version: db.version(),
}));
"""

INITIATE = """
const env = process.env;
const admin = db.getSiblingDB("admin");
let hasAdmin = true;
try {
  admin.auth(env.MONGO_ADMIN_USER, env.MONGO_ADMIN_PASSWORD);
} catch (error) {
  hasAdmin = false;  // no admin yet: the localhost exception lets us create it
}
if (!db.hello().setName) {
  rs.initiate({_id: env.MONGO_REPLICA_SET, members: [{_id: 0, host: env.MONGO_HOST}]});
}
for (let second = 0; !db.hello().isWritablePrimary && second < 30; second++) sleep(1000);
if (!db.hello().isWritablePrimary) throw new Error("this member did not become primary");
if (!hasAdmin) {
  admin.createUser({user: env.MONGO_ADMIN_USER, pwd: env.MONGO_ADMIN_PASSWORD, roles: ["root"]});
}
print(JSON.stringify({initiated: true}));
"""

SET_MEMBERS = (
    _AUTHENTICATE
    + """
const wanted = JSON.parse(env.MONGO_MEMBERS);
const current = () => rs.conf().members.map((member) => member.host);
for (const host of wanted) if (!current().includes(host)) rs.add({host: host});
for (const host of current()) if (!wanted.includes(host)) rs.remove(host);
print(JSON.stringify({members: current()}));
"""
)

SET_USERS = (
    _AUTHENTICATE
    + """
const admin = db.getSiblingDB("admin");
const wanted = JSON.parse(env.MONGO_USERS);
for (const user of wanted) {
  if (admin.getUser(user.user) === null) {
    admin.createUser({user: user.user, pwd: user.pwd, roles: user.roles});
  } else {
    admin.updateUser(user.user, {pwd: user.pwd, roles: user.roles});
  }
}
const names = new Set(wanted.map((user) => user.user));
for (const user of admin.runCommand({usersInfo: 1}).users) {
  if (user.user.startsWith(env.MONGO_USER_PREFIX) && !names.has(user.user)) {
    admin.dropUser(user.user);
  }
}
print(JSON.stringify({users: [...names].sort()}));
"""
)

# One client user's new password, nothing else of the user changed. Majority write
# concern: a client may authenticate against any member, so the call returns once most
# members have it (within EXEC_TIMEOUT); an unknown user fails (UserNotFound).
SET_PASSWORD = (
    _AUTHENTICATE
    + """
db.getSiblingDB("admin").updateUser(
  env.MONGO_CLIENT_USER,
  {pwd: env.MONGO_CLIENT_PASSWORD},
  {w: "majority", wtimeout: 60000},
);
print(JSON.stringify({updated: true}));
"""
)

RS_STATUS = (
    _AUTHENTICATE
    + """
const status = rs.status();
print(JSON.stringify({
  set: status.set,
  members: status.members.map((m) => ({name: m.name, state: m.stateStr, health: m.health})),
}));
"""
)


class MongoshError(Exception):
    """A mongosh operation failed; the message names it and holds nothing secret."""


@dataclass(frozen=True)
class Hello:
    """What the local mongod says of itself and of its replica set."""

    set_name: str | None
    me: str | None
    hosts: tuple[str, ...]
    primary: bool
    version: str

    @property
    def is_member(self) -> bool:
        """Whether this mongod is a member of an initiated replica set."""
        return self.set_name is not None and self.me in self.hosts


@dataclass(frozen=True)
class MemberStatus:
    """One line of `rs.status()`."""

    name: str
    state: str
    health: float


@dataclass(frozen=True)
class UserSpec:
    """A client user to create in the `admin` database."""

    user: str
    password: str = field(repr=False)
    roles: tuple[Mapping[str, str], ...]


def command(script: str, uri: str) -> list[str]:
    """The exec's command line for `script` against `uri` (which holds no credentials)."""
    return ["mongosh", "--quiet", "--norc", "--eval", script, uri]


def replica_set_uri(hosts: Sequence[str], replica_set: str) -> str:
    """A URI that reaches the primary of `replica_set` through any of `hosts`."""
    return f"mongodb://{','.join(hosts)}/admin?replicaSet={replica_set}"


class Mongosh:
    """Runs the operations in `container` as the admin (or unauthenticated where allowed)."""

    def __init__(self, container: ops.Container, admin_password: str):
        self._container = container
        self._admin = {"MONGO_ADMIN_USER": ADMIN_USER, "MONGO_ADMIN_PASSWORD": admin_password}

    def hello(self) -> Hello:
        """The local mongod's `hello` (needs no authentication)."""
        result = self._run("hello", HELLO, LOCAL_URI, {})
        return Hello(
            set_name=result.get("setName"),
            me=result.get("me"),
            hosts=tuple(result.get("hosts", ())),
            primary=bool(result.get("primary")),
            version=str(result.get("version", "")),
        )

    def initiate(self, replica_set: str, host: str) -> None:
        """Initiate `replica_set` with this member at `host`, then create the admin user."""
        environment = {**self._admin, "MONGO_REPLICA_SET": replica_set, "MONGO_HOST": host}
        self._run("initiate", INITIATE, LOCAL_URI, environment)

    def set_members(self, replica_set: str, seeds: Sequence[str], members: Sequence[str]) -> None:
        """Add and remove members (one reconfiguration each) until they are `members`."""
        environment = {**self._admin, "MONGO_MEMBERS": json.dumps(list(members))}
        self._run("set-members", SET_MEMBERS, replica_set_uri(seeds, replica_set), environment)

    def set_users(self, replica_set: str, seeds: Sequence[str], users: Sequence[UserSpec]) -> None:
        """Create or update the client `users`; drop the other client users."""
        wanted = [{"user": u.user, "pwd": u.password, "roles": list(u.roles)} for u in users]
        environment = {
            **self._admin,
            "MONGO_USERS": json.dumps(wanted),
            "MONGO_USER_PREFIX": CLIENT_USER_PREFIX,
        }
        self._run("set-users", SET_USERS, replica_set_uri(seeds, replica_set), environment)

    def set_password(
        self, replica_set: str, seeds: Sequence[str], user: str, password: str
    ) -> None:
        """Give the existing client `user` the new `password` (in the environment)."""
        environment = {
            **self._admin,
            "MONGO_CLIENT_USER": user,
            "MONGO_CLIENT_PASSWORD": password,
        }
        self._run("set-password", SET_PASSWORD, replica_set_uri(seeds, replica_set), environment)

    def rs_status(self) -> tuple[str, list[MemberStatus]]:
        """The replica set's name and members, as the local mongod sees them."""
        result = self._run("rs-status", RS_STATUS, LOCAL_URI, self._admin)
        try:
            members = [
                MemberStatus(str(m["name"]), str(m["state"]), float(m["health"]))
                for m in result["members"]
            ]
            return str(result["set"]), members
        except (KeyError, TypeError, ValueError) as error:
            raise MongoshError("rs-status: unexpected answer") from error

    def _run(
        self, name: str, script: str, uri: str, environment: Mapping[str, str]
    ) -> dict[str, Any]:
        """Run one script; return the JSON object it printed last."""
        try:
            process = self._container.exec(
                command(script, uri),
                environment={**workload.MONGOSH_ENVIRONMENT, **environment},
                user=WORKLOAD_USER,
                group=WORKLOAD_GROUP,
                timeout=EXEC_TIMEOUT,
            )
            stdout, _ = process.wait_output()
        except ops.pebble.ExecError as error:
            logger.warning("mongosh %s exited with %s: %s", name, error.exit_code, error.stderr)
            raise MongoshError(f"{name} failed (exit code {error.exit_code})") from None
        except workload.PEBBLE_ERRORS as error:
            raise MongoshError(f"{name} failed ({type(error).__name__})") from None
        lines = stdout.strip().splitlines()
        try:
            result = json.loads(lines[-1]) if lines else None
        except json.JSONDecodeError:
            result = None
        if not isinstance(result, dict):
            raise MongoshError(f"{name}: unexpected answer")
        return result
