# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Which units belong in the replica set (pure logic, no Juju and no Pebble)."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def planned_members(
    current: Sequence[str], unit_hosts: Collection[str], ready_hosts: Collection[str]
) -> list[str]:
    """The members the replica set should have, in a stable order.

    A member stays while its unit exists, even if its mongod is down for a while (it
    catches up when it is back); a unit joins once its mongod passes its readiness check
    (a reconfiguration needs a majority of the new members to answer); a member whose
    unit has gone is removed.
    """
    staying = [host for host in current if host in unit_hosts]
    joining = sorted(host for host in ready_hosts if host in unit_hosts and host not in current)
    return staying + joining
