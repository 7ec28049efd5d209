"""The wait loop: ready after settling, a unit in error, or out of time."""

from __future__ import annotations

import asyncio
from typing import Any

from deploy_helpers import APPS, FakeModel, all_active, app_json, full_status_json

from distro_builder.deploy._wait import (
    FAILED,
    READY,
    TIMEOUT,
    Progress,
    WaitOptions,
    wait_until_ready,
)


class Clock:
    """A clock that advances only when the loop sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def run(model: FakeModel, options: WaitOptions, apps=("nbi", "ng-ui")):
    clock = Clock()
    seen: list[Progress] = []
    result = asyncio.run(
        wait_until_ready(model, list(apps), options, seen.append, clock=clock, sleep=clock.sleep)
    )
    return result, seen, clock


def statuses(*states: dict[str, Any]) -> list[dict[str, Any]]:
    return [full_status_json(state) for state in states]


def test_ready_when_every_application_is_active_and_idle_for_the_settle_time():
    waiting = {"nbi": app_json("nbi", "waiting", "waiting for kafka, mongodb data")}
    model = FakeModel(statuses=[full_status_json(waiting), all_active(["nbi", "ng-ui"])])
    result, seen, clock = run(model, WaitOptions(timeout=600, poll_interval=5, settle=10))
    assert result.outcome == READY
    assert result.units == ()
    first = {row.name: row for row in seen[0].rows}
    assert (first["nbi"].status, first["nbi"].message) == (
        "waiting",
        "waiting for kafka, mongodb data",
    )
    assert (first["ng-ui"].status, first["ng-ui"].ready_units, first["ng-ui"].total_units) == (
        "missing",
        0,
        0,
    )
    # Ready at 5 s, then held for 10 s more (three polls) before the loop ends.
    assert [p.elapsed for p in seen] == [0, 5, 10, 15]
    last = {row.name: row for row in result.progress.rows}
    assert last["nbi"].ready and last["nbi"].elapsed == 5
    assert (last["nbi"].ready_units, last["nbi"].total_units) == (1, 1)
    assert clock.sleeps == [5, 5, 5]


def test_ready_must_hold_a_flap_restarts_the_settle_time():
    flapped = {"nbi": app_json("nbi", "maintenance", "restarting"), "ng-ui": app_json("ng-ui")}
    model = FakeModel(
        statuses=[
            all_active(["nbi", "ng-ui"]),
            full_status_json(flapped),
            all_active(["nbi", "ng-ui"]),
        ]
    )
    result, seen, _ = run(model, WaitOptions(timeout=600, poll_interval=5, settle=5))
    assert result.outcome == READY
    assert len(seen) == 4


def test_a_unit_in_error_ends_the_wait_with_its_message_and_log():
    broken = {
        "nbi": app_json("nbi", "error", 'hook failed: "config-changed"',
                        units=[("error", "idle", 'hook failed: "config-changed"')]),
        "ng-ui": app_json("ng-ui", "blocked", "need nbi relation"),
    }  # fmt: skip
    model = FakeModel(statuses=statuses(broken))
    model.logs["nbi/0"] = [f"unit-nbi-0: line {n}" for n in range(30)]
    result, _, _ = run(model, WaitOptions(timeout=600, log_lines=5))
    assert result.outcome == FAILED
    [unit] = result.units
    assert (unit.unit, unit.workload, unit.message) == (
        "nbi/0",
        "error",
        'hook failed: "config-changed"',
    )
    assert unit.log == tuple(f"unit-nbi-0: line {n}" for n in range(25, 30))


def test_timeout_reports_every_unit_not_active_and_idle():
    stuck = {
        "nbi": app_json(
            "nbi", "waiting", "", units=[("waiting", "executing", "waiting for kafka data")]
        ),
        "ng-ui": app_json("ng-ui", "blocked", "need nbi relation"),
    }
    model = FakeModel(statuses=statuses(stuck))
    model.logs["ng-ui/0"] = ["unit-ng-ui-0: nginx: host not found"]
    result, seen, clock = run(model, WaitOptions(timeout=20, poll_interval=8, settle=0))
    assert result.outcome == TIMEOUT
    assert [(u.unit, u.message) for u in result.units] == [
        ("nbi/0", "waiting for kafka data"),
        ("ng-ui/0", "need nbi relation"),
    ]
    assert result.units[1].log == ("unit-ng-ui-0: nginx: host not found",)
    assert clock.sleeps == [8, 8, 4]
    assert seen[-1].elapsed == 20


def test_only_the_distribution_applications_count():
    other = {**all_active(["nbi", "ng-ui"])["applications"]}
    other["unrelated"] = app_json("unrelated", "error", "broken", units=[("error", "idle", "x")])
    model = FakeModel(statuses=statuses(other))
    result, _, _ = run(model, WaitOptions(timeout=60, settle=0))
    assert result.outcome == READY
    assert len(APPS) == 9


def test_ready_at_the_timeout_counts_even_before_it_settled():
    model = FakeModel(statuses=[all_active(["nbi", "ng-ui"])])
    result, seen, _ = run(model, WaitOptions(timeout=0, settle=60))
    assert result.outcome == READY
    assert len(seen) == 1
