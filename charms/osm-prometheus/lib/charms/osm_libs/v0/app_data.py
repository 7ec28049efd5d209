# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Reading what the one related application publishes in its application databag.

Upstream's OSM-only interfaces (`keystone`, `osm-vca`, ...) carry plain keys in the
provider's application databag, and the requirer only reads them. `AppDataRequirer`
does that for one endpoint (with `limit: 1`): a reader function turns the databag into a
value, or None while the data is incomplete.

It does not observe events: the charm observes its `reconcile_events` with its single
reconcile method and calls `get()` there.

    self._keystone = AppDataRequirer(self, "keystone", keystone.read_credentials)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

import ops

LIBID = "2d12c137d7a5477c970bda8319b5596a"
LIBAPI = 0
LIBPATCH = 1

_Value = TypeVar("_Value")


class AppDataRequirer(Generic[_Value]):
    """Reads the related application's databag on `relation_name` with `read`."""

    def __init__(
        self,
        charm: ops.CharmBase,
        relation_name: str,
        read: Callable[[Mapping[str, str]], _Value | None],
    ):
        self._charm = charm
        self._relation_name = relation_name
        self._read = read

    @property
    def relation(self) -> ops.Relation | None:
        """The relation, if one exists."""
        return self._charm.model.get_relation(self._relation_name)

    @property
    def reconcile_events(self) -> list[ops.BoundEvent]:
        """The events after which the data may have arrived, changed or gone."""
        events = self._charm.on[self._relation_name]
        return [events.relation_changed, events.relation_broken]

    def get(self) -> _Value | None:
        """What `read` finds in the remote application's databag; None without a relation.

        Raises:
            whatever `read` raises for malformed data.
        """
        relation = self.relation
        if relation is None or relation.app is None:
            return None
        return self._read(relation.data[relation.app])
