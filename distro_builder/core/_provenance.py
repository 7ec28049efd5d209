"""Which layer set each value of a composed bundle.

A path names a value of the emitted bundle: ``("applications", "nbi", "options", "log-level")``,
``("relations", 3)`` (a relation) or ``("relations", 3, 0)`` (one of its endpoints).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._diagnostics import Origin
from ._yaml import NodePath


class Provenance:
    """The origins recorded for the paths of one composed bundle."""

    def __init__(self, history: Mapping[NodePath, list[Origin]]) -> None:
        self._history = dict(history)

    def origin(self, path: NodePath) -> Origin | None:
        """The last layer that wrote `path`, else the nearest recorded ancestor's."""
        while True:
            origins = self._history.get(path)
            if origins:
                return origins[-1]
            if not path:
                return None
            path = path[:-1]

    def history(self, path: NodePath) -> list[Origin]:
        """Every origin that touched `path`, in the order the layers applied."""
        return list(self._history.get(path, ()))


class Recorder:
    """Collects origins while a bundle is merged, scoped per entity so removals are cheap.

    A scope is ``()`` for top-level fields or ``(section, name)`` for an application, machine
    or SAAS entry; a sub-path is relative to its scope.
    """

    def __init__(self) -> None:
        self._scopes: dict[NodePath, dict[NodePath, list[Origin]]] = {}

    def record(self, scope: NodePath, sub: NodePath, origin: Origin) -> None:
        """Note that `origin` wrote ``scope + sub``."""
        self._scopes.setdefault(scope, {}).setdefault(sub, []).append(origin)

    def last(self, scope: NodePath, sub: NodePath) -> Origin | None:
        """The last origin recorded for ``scope + sub`` or its nearest ancestor in the scope."""
        table = self._scopes.get(scope, {})
        while True:
            origins = table.get(sub)
            if origins:
                return origins[-1]
            if not sub:
                return None
            sub = sub[:-1]

    def drop(self, scope: NodePath, sub: NodePath = ()) -> None:
        """Forget ``scope + sub`` and everything below it (the value no longer exists)."""
        if not sub:
            self._scopes.pop(scope, None)
            return
        table = self._scopes.get(scope, {})
        for key in [key for key in table if key[: len(sub)] == sub]:
            del table[key]

    def rename(self, scope: NodePath, old: str, new: str) -> None:
        """Move the records of field `old` of `scope` to field `new`."""
        table = self._scopes.get(scope, {})
        for key in [key for key in table if key[:1] == (old,)]:
            table[(new, *key[1:])] = table.pop(key)

    def freeze(self, extra: Mapping[NodePath, list[Origin]]) -> Provenance:
        """The final :class:`Provenance`, plus `extra` full paths (relations)."""
        history: dict[NodePath, list[Origin]] = {}
        for scope, table in self._scopes.items():
            for sub, origins in table.items():
                history[(*scope, *sub)] = origins
        history.update(extra)
        return Provenance(history)
