"""Play a distribution's charms offline, charm against charm, the way Juju would.

`deployment_from_bundle` makes a composed bundle a `Deployment` (charms found, endpoints
resolved); `run_simulation` deploys it with a `WorkerPool` (each charm of this repository in a
child process of its own locked environment, running ops.testing units of that very charm),
drives Juju's hooks in Juju's order through the `Engine` (databags and secrets carried between
units) until it settles, plays a day-2 `Scenario` (`read_scenario`), and returns a
`Simulation`: how every unit ended, hooks fired, rounds, missed expectations.


The package loads its modules on first use of a name (PEP 562), so that importing the
library entry point costs a build nothing: only `simulate` needs the simulator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    from distro_builder.simulate._run import (
        RelationChanged,
        RelationData,
        Simulation,
        StepOutcome,
        run_simulation,
    )
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

_EXPORTS = {
    "AppReport": "_model",
    "AppSpec": "_model",
    "DEFAULT_MAX_ROUNDS": "_engine",
    "Deployment": "_model",
    "EndpointSpec": "_model",
    "Engine": "_engine",
    "Event": "_model",
    "Expectation": "_scenario",
    "HookLoopError": "_engine",
    "Mismatch": "_scenario",
    "ProvidedData": "_model",
    "RelationChanged": "_run",
    "RelationData": "_run",
    "RelationSpec": "_model",
    "Runner": "_engine",
    "Scenario": "_scenario",
    "Simulation": "_run",
    "Step": "_scenario",
    "StepOutcome": "_run",
    "UnitReport": "_model",
    "WorkerError": "_workers",
    "WorkerPool": "_workers",
    "check": "_scenario",
    "deployment_from_bundle": "_deployment",
    "read_scenario": "_scenario",
    "run_simulation": "_run",
    "run_step": "_scenario",
}

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
    "RelationChanged",
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


def __getattr__(name: str) -> object:
    """Load the module that defines `name` on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
