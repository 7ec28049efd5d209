"""Watch a model until the distribution's applications are ready, one fails, or time is up.

Every poll produces a :class:`Progress` (one :class:`AppRow` per application) for the
caller's callback. Ready means every application active with all its units active and idle,
for `settle` seconds in a row; failed means a unit in error. On failure or timeout the
result names the units at fault with their messages and the last lines of their debug log.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from distro_builder.deploy._status import (
    AppSnapshot,
    ModelSnapshot,
    UnitSnapshot,
    failing_units,
    missing_application,
    parse_full_status,
    unready_units,
)

Outcome = Literal["ready", "failed", "timeout"]
READY: Outcome = "ready"
FAILED: Outcome = "failed"
TIMEOUT: Outcome = "timeout"


class StatusSource(Protocol):
    """What the loop needs from a model (the adapter provides it)."""

    async def full_status(self) -> Any:
        """The model's status, as libjuju's `FullStatus`."""
        ...

    async def debug_log(self, units: Sequence[str], lines: int) -> list[str]:
        """The last `lines` lines of the debug log of `units`."""
        ...


@dataclass(frozen=True)
class WaitOptions:
    """How long to wait, how often to look, how long ready must hold."""

    timeout: float = 3600.0
    poll_interval: float = 3.0
    settle: float = 15.0
    log_lines: int = 20


@dataclass(frozen=True)
class AppRow:
    """One line of the live table."""

    name: str
    status: str
    message: str
    ready_units: int
    total_units: int
    elapsed: float
    ready: bool


@dataclass(frozen=True)
class Progress:
    """The distribution's applications at one moment of the wait (or of `status`)."""

    elapsed: float
    rows: tuple[AppRow, ...]


@dataclass(frozen=True)
class UnitReport:
    """A unit at fault: its statuses, message and the end of its debug log."""

    unit: str
    workload: str
    agent: str
    message: str
    log: tuple[str, ...] = ()


@dataclass(frozen=True)
class WaitResult:
    """How the wait ended, the last progress, and the units at fault."""

    outcome: Outcome
    progress: Progress
    units: tuple[UnitReport, ...] = ()


def rows(
    snapshot: ModelSnapshot,
    applications: Sequence[str],
    elapsed: float,
    ready_at: Mapping[str, float] | None = None,
) -> tuple[AppRow, ...]:
    """The table rows of `applications` (missing ones included), in the given order."""
    shown: list[AppRow] = []
    for name in applications:
        app = snapshot.applications.get(name) or missing_application(name)
        done = (ready_at or {}).get(name)
        shown.append(
            AppRow(
                name=name,
                status=app.status,
                message=app.message or _first_message(app.units),
                ready_units=app.ready_units,
                total_units=app.total_units,
                elapsed=done if done is not None else elapsed,
                ready=app.ready,
            )
        )
    return tuple(shown)


async def wait_until_ready(
    source: StatusSource,
    applications: Sequence[str],
    options: WaitOptions,
    on_progress: Callable[[Progress], None],
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> WaitResult:
    """Poll until every application is ready for `settle` s, a unit fails, or timeout.

    Ready at the timeout counts as ready, however short it held.
    """
    start = clock()
    ready_at: dict[str, float] = {}
    ready_since: float | None = None
    while True:
        snapshot = parse_full_status(await source.full_status())
        now = clock() - start
        apps = apps_of(snapshot, applications)
        for app in apps:
            if app.ready:
                ready_at.setdefault(app.name, now)
            else:
                ready_at.pop(app.name, None)
        progress = Progress(elapsed=now, rows=rows(snapshot, applications, now, ready_at))
        on_progress(progress)
        if failed := failing_units(apps):
            return WaitResult(FAILED, progress, await _reports(source, failed, options))
        if all(app.ready for app in apps):
            ready_since = now if ready_since is None else ready_since
            if now - ready_since >= options.settle or now >= options.timeout:
                return WaitResult(READY, progress)
        else:
            ready_since = None
        if now >= options.timeout:
            stuck = unready_units(apps)
            return WaitResult(TIMEOUT, progress, await _reports(source, stuck, options))
        await sleep(min(options.poll_interval, max(options.timeout - now, 0.0)))


async def _reports(
    source: StatusSource, units: Sequence[UnitSnapshot], options: WaitOptions
) -> tuple[UnitReport, ...]:
    """Each unit's statuses and message, with the end of its debug log."""
    reports: list[UnitReport] = []
    for unit in units:
        try:
            log = await source.debug_log([unit.name], options.log_lines)
        except (OSError, RuntimeError) as error:
            log = [f"(debug log unavailable: {error})"]
        reports.append(
            UnitReport(
                unit=unit.name,
                workload=unit.workload,
                agent=unit.agent,
                message=unit.shown_message,
                log=tuple(log[-options.log_lines :]),
            )
        )
    return tuple(reports)


def _first_message(units: Sequence[UnitSnapshot]) -> str:
    """The first unit message, for an application that says nothing itself."""
    return next((unit.shown_message for unit in units if unit.shown_message), "")


def apps_of(snapshot: ModelSnapshot, applications: Sequence[str]) -> list[AppSnapshot]:
    """The snapshots of `applications` (missing ones as such)."""
    return [snapshot.applications.get(name) or missing_application(name) for name in applications]
