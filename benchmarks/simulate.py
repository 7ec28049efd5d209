"""Simulation figures: settling the base and the HA distribution offline (targets, not tests).

For each distribution: the wall time of `api.simulate` from composing to settled (the charms'
environments up to date beforehand, as after the test command), the hooks fired, the rounds,
and the most relation-changed hooks one unit saw on one relation, overall and from one remote
unit (or the remote application's databag), with what Juju fired them for on the busiest
relation: one after each remote unit's join, one per change of the remote application's
databag and of a remote unit's databag that the unit had not yet seen. Targets: base under
5 s, HA under 15 s; no unit sees more than 3 relation-changed hooks per relation while
settling. Best of a few runs (load elsewhere on the machine counts for none). Run:
`uv run --locked benchmarks/simulate.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from distro_builder import api

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"base": 5.0, "ha": 15.0}
RELATION_CHANGED_TARGET = 3


def settle(overlays: tuple[str, ...]) -> tuple[float, api.Simulation]:
    """Seconds to simulate the distribution from compose to settled, and its outcome."""
    started = time.perf_counter()
    played = api.simulate(api.Project(ROOT), api.SimulateOptions(overlays=overlays))
    return time.perf_counter() - started, played


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(
        f"{'distribution':<14}{'units':>6}{'seconds':>9}{'target':>8}{'hooks':>7}"
        f"{'rounds':>8}{'rc/rel':>8}{'rc/remote':>10}  settled"
    )
    for name, overlays in (("base", ()), ("ha", ("ha",))):
        best, played = min((settle(overlays) for _ in range(runs)), key=lambda run: run[0])
        units = sum(len(app.units) for app in played.applications if app.simulated)
        print(
            f"{name:<14}{units:>6}{best:>9.2f}{TARGETS[name]:>8.1f}"
            f"{sum(played.hooks.values()):>7}{played.rounds:>8}"
            f"{played.worst_relation_changed:>8}{played.worst_relation_changed_per_remote:>10}"
            f"  {played.settled}"
        )
        if played.busiest_relation is not None:
            print(f"{'':<14}busiest: {played.busiest_relation}")
    print(
        f"targets: base < {TARGETS['base']} s, HA < {TARGETS['ha']} s; relation-changed per "
        f"relation per unit <= {RELATION_CHANGED_TARGET} (rc/rel; rc/remote: per remote unit)"
    )


if __name__ == "__main__":
    main()
