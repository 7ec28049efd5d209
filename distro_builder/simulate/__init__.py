"""Play a distribution's charms offline, charm against charm, the way Juju would.

`deployment_from_bundle` makes a composed bundle a `Deployment` (charms found, endpoints
resolved); `run_simulation` deploys it with a `WorkerPool` (each charm of this repository in a
child process of its own locked environment, running ops.testing units of that very charm),
drives Juju's hooks in Juju's order through the `Engine` (databags and secrets carried between
units) until it settles, plays a day-2 `Scenario` (`read_scenario`), and returns a
`Simulation`: how every unit ended, hooks fired, rounds, missed expectations.
"""

from distro_builder.simulate._deployment import deployment_from_bundle
from distro_builder.simulate._engine import DEFAULT_MAX_ROUNDS, Engine, HookLoopError, Runner
from distro_builder.simulate._model import (
    AppReport,
    AppSpec,
    Deployment,
    EndpointSpec,
    Event,
    ProvidedData,
    RelationSpec,
    UnitReport,
)
from distro_builder.simulate._run import RelationData, Simulation, StepOutcome, run_simulation
from distro_builder.simulate._scenario import (
    Expectation,
    Mismatch,
    Scenario,
    Step,
    check,
    read_scenario,
    run_step,
)
from distro_builder.simulate._workers import WorkerError, WorkerPool

__all__ = [
    "DEFAULT_MAX_ROUNDS",
    "AppReport",
    "AppSpec",
    "Deployment",
    "EndpointSpec",
    "Engine",
    "Event",
    "Expectation",
    "HookLoopError",
    "Mismatch",
    "ProvidedData",
    "RelationData",
    "RelationSpec",
    "Runner",
    "Scenario",
    "Simulation",
    "Step",
    "StepOutcome",
    "UnitReport",
    "WorkerError",
    "WorkerPool",
    "check",
    "deployment_from_bundle",
    "read_scenario",
    "run_simulation",
    "run_step",
]
