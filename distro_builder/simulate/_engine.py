"""Juju, as far as charms can tell: units, hooks in Juju's order, databags and secrets.

The engine keeps what Juju keeps (who leads, each relation's databags, each secret's
revisions and grants, which remote units each unit has seen join) and dispatches hooks in
rounds: in each round every unit with pending hooks runs its next one (units run at the same
time, as under Juju; their writes apply after the round, in unit order, so a run is
deterministic). After each hook it carries what the unit wrote to the units that see it and
queues `relation-changed` or `secret-changed` there when their view changed, until nothing is
pending (settled) or a bound is hit (a hook loop).

Relation hooks follow Juju's uniter (juju/juju worker/uniter/relation/resolver.go,
`nextHookForRelation`): `relation-changed` follows each `relation-joined` at once; a change
of the remote application's databag is a `relation-changed` of its own (no remote unit),
run before the relation's pending joins and unit changes; changes that arrive while a hook
for the same databag is pending fold into it.
"""

from __future__ import annotations

import itertools
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from distro_builder.simulate._model import (
    AppReport,
    AppSpec,
    Deployment,
    Event,
    RelationSpec,
    UnitReport,
)

SEVERITY = ("error", "blocked", "maintenance", "waiting", "active", "unknown")
DEFAULT_MAX_ROUNDS = 400
LOOP_WINDOW = 30
RELATION_HOOKS = ("relation-joined", "relation-changed")  # what an application change precedes


class Runner(Protocol):
    """What runs hooks: a `WorkerPool`, or a test double in the engine's own tests."""

    def run(self, jobs: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        """Run each application's jobs in order; the answers by application."""
        ...


class HookLoopError(Exception):
    """The distribution did not settle within the bound: these hooks kept firing."""

    def __init__(self, rounds: int, repeating: list[tuple[str, int]]) -> None:
        self.rounds = rounds
        self.repeating = repeating
        shown = ", ".join(f"{hook} x{count}" for hook, count in repeating[:8])
        super().__init__(f"no settling after {rounds} rounds; hooks that kept firing: {shown}")


@dataclass
class Unit:
    """One unit as Juju tracks it."""

    app: str
    number: int
    leader: bool = False
    queue: deque[Event] = field(default_factory=deque)
    status: tuple[str, str] = ("unknown", "")
    app_status: tuple[str, str] | None = None
    error: dict[str, str] | None = None
    environment: dict[str, dict[str, str]] = field(default_factory=dict)
    ports: list[list[Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """`app/number`."""
        return f"{self.app}/{self.number}"

    def enqueue(self, event: Event) -> None:
        """Queue `event` unless the same one is already pending (Juju coalesces them).

        A change of a remote application's databag goes before the relation's pending joins
        and unit changes, as Juju runs it; not before the `relation-changed` that follows a
        join, which Juju runs first of all.
        """
        if self.error is not None or event in self.queue:
            return
        if event.remote_app is None:
            self.queue.append(event)
            return
        for index, pending in enumerate(self.queue):
            same_relation = pending.relation == event.relation and pending.kind in RELATION_HOOKS
            follows_a_join = index == 0 and pending.kind == "relation-changed"
            if same_relation and not follows_a_join:
                self.queue.insert(index, event)
                return
        self.queue.append(event)


@dataclass
class Relation:
    """A relation and its databags."""

    id: int
    spec: RelationSpec
    interface: str
    peer: bool
    app_data: dict[str, dict[str, str]] = field(default_factory=dict)
    unit_data: dict[str, dict[str, str]] = field(default_factory=dict)
    joined: set[tuple[str, str]] = field(default_factory=set)  # (observer, remote unit)
    in_scope: set[str] = field(default_factory=set)  # units that ran relation-created

    def apps(self) -> tuple[str, str]:
        """The two applications (the same one twice for peers)."""
        return self.spec.first[0], self.spec.second[0]

    def endpoint_of(self, app: str) -> str:
        """The endpoint `app` takes part with."""
        return self.spec.first[1] if self.spec.first[0] == app else self.spec.second[1]

    def other_app(self, app: str) -> str:
        """The application on the other side of `app`."""
        first, second = self.apps()
        return second if first == app else first


@dataclass
class Secret:
    """A secret's revisions, owner and grants, and which revision each consumer tracks."""

    id: str
    owner_app: str
    owner_unit: str | None
    revisions: list[dict[str, str]]
    label: str | None = None
    grants: dict[int, set[str]] = field(default_factory=dict)
    tracked: dict[str, int] = field(default_factory=dict)
    notified: dict[str, int] = field(default_factory=dict)

    @property
    def latest(self) -> int:
        """The index of the latest revision."""
        return len(self.revisions) - 1


@dataclass
class Counters:
    """Hooks fired, per application and per (unit, relation) for relation-changed."""

    hooks: Counter[str] = field(default_factory=Counter)
    relation_changed: Counter[tuple[str, int]] = field(default_factory=Counter)
    relation_changed_from: Counter[tuple[str, int, int | str | None]] = field(
        default_factory=Counter
    )
    relation_joined: Counter[tuple[str, int]] = field(default_factory=Counter)
    rounds: int = 0


class Engine:
    """Deploy a `Deployment`, settle it, and apply day-2 changes."""

    def __init__(
        self, deployment: Deployment, runner: Runner, *, max_rounds: int = DEFAULT_MAX_ROUNDS
    ) -> None:
        self.deployment = deployment
        self.apps: dict[str, AppSpec] = dict(deployment.applications)
        self.config: dict[str, dict[str, Any]] = {
            name: dict(app.config) for name, app in self.apps.items()
        }
        self.runner = runner
        self.max_rounds = max_rounds
        self.units: dict[str, Unit] = {}
        self.relations: dict[int, Relation] = {}
        self.secrets: dict[str, Secret] = {}
        self.counters = Counters()
        self._relation_ids = itertools.count(0)
        self._unit_numbers: dict[str, itertools.count[int]] = {}

    # Deploying

    def deploy(self) -> None:
        """Deploy every application and relation, then settle, then update-status."""
        for app in self.apps.values():
            for _ in range(app.units):
                self._add_unit(app)
        for app in self.apps.values():
            for endpoint, spec in app.endpoints.items():
                if spec.role == "peers" and app.simulated:
                    self._add_relation(RelationSpec((app.name, endpoint), (app.name, endpoint)))
        for relation in self.deployment.relations:
            self._add_relation(relation)
        self.settle()
        self.update_status()

    def update_status(self) -> None:
        """Fire update-status on every unit and settle."""
        for unit in self._simulated_units():
            unit.enqueue(Event("update-status"))
        self.settle()

    def _add_unit(self, app: AppSpec) -> Unit:
        numbers = self._unit_numbers.setdefault(app.name, itertools.count(0))
        unit = Unit(app.name, next(numbers))
        unit.leader = not any(u.leader for u in self._units_of(app.name))
        self.units[unit.name] = unit
        if not app.simulated:
            return unit
        for storage in app.storages:
            unit.enqueue(Event("storage-attached", storage=storage))
        unit.enqueue(Event("install"))
        if unit.leader:
            unit.enqueue(Event("leader-elected"))
        unit.enqueue(Event("config-changed"))
        unit.enqueue(Event("start"))
        for container in app.containers:
            unit.enqueue(Event("pebble-ready", container=container))
        return unit

    def _add_relation(self, spec: RelationSpec) -> Relation:
        first, second = spec.first[0], spec.second[0]
        endpoint = self.apps[first].endpoints[spec.first[1]]
        relation = Relation(next(self._relation_ids), spec, endpoint.interface, first == second)
        self.relations[relation.id] = relation
        for app in {first, second}:
            if not self.apps[app].simulated:
                self._write_external_data(relation, app)
        for unit in self._units_of(first) + ([] if first == second else self._units_of(second)):
            self._create(relation, unit)
        return relation

    def _create(self, relation: Relation, unit: Unit) -> None:
        """Queue relation-created; a unit of a charm that is not simulated is in scope at once."""
        if self.apps[unit.app].simulated:
            unit.enqueue(Event("relation-created", relation=relation.id))
        else:
            self._enter_scope(relation, unit)

    def _enter_scope(self, relation: Relation, unit: Unit) -> None:
        """`unit` ran relation-created: it and the units already in scope see each other join.

        As under Juju, a unit enters a relation's scope after its relation-created hook, so
        what it wrote there is there when the other side's relation-joined runs.
        """
        relation.in_scope.add(unit.name)
        for remote in self._remote_units(relation, unit):
            if remote.name in relation.in_scope:
                self._join(relation, remote, unit)
                self._join(relation, unit, remote)

    def _write_external_data(self, relation: Relation, app: str) -> None:
        """An external charm's documented provider data, as if it had written it."""
        provided = (self.apps[app].provided or {}).get(relation.endpoint_of(app))
        if provided is None:
            return
        relation.app_data[app] = dict(provided.app_data)
        for unit in self._units_of(app):
            relation.unit_data[unit.name] = dict(provided.unit_data)

    def _join(self, relation: Relation, observer: Unit, remote: Unit) -> None:
        """Queue relation-joined then relation-changed for `remote` on `observer`."""
        if not self.apps[observer.app].simulated:
            return
        observer.enqueue(Event("relation-joined", relation=relation.id, remote_unit=remote.number))
        observer.enqueue(
            Event("relation-changed", relation=relation.id, remote_unit=remote.number)
        )

    def _remote_units(self, relation: Relation, unit: Unit) -> list[Unit]:
        """The units `unit` sees on the other side of `relation` (its peers, for peers)."""
        if relation.peer:
            return [u for u in self._units_of(unit.app) if u is not unit]
        return self._units_of(relation.other_app(unit.app))

    # Settling

    def settle(self) -> None:
        """Run hooks in rounds until none is pending.

        Raises:
            HookLoopError: when `max_rounds` rounds pass with hooks still pending.
        """
        recent: deque[list[str]] = deque(maxlen=LOOP_WINDOW)
        rounds = 0
        while batch := {u.name: u.queue.popleft() for u in self.units.values() if u.queue}:
            rounds += 1
            if rounds > self.max_rounds:
                fired = Counter(hook for hooks in recent for hook in hooks)
                raise HookLoopError(self.max_rounds, fired.most_common())
            recent.append([f"{name} {event}" for name, event in sorted(batch.items())])
            self._run_round(batch)
        self.counters.rounds += rounds

    def _run_round(self, batch: Mapping[str, Event]) -> None:
        jobs: dict[str, list[dict[str, Any]]] = {}
        order: dict[str, list[str]] = {}
        for name in sorted(batch):
            unit, event = self.units[name], batch[name]
            self._before(unit, event)
            jobs.setdefault(unit.app, []).append(
                {"unit": unit.number, "event": event.as_json(), "world": self._world(unit)}
            )
            order.setdefault(unit.app, []).append(name)
        answers = self.runner.run(jobs)
        for app, names in order.items():
            for name, answer in zip(names, answers[app], strict=True):
                self._apply(self.units[name], batch[name], answer)

    def _before(self, unit: Unit, event: Event) -> None:
        """What Juju records as the hook starts: a remote unit joining becomes visible."""
        self.counters.hooks[unit.app] += 1
        if event.relation is None or event.relation not in self.relations:
            return
        relation = self.relations[event.relation]
        if event.kind == "relation-changed":
            self.counters.relation_changed[(unit.name, relation.id)] += 1
            key = (unit.name, relation.id, event.remote_app or event.remote_unit)
            self.counters.relation_changed_from[key] += 1
        if event.kind == "relation-joined" and event.remote_unit is not None:
            self.counters.relation_joined[(unit.name, relation.id)] += 1
            remote_app = unit.app if relation.peer else relation.other_app(unit.app)
            relation.joined.add((unit.name, f"{remote_app}/{event.remote_unit}"))

    # What a unit sees

    def _world(self, unit: Unit) -> dict[str, Any]:
        """What Juju shows `unit` before its next hook."""
        return {
            "leader": unit.leader,
            "config": self.config[unit.app],
            "trusted": self.apps[unit.app].trust,
            "model": self.deployment.model,
            "planned_units": len(self._units_of(unit.app)),
            "relations": [
                self._relation_view(relation, unit)
                for relation in self.relations.values()
                if unit.app in relation.apps()
            ],
            "secrets": self._secret_views(unit),
        }

    def _relation_view(self, relation: Relation, unit: Unit) -> dict[str, Any]:
        remote_units = {
            str(remote.number): relation.unit_data.get(remote.name, {})
            for remote in self._remote_units(relation, unit)
            if (unit.name, remote.name) in relation.joined
        }
        view: dict[str, Any] = {
            "id": relation.id,
            "endpoint": relation.endpoint_of(unit.app),
            "interface": relation.interface,
            "peer": relation.peer,
            "local_app_data": relation.app_data.get(unit.app, {})
            if unit.leader or relation.peer
            else {},
            "local_unit_data": relation.unit_data.get(unit.name, {}),
            "remote_units_data": remote_units,
        }
        if not relation.peer:
            other = relation.other_app(unit.app)
            view["remote_app"] = other
            view["remote_app_data"] = relation.app_data.get(other, {})
        return view

    def _secret_views(self, unit: Unit) -> list[dict[str, Any]]:
        views = []
        for secret in self.secrets.values():
            latest = secret.revisions[secret.latest]
            if secret.owner_unit == unit.name or (
                secret.owner_unit is None and secret.owner_app == unit.app
            ):
                owner = "unit" if secret.owner_unit else "app"
                grants = {str(k): sorted(v) for k, v in secret.grants.items()}
                views.append(
                    {
                        "id": secret.id,
                        "owner": owner,
                        "tracked": latest,
                        "latest": latest,
                        "label": secret.label,
                        "grants": grants,
                    }
                )
            elif self._granted(secret, unit):
                tracked = secret.revisions[secret.tracked.get(unit.name, secret.latest)]
                views.append(
                    {"id": secret.id, "owner": None, "tracked": tracked, "latest": latest}
                )
        return views

    def _granted(self, secret: Secret, unit: Unit) -> bool:
        return any(
            relation_id in self.relations and (unit.app in names or unit.name in names)
            for relation_id, names in secret.grants.items()
        )

    # What a unit wrote

    def _apply(self, unit: Unit, event: Event, answer: Mapping[str, Any]) -> None:
        if "error" in answer:
            unit.error = answer["error"]
            unit.status = ("error", f'hook failed: "{answer["error"]["hook"]}"')
            unit.queue.clear()
            return
        unit.status = tuple(answer["unit_status"])  # type: ignore[assignment]
        if answer.get("app_status") is not None:
            unit.app_status = tuple(answer["app_status"])  # type: ignore[assignment]
        unit.environment = answer.get("environment", {})
        unit.ports = answer.get("ports", [])
        if event.kind == "relation-broken":
            return
        if event.kind == "relation-created" and event.relation in self.relations:
            self._enter_scope(self.relations[event.relation], unit)
        for relation_id, data in answer["relations"].items():
            relation = self.relations.get(int(relation_id))
            if relation is not None:
                self._store_databags(unit, relation, data)
        self._store_secrets(unit, answer)

    def _store_databags(self, unit: Unit, relation: Relation, data: Mapping[str, Any]) -> None:
        if data["unit"] != relation.unit_data.get(unit.name, {}):
            relation.unit_data[unit.name] = dict(data["unit"])
            for observer in self._observers(relation, unit):
                if (observer.name, unit.name) in relation.joined:
                    observer.enqueue(
                        Event("relation-changed", relation=relation.id, remote_unit=unit.number)
                    )
        if unit.leader and data["app"] != relation.app_data.get(unit.app, {}):
            relation.app_data[unit.app] = dict(data["app"])
            for observer in self._observers(relation, unit):
                self._app_changed(relation, observer, unit.app)

    def _app_changed(self, relation: Relation, observer: Unit, app: str) -> None:
        """Queue relation-changed for `app`'s databag on `observer` (Juju: no remote unit).

        Before `observer` has seen a remote unit join, Juju would run it too, but ops.testing
        cannot dispatch a relation-changed without a remote unit: the relation-changed that
        follows the first join shows the databag instead.
        """
        if any(seen == observer.name for seen, _ in relation.joined):
            observer.enqueue(Event("relation-changed", relation=relation.id, remote_app=app))

    def _observers(self, relation: Relation, unit: Unit) -> list[Unit]:
        """The simulated units that see what `unit` writes on `relation`."""
        if relation.peer:
            return [u for u in self._simulated_units((unit.app,)) if u is not unit]
        return self._simulated_units((relation.other_app(unit.app),))

    def _store_secrets(self, unit: Unit, answer: Mapping[str, Any]) -> None:
        owned_ids = set()
        for item in answer["secrets"]:
            if item["owner"] == "app" and not unit.leader:
                continue
            owned_ids.add(item["id"])
            secret = self.secrets.get(item["id"])
            if secret is None:
                secret = Secret(
                    item["id"],
                    unit.app,
                    unit.name if item["owner"] == "unit" else None,
                    [item["content"]],
                )
                self.secrets[secret.id] = secret
            elif item["content"] != secret.revisions[secret.latest]:
                secret.revisions.append(item["content"])
            secret.label = item["label"]
            secret.grants = {int(k): set(v) for k, v in item["grants"].items()}
        for secret in list(self.secrets.values()):
            mine = secret.owner_unit == unit.name or (
                unit.leader and secret.owner_unit is None and secret.owner_app == unit.app
            )
            if mine and secret.id not in owned_ids:
                del self.secrets[secret.id]  # the owner removed it
        for secret_id, content in answer["tracked"].items():
            secret = self.secrets.get(secret_id)
            if secret is not None and content in secret.revisions:
                secret.tracked[unit.name] = secret.revisions.index(content)
        self._notify_secret_changes()

    def _notify_secret_changes(self) -> None:
        """Queue secret-changed for consumers that track an older revision than the latest."""
        for secret in self.secrets.values():
            for unit_name, revision in secret.tracked.items():
                unit = self.units.get(unit_name)
                if (
                    unit is not None
                    and revision < secret.latest
                    and secret.notified.get(unit_name, 0) < secret.latest
                    and self._granted(secret, unit)
                ):
                    secret.notified[unit_name] = secret.latest
                    unit.enqueue(Event("secret-changed", secret=secret.id))

    # Day 2

    def remove_relation(self, relation: Relation) -> None:
        """Depart every unit from every other, break the relation on both sides, drop it."""
        for observer in self._simulated_units(relation.apps()):
            for remote in self._remote_units(relation, observer):
                self._depart(relation, observer, remote, departing=remote)
            observer.enqueue(Event("relation-broken", relation=relation.id))
        self.settle()
        del self.relations[relation.id]
        self.settle()

    def add_relation(self, spec: RelationSpec) -> Relation:
        """Add a relation (created, joined and changed on both sides) and settle."""
        relation = self._add_relation(spec)
        self.settle()
        return relation

    def set_config(self, app: str, values: Mapping[str, Any], unset: Iterable[str]) -> None:
        """Change options of `app` (config-changed on every unit) and settle."""
        config = self.config[app]
        config.update(values)
        for key in unset:
            config.pop(key, None)
        for unit in self._simulated_units((app,)):
            unit.enqueue(Event("config-changed"))
        self.settle()

    def upgrade_charm(self, app: str) -> None:
        """Fire upgrade-charm (then config-changed, as Juju does) on every unit; settle."""
        for unit in self._simulated_units((app,)):
            unit.enqueue(Event("upgrade-charm"))
            unit.enqueue(Event("config-changed"))
        self.settle()

    def scale(self, app: str, units: int, *, leader: int | None = None) -> None:
        """Add or remove units of `app` (the highest numbers go first); settle.

        `leader` moves leadership to that unit (leader-elected there) after scaling.
        """
        spec = self.apps[app]
        current = self._units_of(app)
        for unit in current[units:][::-1]:
            self._remove_unit(unit)
        for _ in range(units - len(current)):
            unit = self._add_unit(spec)
            for relation in self.relations.values():
                if app in relation.apps():
                    self._create(relation, unit)
        if leader is not None or not any(u.leader for u in self._units_of(app)):
            self._elect(app, leader)
        self.settle()

    def _remove_unit(self, unit: Unit) -> None:
        for relation in self.relations.values():
            if unit.app not in relation.apps():
                continue
            for observer in self._observers(relation, unit):
                self._depart(relation, observer, unit, departing=unit)
            for remote in self._remote_units(relation, unit):
                self._depart(relation, unit, remote, departing=unit)
            unit.enqueue(Event("relation-broken", relation=relation.id))
        unit.enqueue(Event("stop"))
        unit.enqueue(Event("remove"))
        self.settle()
        for relation in self.relations.values():
            relation.unit_data.pop(unit.name, None)
            relation.joined = {pair for pair in relation.joined if unit.name not in pair}
            relation.in_scope.discard(unit.name)
        del self.units[unit.name]

    def _depart(self, relation: Relation, observer: Unit, remote: Unit, departing: Unit) -> None:
        """Queue relation-departed for `remote` on `observer`, if it had seen `remote` join."""
        if (observer.name, remote.name) in relation.joined:
            observer.enqueue(
                Event(
                    "relation-departed",
                    relation=relation.id,
                    remote_unit=remote.number,
                    departing_unit=departing.number,
                )
            )

    def _elect(self, app: str, number: int | None) -> None:
        units = self._units_of(app)
        if not units:
            return
        chosen = next((u for u in units if u.number == number), units[0])
        for unit in units:
            unit.leader = unit is chosen
        if self.apps[app].simulated:
            chosen.enqueue(Event("leader-elected"))

    # Reading the outcome

    def report(self) -> list[AppReport]:
        """Every application and unit as they ended, in name order."""
        reports = []
        for name, spec in sorted(self.apps.items()):
            units = self._units_of(name)
            app = AppReport(
                name,
                spec.charm,
                spec.simulated,
                documented=spec.provided is not None,
                hooks=self.counters.hooks[name],
            )
            for unit in units:
                app.units.append(
                    UnitReport(
                        unit.name,
                        unit.status[0],
                        unit.status[1],
                        error=unit.error["hook"] if unit.error else None,
                        traceback=unit.error["traceback"] if unit.error else None,
                        leader=unit.leader,
                        environment=unit.environment,
                        ports=tuple(f"{port}/{protocol}" for protocol, port in unit.ports),
                    )
                )
            app.status, app.message = self._app_status(units)
            reports.append(app)
        return reports

    def _app_status(self, units: list[Unit]) -> tuple[str, str]:
        """The leader's application status, else the most severe unit status (as Juju)."""
        leader = next((u for u in units if u.leader), None)
        if leader is not None and leader.app_status and leader.app_status[0] != "unknown":
            return leader.app_status
        statuses = [u.status for u in units]
        return min(statuses, key=lambda s: SEVERITY.index(s[0]), default=("unknown", ""))

    def find_relation(
        self, first: tuple[str, str | None], second: tuple[str, str | None]
    ) -> Relation | None:
        """The relation between two `app[:endpoint]`s, either way round."""
        for relation in self.relations.values():
            if relation.peer:
                continue
            ends = (relation.spec.first, relation.spec.second)
            for a, b in (ends, ends[::-1]):
                if _matches(a, first) and _matches(b, second):
                    return relation
        return None

    # Helpers

    def _units_of(self, app: str) -> list[Unit]:
        return sorted(
            (u for u in self.units.values() if u.app == app), key=lambda unit: unit.number
        )

    def _simulated_units(self, apps: Iterable[str] | None = None) -> list[Unit]:
        wanted = set(apps) if apps is not None else set(self.apps)
        return [
            unit
            for name in sorted(wanted)
            if self.apps[name].simulated
            for unit in self._units_of(name)
        ]


def _matches(end: tuple[str, str], wanted: tuple[str, str | None]) -> bool:
    return end[0] == wanted[0] and (wanted[1] is None or end[1] == wanted[1])
