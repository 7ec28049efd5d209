"""Play a distribution's charms offline, charm against charm, the way Juju would.

`simulate(deployment)` deploys every application whose charm is in this repository as
ops.testing units of that very charm (each charm in a child process of its own environment,
`workers`), drives Juju's hooks in Juju's order and carries databags and secrets between
units (`engine`) until the distribution settles, then reports how every unit ended.
"""

from __future__ import annotations

from distro_builder.simulate.engine import Engine, HookLoopError
from distro_builder.simulate.model import AppReport, Deployment, UnitReport
from distro_builder.simulate.workers import WorkerError, WorkerPool

__all__ = [
    "AppReport",
    "Deployment",
    "Engine",
    "HookLoopError",
    "UnitReport",
    "WorkerError",
    "WorkerPool",
]
