# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The MongoDB roles a client user gets for its request (pure logic).

Every client user can read and write its own database. `extra-user-roles` adds, comma
separated, MongoDB's built-in database roles on that database (`read`, `readWrite`,
`dbAdmin`, `dbOwner`, `userAdmin`) or one of the data-platform role names, as
Canonical's mongodb-k8s understands them: `admin` (every database: OSM components ask
for it because they use several), `monitor` and `backup`.
"""

from __future__ import annotations

import re

DATABASE_ROLES = frozenset({"read", "readWrite", "dbAdmin", "dbOwner", "userAdmin"})
CLUSTER_ROLES: dict[str, tuple[str, ...]] = {
    "admin": (
        "readWriteAnyDatabase",
        "dbAdminAnyDatabase",
        "userAdminAnyDatabase",
        "clusterMonitor",
    ),
    "monitor": ("clusterMonitor",),
    "backup": ("backup", "clusterMonitor"),
}
# MongoDB forbids /\. "$*<>:|? and spaces in database names; keep to a safe subset.
DATABASE_NAME = re.compile(r"[A-Za-z0-9_-]{1,63}")
RESERVED_DATABASES = frozenset({"admin", "local", "config"})


def user_roles(database: str, extra_user_roles: str | None) -> tuple[dict[str, str], ...]:
    """The roles of a user of `database` asking for `extra_user_roles`.

    Raises:
        ValueError: the database name or a role is not one this charm grants.
    """
    if not DATABASE_NAME.fullmatch(database) or database in RESERVED_DATABASES:
        raise ValueError(f"invalid database name {database!r}")
    roles = [{"role": "readWrite", "db": database}]
    for name in (extra_user_roles or "").split(","):
        name = name.strip()
        if not name:
            continue
        if name in DATABASE_ROLES:
            granted = [{"role": name, "db": database}]
        elif name in CLUSTER_ROLES:
            granted = [{"role": role, "db": "admin"} for role in CLUSTER_ROLES[name]]
        else:
            raise ValueError(f"unknown role {name!r}")
        roles.extend(role for role in granted if role not in roles)
    return tuple(roles)
