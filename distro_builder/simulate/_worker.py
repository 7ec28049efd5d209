# pyright: reportMissingImports=false
# (this file runs in a charm's environment, where `ops` and the charm's modules are found)
"""One charm's units under ops.testing, driven over stdin/stdout (a child process per charm).

This file runs in the charm's own environment (its locked dependencies, with `ops[testing]`),
with only the charm's `src/` and `lib/` on the path, as `dispatch` runs the packed charm: nine
charms whose entry module is `charm` cannot share one interpreter. It imports nothing of
distro-builder. The simulator sends one JSON request per line and reads one JSON answer:

    {"op": "init", "app": "nbi", "charm_root": "...", "standins": "... or null"}
    {"op": "run", "jobs": [{"unit": 0, "event": {...}, "world": {...}}, ...]}

A `world` is what Juju shows the unit before the hook (leadership, config, relations with the
other side's databags, the secrets it may read); the answer is what the unit left behind
(statuses, its own databags, the secrets it owns, its tracked revisions, opened ports) or the
hook's error. Each unit's State (containers, stored state) stays here between hooks.

Workload stand-ins: `charms/<charm>/tests/unit/workload_standins.py` (the charm's one
documented place, which its unit tests use too), when present, defines `Workload`, whose
instance (one per application, shared by its units) answers for the workload:
`prepare(unit, container, root) -> container` before a hook (exec answers, check states),
`observe(unit, container, commands, root)` after it (the commands the charm ran); `root` is
the directory that stands for the container's file system. A stand-in whose `observe` also
takes `environments` gets each command's environment (in order), where a charm passes the
parameters it keeps off command lines (passwords): they stay in this process.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import json
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import ops
from ops import testing

logging.disable(logging.CRITICAL)  # the charm's logs are not the simulator's output


class Charm:
    """One application's charm: its type, the units' States and the workload stand-in."""

    def __init__(self, app: str, charm_root: Path, standins: Path | None) -> None:
        sys.path[:0] = [str(charm_root / "lib"), str(charm_root / "src")]
        # The stand-ins are test code: they may use the shared test builders (a module that
        # cannot shadow anything of the charm's), found last.
        sys.path.append(str(charm_root.parent / "_testing"))
        import charm

        [self.charm_type] = [
            value
            for value in vars(charm).values()
            if inspect.isclass(value)
            and issubclass(value, ops.CharmBase)
            and value.__module__ == "charm"
        ]
        self.app = app
        self.charm_root = charm_root
        self.workload = _load_standins(standins)
        self.states: dict[int, testing.State] = {}
        self.contexts: dict[int, testing.Context[Any]] = {}
        # charmcraft.yaml read once; every unit's Context reuses it.
        self.spec = testing.Context(self.charm_type, app_name=app).charm_spec
        self.containers = list(self.spec.meta.get("containers") or {})
        self.storages = list(self.spec.meta.get("storage") or {})

    def context(self, unit: int, trusted: bool) -> testing.Context[Any]:
        """The unit's Context (one per unit, so exec histories stay apart)."""
        if unit not in self.contexts:
            self.contexts[unit] = testing.Context(
                self.charm_type,
                meta=dict(self.spec.meta),
                actions=dict(self.spec.actions or {}),
                config=dict(self.spec.config or {}),
                app_name=self.app,
                unit_id=unit,
                app_trusted=trusted,
            )
        return self.contexts[unit]

    def run(self, unit: int, event: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
        """Run one hook on `unit` and say what it left behind."""
        ctx = self.context(unit, bool(world.get("trusted")))
        state = self._state_for(unit, world, ctx)
        hook = event["kind"]
        try:
            trigger = _trigger(ctx, event, state)
            state_out = ctx.run(trigger, state)
        except Exception as error:  # a hook that raised: Juju puts the unit in error
            cause = error.__cause__ or error
            return {
                "error": {
                    "hook": hook,
                    "traceback": "".join(traceback.format_exception(cause)),
                }
            }
        finally:
            history = {name: list(calls) for name, calls in ctx.exec_history.items()}
            ctx.exec_history.clear()
        if self.workload is not None:
            for container in state_out.containers:
                calls = history.get(container.name, [])
                self._observe(unit, container, calls, container.get_filesystem(ctx))
        self.states[unit] = state_out
        return _answer(state_out, world)

    def _observe(
        self, unit: int, container: testing.Container, calls: list[Any], root: Path
    ) -> None:
        """Tell the stand-in what the charm ran (and in which environments, if it asks)."""
        commands = [list(call.command) for call in calls]
        if "environments" in inspect.signature(self.workload.observe).parameters:
            environments = [dict(call.environment) for call in calls]
            self.workload.observe(unit, container, commands, root, environments=environments)
        else:
            self.workload.observe(unit, container, commands, root)

    def _state_for(
        self, unit: int, world: dict[str, Any], ctx: testing.Context[Any]
    ) -> testing.State:
        """The unit's State as Juju shows it now: its own past plus `world`."""
        previous = self.states.get(unit)
        if previous is None:
            containers = {testing.Container(name, can_connect=True) for name in self.containers}
            storages = {testing.Storage(name) for name in self.storages}
            previous = testing.State(
                containers=containers,
                storages=storages,
                model=testing.Model(name=world.get("model", "osm")),
            )
        containers = previous.containers
        if self.workload is not None:
            containers = {
                self.workload.prepare(unit, c, c.get_filesystem(ctx)) for c in containers
            }
        return dataclasses.replace(
            previous,
            leader=bool(world["leader"]),
            config=world.get("config", {}),
            relations=_relations(world["relations"]),
            secrets=_secrets(world["secrets"]),
            containers=containers,
            planned_units=int(world.get("planned_units", 1)),
        )


def _load_standins(path: Path | None) -> Any:
    """The charm's `Workload` stand-in (None when the charm declares none)."""
    if path is None or not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("_charm_standins", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Workload()


def _relations(relations: list[dict[str, Any]]) -> set[testing.RelationBase]:
    built: set[testing.RelationBase] = set()
    for rel in relations:
        remote_units = {int(k): v for k, v in rel["remote_units_data"].items()}
        local = {
            "id": rel["id"],
            "local_app_data": rel["local_app_data"],
            "local_unit_data": rel["local_unit_data"],
        }
        if rel.get("peer"):
            relation: testing.RelationBase = testing.PeerRelation(
                rel["endpoint"], rel["interface"], peers_data=remote_units, **local
            )
        else:
            relation = testing.Relation(
                rel["endpoint"],
                rel["interface"],
                remote_app_name=rel["remote_app"],
                remote_app_data=rel["remote_app_data"],
                remote_units_data=remote_units,
                **local,
            )
        built.add(relation)
    return built


def _secrets(secrets: list[dict[str, Any]]) -> set[testing.Secret]:
    return {
        testing.Secret(
            secret["tracked"],
            latest_content=secret["latest"],
            id=secret["id"],
            owner=secret["owner"],
            label=secret.get("label"),
            remote_grants={int(k): v for k, v in (secret.get("grants") or {}).items()},
        )
        for secret in secrets
    }


def _trigger(ctx: testing.Context[Any], event: dict[str, Any], state: testing.State) -> Any:
    """The ops.testing trigger of `event` in `state`."""
    kind = event["kind"]
    on = ctx.on
    if kind.startswith("relation-"):
        relation = state.get_relation(event["relation"])
        name = kind.replace("-", "_")
        if kind in ("relation-created", "relation-broken"):
            return getattr(on, name)(relation)
        if kind == "relation-departed":
            return on.relation_departed(
                relation,
                remote_unit=event.get("remote_unit"),
                departing_unit=event.get("departing_unit"),
            )
        return getattr(on, name)(relation, remote_unit=event.get("remote_unit"))
    if kind == "pebble-ready":
        return on.pebble_ready(state.get_container(event["container"]))
    if kind == "storage-attached":
        [storage] = [s for s in state.storages if s.name == event["storage"]]
        return on.storage_attached(storage)
    if kind in ("secret-changed", "secret-rotate"):
        return getattr(on, kind.replace("-", "_"))(state.get_secret(id=event["secret"]))
    return getattr(on, kind.replace("-", "_"))()


def _answer(state: testing.State, world: dict[str, Any]) -> dict[str, Any]:
    """What the unit left behind, in the simulator's terms."""
    relations = {}
    for relation in state.relations:
        relations[str(relation.id)] = {
            "app": dict(relation.local_app_data),
            "unit": dict(relation.local_unit_data),
        }
    owned, tracked = [], {}
    for secret in state.secrets:
        if secret.owner is not None:
            owned.append(
                {
                    "id": secret.id,
                    "owner": secret.owner,
                    "content": dict(secret.latest_content),
                    "label": secret.label,
                    "grants": {str(k): sorted(v) for k, v in secret.remote_grants.items()},
                }
            )
        else:
            tracked[secret.id] = dict(secret.tracked_content)
    return {
        "unit_status": [state.unit_status.name, state.unit_status.message],
        "app_status": [state.app_status.name, state.app_status.message]
        if world["leader"]
        else None,
        "workload_version": state.workload_version,
        "relations": relations,
        "secrets": owned,
        "tracked": tracked,
        "ports": sorted([port.protocol, port.port] for port in state.opened_ports),
        "services": {
            container.name: {
                name: str(status.value) for name, status in container.service_statuses.items()
            }
            for container in state.containers
        },
        "environment": _environments(state),
    }


def _environments(state: testing.State) -> dict[str, dict[str, str]]:
    """Each planned service's environment (for checks that a value reached the workload)."""
    environments: dict[str, dict[str, str]] = {}
    for container in state.containers:
        plan = container.plan.to_dict()
        for name, service in (plan.get("services") or {}).items():
            environments[f"{container.name}/{name}"] = dict(service.get("environment") or {})
    return environments


def main() -> None:
    """Answer requests until stdin closes."""
    charm: Charm | None = None
    out = sys.stdout
    sys.stdout = sys.stderr  # whatever the charm prints must not corrupt the protocol
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "init":
            standins = request.get("standins")
            charm = Charm(
                request["app"], Path(request["charm_root"]), Path(standins) if standins else None
            )
            answer: Any = {"ok": True}
        else:
            assert charm is not None
            answer = [
                charm.run(job["unit"], job["event"], job["world"]) for job in request["jobs"]
            ]
        out.write(json.dumps(answer) + "\n")
        out.flush()
    # Nothing is left to write: skip the interpreter's teardown (tens of ms per charm).
    os._exit(0)


if __name__ == "__main__":
    main()
