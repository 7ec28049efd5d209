"""One simulation from deployment to settled, then the scenario's day-2 steps; the outcome."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from distro_builder.check import is_secret_name
from distro_builder.core import MASK, Diagnostic, redact
from distro_builder.simulate._engine import DEFAULT_MAX_ROUNDS, Engine, HookLoopError, Runner
from distro_builder.simulate._model import AppReport, Deployment
from distro_builder.simulate._scenario import Mismatch, Scenario, check, run_step


@dataclass(frozen=True, kw_only=True)
class RelationData:
    """One relation's databags as the simulation ended, secret content masked."""

    relation: str
    interface: str
    app_data: Mapping[str, Mapping[str, str]]
    unit_data: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True, kw_only=True)
class StepOutcome:
    """A step of the scenario (or the deployment itself) and the expectations it missed."""

    label: str
    mismatches: Sequence[Mismatch] = ()


@dataclass(frozen=True, kw_only=True)
class RelationChanged:
    """The relation-changed hooks one unit saw on one relation, by what Juju fired them for.

    Attributes:
        unit: the unit that saw them.
        relation: the relation, as `app:endpoint app:endpoint`.
        joins: the one that follows each remote unit's relation-joined.
        application: changes of the remote application's databag.
        units: later changes of a remote unit's databag.
    """

    unit: str
    relation: str
    joins: int
    application: int
    units: int

    @property
    def total(self) -> int:
        """Every relation-changed hook the unit saw on the relation."""
        return self.joins + self.application + self.units

    def __str__(self) -> str:
        return (
            f"{self.unit} on {self.relation}: {self.joins} after joins, {self.application} for "
            f"the application databag, {self.units} for unit databags"
        )


@dataclass(frozen=True, kw_only=True)
class Simulation:
    """How a simulated distribution ended.

    Attributes:
        applications: every application and unit, in name order.
        rounds: hook rounds run in all (a round runs one hook on every unit that has one).
        hooks: hooks fired per application.
        worst_relation_changed: the most relation-changed hooks one unit saw on one relation.
        worst_relation_changed_per_remote: the same, counted per remote unit (or the remote
            application's databag).
        busiest_relation: the unit and relation of `worst_relation_changed`, the hooks by cause.
        steps: the deployment, then each scenario step, with the expectations they missed.
        loop: the hook loop that stopped the simulation, if one did.
        data: every relation's databags (secret content masked).
    """

    applications: Sequence[AppReport]
    rounds: int
    hooks: Mapping[str, int]
    worst_relation_changed: int
    worst_relation_changed_per_remote: int = 0
    busiest_relation: RelationChanged | None = None
    steps: Sequence[StepOutcome] = ()
    loop: str | None = None
    data: Sequence[RelationData] = field(default_factory=list)
    secret_values: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def failed_units(self) -> list[str]:
        """Simulated units that are not active (a failed hook included)."""
        return [
            unit.name
            for app in self.applications
            if app.simulated
            for unit in app.units
            if unit.workload_status != "active"
        ]

    @property
    def settled(self) -> bool:
        """Every simulated unit active, no hook failed, no loop, every expectation met."""
        return (
            not self.failed_units
            and self.loop is None
            and not any(step.mismatches for step in self.steps)
        )

    def masked_environment(self, environment: Mapping[str, str]) -> dict[str, str]:
        """A Pebble environment with credentials and secret content masked."""
        return {key: _mask_text(value, self.secret_values) for key, value in environment.items()}

    def as_json(self) -> str:
        """The outcome as JSON, with every secret masked (for machines and logs alike)."""
        applications = [
            dataclasses.replace(
                app,
                units=[
                    dataclasses.replace(
                        unit,
                        environment={
                            service: self.masked_environment(environment)
                            for service, environment in unit.environment.items()
                        },
                    )
                    for unit in app.units
                ],
            )
            for app in self.applications
        ]
        outcome = dataclasses.asdict(dataclasses.replace(self, applications=applications))
        outcome.pop("secret_values")
        outcome.update(settled=self.settled, failed_units=self.failed_units)
        return json.dumps(outcome, indent=2, sort_keys=True) + "\n"

    def diagnostics(self) -> list[Diagnostic]:
        """The missed expectations, at their positions in the scenario file."""
        return [mismatch.diagnostic() for step in self.steps for mismatch in step.mismatches]


def run_simulation(
    deployment: Deployment,
    runner: Runner,
    *,
    scenario: Scenario | None = None,
    max_rounds: int = DEFAULT_MAX_ROUNDS,
) -> Simulation:
    """Deploy, settle, play the scenario's steps; the outcome (a hook loop ends it early)."""
    engine = Engine(deployment, runner, max_rounds=max_rounds)
    steps: list[StepOutcome] = []
    loop = None
    try:
        engine.deploy()
        expect = scenario.expect if scenario else ()
        steps.append(StepOutcome(label="deploy", mismatches=check(engine, expect)))
        for step in scenario.steps if scenario else ():
            label = run_step(engine, step)
            steps.append(StepOutcome(label=label, mismatches=check(engine, step.expect)))
    except HookLoopError as error:
        loop = str(error)
    return Simulation(
        applications=engine.report(),
        rounds=engine.counters.rounds,
        hooks=dict(engine.counters.hooks),
        worst_relation_changed=max(engine.counters.relation_changed.values(), default=0),
        worst_relation_changed_per_remote=max(
            engine.counters.relation_changed_from.values(), default=0
        ),
        busiest_relation=_busiest_relation(engine),
        steps=steps,
        loop=loop,
        data=_masked_data(engine),
        secret_values=frozenset(_secret_values(engine)),
    )


def _busiest_relation(engine: Engine) -> RelationChanged | None:
    """The (unit, relation) that saw the most relation-changed hooks, by cause."""
    counters = engine.counters
    if not counters.relation_changed:
        return None
    (unit, relation_id), total = counters.relation_changed.most_common(1)[0]
    application = sum(
        count
        for (observer, rid, source), count in counters.relation_changed_from.items()
        if (observer, rid) == (unit, relation_id) and isinstance(source, str)
    )
    joins = min(counters.relation_joined[(unit, relation_id)], total - application)
    relation = engine.relations.get(relation_id)
    return RelationChanged(
        unit=unit,
        relation=str(relation.spec) if relation else f"#{relation_id} (removed)",
        joins=joins,
        application=application,
        units=total - joins - application,
    )


def _secret_values(engine: Engine) -> set[str]:
    """Every value of every revision of every secret of the simulation."""
    return {
        value
        for secret in engine.secrets.values()
        for revision in secret.revisions
        for value in revision.values()
    }


def _mask_text(text: str, secret_values: frozenset[str]) -> str:
    """`text` with URI passwords and any secret value in it masked."""
    text = redact(text)
    for value in sorted(secret_values, key=len, reverse=True):
        if len(value) >= 4 and value in text:
            text = text.replace(value, MASK)
    return text


def _masked_data(engine: Engine) -> list[RelationData]:
    """Every relation's databags, with what is or looks like secret content masked."""
    secret_values = frozenset(_secret_values(engine))

    def mask(bag: Mapping[str, str]) -> dict[str, str]:
        return {
            key: MASK if is_secret_name(key) else _mask_text(value, secret_values)
            for key, value in sorted(bag.items())
        }

    return [
        RelationData(
            relation=str(relation.spec)
            if not relation.peer
            else f"{relation.spec.first[0]}:{relation.spec.first[1]} (peers)",
            interface=relation.interface,
            app_data={app: mask(bag) for app, bag in sorted(relation.app_data.items())},
            unit_data={unit: mask(bag) for unit, bag in sorted(relation.unit_data.items())},
        )
        for relation in sorted(engine.relations.values(), key=lambda r: r.id)
    ]
