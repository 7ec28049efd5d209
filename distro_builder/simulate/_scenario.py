"""Day-2 scenarios: steps applied after settling, each followed by settling and expectations.

A scenario file (YAML) reads:

    expect: {all: active}                 # after the deployment settled (optional)
    steps:
      - remove-relation: [nbi:mongodb, mongodb]
        expect: {nbi: {status: blocked, message: need mongodb relation}}
      - add-relation: [nbi:mongodb, mongodb]
        expect: {nbi: active}
      - config: {app: mon, set: {log-level: DEBUG}, unset: [prometheus-url]}
      - scale: {app: mongodb, units: 3, leader: 1}
      - rotate-secret: {app: mongodb}     # secret-rotate for every secret the app owns
      - upgrade-charm: {app: nbi}

An expectation names an application (every unit of it) or `all` (every simulated unit) and a
status, or a mapping of `status`, `message` (exact) or `message-contains`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distro_builder.core import Diagnostic, Document, InputError, Origin, load
from distro_builder.simulate._engine import Engine
from distro_builder.simulate._model import Event, RelationSpec

ALL = "all"
STATUSES = ("active", "blocked", "maintenance", "waiting", "error", "unknown")
STEP_KINDS = (
    "remove-relation",
    "add-relation",
    "config",
    "scale",
    "rotate-secret",
    "upgrade-charm",
)


@dataclass(frozen=True)
class Expectation:
    """What every unit of `target` (an application, or `all`) should show."""

    target: str
    origin: Origin
    status: str | None = None
    message: str | None = None
    message_contains: str | None = None


@dataclass(frozen=True)
class Step:
    """One day-2 step and what should hold once it settled."""

    kind: str
    arguments: Any
    origin: Origin
    expect: tuple[Expectation, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """A scenario file: expectations after deploying, then the steps."""

    path: str
    expect: tuple[Expectation, ...] = ()
    steps: tuple[Step, ...] = ()


@dataclass
class Mismatch:
    """An expectation a unit did not meet."""

    expectation: Expectation
    unit: str
    found: str

    def diagnostic(self) -> Diagnostic:
        """The mismatch at the expectation's position."""
        wanted = " ".join(
            part
            for part in (
                self.expectation.status,
                repr(self.expectation.message) if self.expectation.message is not None else None,
                f"containing {self.expectation.message_contains!r}"
                if self.expectation.message_contains
                else None,
            )
            if part
        )
        return Diagnostic(
            f"{self.unit}: expected {wanted}, found {self.found}", self.expectation.origin
        )


def read_scenario(path: Path, display: str | None = None) -> Scenario:
    """Parse a scenario file; raise :class:`InputError` with every problem."""
    documents = load(path, display)
    if len(documents) != 1 or not isinstance(documents[0].value, dict):
        raise InputError([Diagnostic("a scenario is one YAML mapping", path=display or str(path))])
    reader = _Reader(documents[0])
    scenario = reader.scenario()
    if reader.diagnostics:
        raise InputError(reader.diagnostics)
    return scenario


class _Reader:
    """Reads one scenario document, collecting every problem with its position."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.diagnostics: list[Diagnostic] = []

    def error(self, path: tuple[Any, ...], message: str) -> None:
        self.diagnostics.append(Diagnostic(message, self.document.origin(path)))

    def scenario(self) -> Scenario:
        value = self.document.value
        for key in value:
            if key not in ("expect", "steps", "description"):
                self.error((key,), f'unknown key "{key}": use expect, steps, description')
        steps = value.get("steps") or []
        if not isinstance(steps, list):
            self.error(("steps",), "steps: expected a list")
            steps = []
        return Scenario(
            self.document.source.display,
            self.expectations(value.get("expect"), ("expect",)),
            tuple(
                step
                for index, item in enumerate(steps)
                if (step := self.step(item, ("steps", index))) is not None
            ),
        )

    def step(self, item: Any, path: tuple[Any, ...]) -> Step | None:
        if not isinstance(item, dict):
            self.error(path, f"a step is a mapping with one of {', '.join(STEP_KINDS)}")
            return None
        kinds = [key for key in item if key in STEP_KINDS]
        unknown = [key for key in item if key not in (*STEP_KINDS, "expect", "name")]
        for key in unknown:
            self.error((*path, key), f'unknown key "{key}": use one of {", ".join(STEP_KINDS)}')
        if len(kinds) != 1:
            self.error(path, f"a step has exactly one of {', '.join(STEP_KINDS)}")
            return None
        kind = kinds[0]
        arguments = item[kind]
        if not _ARGUMENT_CHECKS[kind](arguments):
            self.error((*path, kind), f"{kind}: {_ARGUMENT_HINTS[kind]}")
            return None
        return Step(
            kind,
            arguments,
            self.document.origin((*path, kind)),
            self.expectations(item.get("expect"), (*path, "expect")),
        )

    def expectations(self, value: Any, path: tuple[Any, ...]) -> tuple[Expectation, ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.error(path, "expect: a mapping of application (or all) to status")
            return ()
        found = []
        for target, wanted in value.items():
            where = self.document.origin((*path, target))
            if isinstance(wanted, str) and wanted in STATUSES:
                found.append(Expectation(target, where, status=wanted))
            elif isinstance(wanted, dict) and set(wanted) <= {
                "status",
                "message",
                "message-contains",
            }:
                status = wanted.get("status")
                if status is not None and status not in STATUSES:
                    self.error((*path, target, "status"), f"status: one of {', '.join(STATUSES)}")
                found.append(
                    Expectation(
                        target,
                        where,
                        status=status,
                        message=wanted.get("message"),
                        message_contains=wanted.get("message-contains"),
                    )
                )
            else:
                self.error(
                    (*path, target),
                    f"{target}: a status ({', '.join(STATUSES)}) or "
                    "{status, message, message-contains}",
                )
        return tuple(found)


def _is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


def _is_app_step(value: Any, allowed: set[str]) -> bool:
    return isinstance(value, dict) and isinstance(value.get("app"), str) and set(value) <= allowed


def _is_scale(value: Any) -> bool:
    return (
        _is_app_step(value, {"app", "units", "leader"})
        and isinstance(value.get("units"), int)
        and value["units"] >= 1
        and isinstance(value.get("leader", 0), int)
    )


def _is_config(value: Any) -> bool:
    return (
        _is_app_step(value, {"app", "set", "unset"})
        and isinstance(value.get("set", {}), dict)
        and isinstance(value.get("unset", []), list)
    )


_ARGUMENT_CHECKS: Mapping[str, Callable[[Any], bool]] = {
    "remove-relation": _is_pair,
    "add-relation": _is_pair,
    "config": _is_config,
    "scale": _is_scale,
    "rotate-secret": lambda v: _is_app_step(v, {"app", "label"}),
    "upgrade-charm": lambda v: _is_app_step(v, {"app"}),
}
_ARGUMENT_HINTS = {
    "remove-relation": "two endpoints, [app:endpoint, app]",
    "add-relation": "two endpoints, [app:endpoint, app:endpoint]",
    "config": "{app: APP, set: {option: value}, unset: [option]}",
    "scale": "{app: APP, units: N (at least 1), leader: N (optional)}",
    "rotate-secret": "{app: APP, label: LABEL (optional)}",
    "upgrade-charm": "{app: APP}",
}


def run_step(engine: Engine, step: Step) -> str:
    """Apply one step to a settled engine and settle again; a label for reports.

    Raises:
        InputError: when the step names an application or relation the deployment lacks.
    """
    args = step.arguments
    if step.kind in ("remove-relation", "add-relation"):
        first, second = (_end(end) for end in args)
        for app, _ in (first, second):
            _known_app(engine, app, step)
        if step.kind == "remove-relation":
            relation = engine.find_relation(first, second)
            if relation is None:
                raise InputError([Diagnostic(f"no relation {args[0]} {args[1]}", step.origin)])
            engine.remove_relation(relation)
        else:
            engine.add_relation(_resolve(engine, first, second, step))
        return f"{step.kind} {args[0]} {args[1]}"
    app = args["app"]
    _known_app(engine, app, step)
    if step.kind == "config":
        engine.set_config(app, args.get("set", {}), args.get("unset", []))
    elif step.kind == "scale":
        engine.scale(app, args["units"], leader=args.get("leader"))
    elif step.kind == "upgrade-charm":
        engine.upgrade_charm(app)
    else:
        _rotate(engine, app, args.get("label"))
    return f"{step.kind} {app}"


def _rotate(engine: Engine, app: str, label: str | None) -> None:
    """Fire secret-rotate on the owner's leader for each of `app`'s secrets (or `label`'s)."""
    leader = next((u for u in engine.units.values() if u.app == app and u.leader), None)
    if leader is None:
        return
    for secret in list(engine.secrets.values()):
        if secret.owner_app == app and (label is None or secret.label == label):
            leader.enqueue(Event("secret-rotate", secret=secret.id))
    engine.settle()


def _end(text: str) -> tuple[str, str | None]:
    app, _, endpoint = text.partition(":")
    return app, endpoint or None


def _known_app(engine: Engine, app: str, step: Step) -> None:
    if app not in engine.apps:
        known = ", ".join(sorted(engine.apps))
        raise InputError(
            [Diagnostic(f'no application "{app}" in the distribution ({known})', step.origin)]
        )


def _resolve(
    engine: Engine, first: tuple[str, str | None], second: tuple[str, str | None], step: Step
) -> RelationSpec:
    """Both endpoints of a relation to add (an omitted one inferred by interface)."""
    ends = []
    for (app, endpoint), (other, other_endpoint) in ((first, second), (second, first)):
        if endpoint is not None:
            ends.append((app, endpoint))
            continue
        candidates = _matching_endpoints(engine, app, other, other_endpoint)
        if len(candidates) != 1:
            raise InputError(
                [Diagnostic(f"cannot tell which endpoint of {app} to relate", step.origin)]
            )
        ends.append((app, candidates[0]))
    return RelationSpec(ends[0], ends[1])


def _matching_endpoints(
    engine: Engine, app: str, other: str, other_endpoint: str | None
) -> list[str]:
    mine = engine.apps[app].endpoints
    theirs = engine.apps[other].endpoints
    wanted = {
        (spec.interface, spec.role)
        for name, spec in theirs.items()
        if other_endpoint is None or name == other_endpoint
    }
    opposite = {"provides": "requires", "requires": "provides"}
    return sorted(
        name
        for name, spec in mine.items()
        if spec.role != "peers"
        and any(spec.interface == i and opposite.get(role) == spec.role for i, role in wanted)
    )


def check(engine: Engine, expectations: tuple[Expectation, ...]) -> list[Mismatch]:
    """The expectations the settled engine does not meet."""
    reports = {app.name: app for app in engine.report()}
    mismatches = []
    for expectation in expectations:
        if expectation.target == ALL:
            units = [u for app in reports.values() if app.simulated for u in app.units]
        elif expectation.target in reports:
            units = reports[expectation.target].units
        else:
            mismatches.append(Mismatch(expectation, expectation.target, "no such application"))
            continue
        for unit in units:
            found = f"{unit.workload_status} {unit.message!r}"
            if (
                (expectation.status and unit.workload_status != expectation.status)
                or (expectation.message is not None and unit.message != expectation.message)
                or (
                    expectation.message_contains is not None
                    and expectation.message_contains not in unit.message
                )
            ):
                mismatches.append(Mismatch(expectation, unit.name, found))
    return mismatches
