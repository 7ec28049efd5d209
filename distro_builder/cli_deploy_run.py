"""What `pack`, `deploy` and `status` do once parsed: call the library, render, exit status.

Imported only when one of them runs (:mod:`distro_builder.cli_deploy` holds the commands),
so that neither rich nor the deploy library is loaded by `build` or `--help`. Exit status:
0 done; 1 the environment failed (no charmcraft where it can pack, no python-libjuju, no
controller, a refused request, a timeout or a unit in error); 2 the input is wrong
(overlays, a distribution with missing or changed charms); 130 interrupted (the connection
is closed first).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from distro_builder import deploy as api
from distro_builder.cli import EXIT_ENVIRONMENT, EXIT_OK
from distro_builder.deploy import (
    DEFAULT_OUTPUT,
    DeployEnvironmentError,
    PackEvent,
    PackResult,
    Plan,
    Progress,
    Target,
    WaitOptions,
    WaitResult,
    charm_sources,
    pack_charms,
    read_distribution,
    render,
)
from distro_builder.load import Project

ENVIRONMENT_ERRORS = (DeployEnvironmentError,)  # failures of Juju's side: exit status 1
STATUS_STYLES = {"active": "green", "blocked": "red", "error": "bold red", "waiting": "yellow"}
REFRESH_PER_SECOND = 4


def pack(
    overlays: Sequence[str], settings: Sequence[str], output: Path | None, root: Path | None
) -> int:
    """`distro-builder pack`: pack the stale in-repository charms the distribution uses."""
    sources = charm_sources(root, overlays, settings)
    target = output or Project.locate(root).root / DEFAULT_OUTPUT
    console = Console()
    display = PackDisplay(console)
    with _live(console, display.render):
        result = pack_charms(sources, target, on_event=display.update)
    if console.is_terminal:
        console.print(display.render())
    return _pack_summary(result)


def deploy(
    dist: Path, model: str | None, controller: str | None, timeout: float, dry_run: bool
) -> int:
    """`distro-builder deploy`: deploy with python-libjuju and wait until it is active."""
    distribution = read_distribution(dist)
    target = Target(controller, model or distribution.name)
    if dry_run:
        _print_plan(asyncio.run(api.dry_run(distribution, target)))
        return EXIT_OK
    options = api.DeployOptions(target, WaitOptions(timeout=timeout))
    console = Console()
    display = DeployDisplay(console)
    with _live(console, display.render):
        result = asyncio.run(api.deploy(distribution, options, on_update=display.update))
    return _deploy_summary(result, console)


def status(dist: Path, model: str | None, controller: str | None) -> int:
    """`distro-builder status`: the table once, and how the model differs."""
    distribution = read_distribution(dist)
    target = Target(controller, model or distribution.name)
    result = asyncio.run(api.status(distribution, target))
    console = Console()
    console.print(f"model {result.model}")
    console.print(status_table(result.progress, timed=False))
    if result.differences:
        console.print("differences from the distribution:")
        for line in render(result.differences):
            console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    else:
        console.print("the model has every application of the distribution, as built")
    return EXIT_OK


def status_table(progress: Progress, *, timed: bool = True) -> Table:
    """The applications as a table: status, units ready/total, elapsed, message."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("application")
    table.add_column("status")
    table.add_column("units", justify="right")
    if timed:
        table.add_column("elapsed", justify="right")
    table.add_column("message", overflow="fold")
    for row in progress.rows:
        cells: list[RenderableType] = [
            row.name,
            Text(row.status, style=STATUS_STYLES.get(row.status, "")),
            f"{row.ready_units}/{row.total_units}",
        ]
        if timed:
            cells.append(_duration(row.elapsed))
        cells.append(Text(row.message))
        table.add_row(*cells)
    return table


class DeployDisplay:
    """The view of `deploy`: live on a terminal (the step and the table), else a log.

    The log (CI) has a line per step and per change of an application's status.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.phase = ""
        self.progress: Progress | None = None
        self.shown: dict[str, tuple[str, str, int, int]] = {}

    def update(self, update: api.Update) -> None:
        """Take a phase or a progress snapshot from the library."""
        if isinstance(update, api.Phase):
            self.phase = update.detail
            if not self.console.is_terminal:
                self.console.print(update.detail, markup=False, highlight=False, soft_wrap=True)
            return
        self.progress = update
        if self.console.is_terminal:
            return
        for row in update.rows:
            state = (row.status, row.message, row.ready_units, row.total_units)
            if self.shown.get(row.name) != state:
                self.shown[row.name] = state
                line = f"[{_duration(update.elapsed)}] {row.name}: {row.status} "
                line += f"{row.ready_units}/{row.total_units} {row.message}".rstrip()
                self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def render(self) -> RenderableType:
        """What the live display shows now."""
        parts: list[RenderableType] = [Text(self.phase, style="bold")]
        if self.progress is not None:
            parts.append(status_table(self.progress))
        return Group(*parts)


class PackDisplay:
    """The view of `pack`: one line per charm (state, time, size), live on a terminal."""

    def __init__(self, console: Console, clock: Callable[[], float] = time.monotonic) -> None:
        self.console = console
        self.clock = clock
        self.events: dict[str, PackEvent] = {}
        self.started: dict[str, float] = {}

    def update(self, event: PackEvent) -> None:
        """Take a charm's new state."""
        self.events[event.charm] = event
        if event.state == "packing":
            self.started[event.charm] = self.clock()
        if not self.console.is_terminal:
            size = f" {_size(event.size)}" if event.size else ""
            took = f" {_duration(event.elapsed)}" if event.state in ("packed", "failed") else ""
            line = f"{event.charm}: {event.state}{took}{size}"
            self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def render(self) -> RenderableType:
        """One row per charm."""
        table = Table(box=None, pad_edge=False, header_style="bold")
        for column in ("charm", "state", "time", "size"):
            table.add_column(column, justify="right" if column in ("time", "size") else "left")
        for name, event in self.events.items():
            elapsed = event.elapsed
            if event.state == "packing":
                elapsed = self.clock() - self.started.get(name, self.clock())
            size = _size(event.size) if event.size else ""
            shown_time = _duration(elapsed) if event.state != "skipped" else ""
            table.add_row(name, event.state, shown_time, size)
        return table


def _pack_summary(result: PackResult) -> int:
    for charm, message in result.failed:
        print(f"error: {charm}: {message}", file=sys.stderr)
    print(
        f"{len(result.packed)} packed, {len(result.skipped)} up to date, "
        f"{len(result.failed)} failed: {result.output}"
    )
    return EXIT_ENVIRONMENT if result.failed else EXIT_OK


def _deploy_summary(result: api.DeployResult, console: Console) -> int:
    console.print(status_table(result.wait.progress))
    if result.secret is not None:
        secret = result.secret
        done = "created" if secret.created else "kept"
        granted = ", ".join(secret.granted) or "already granted"
        console.print(f"secret {secret.label}: {done}; granted to {granted}", highlight=False)
    wait = result.wait
    if result.ready:
        console.print(f"{result.model}: every application is active and idle")
        return EXIT_OK
    _print_failure(wait)
    return EXIT_ENVIRONMENT


def _print_failure(wait: WaitResult) -> None:
    """Per unit at fault: its statuses, message and the end of its debug log."""
    what = "timed out" if wait.outcome == "timeout" else "failed: a unit is in error"
    print(f"error: deploy {what} after {_duration(wait.progress.elapsed)}", file=sys.stderr)
    for unit in wait.units:
        print(
            f"error: {unit.unit}: {unit.workload}/{unit.agent}: {unit.message or '(no message)'}",
            file=sys.stderr,
        )
        for line in unit.log:
            print(f"    {line}", file=sys.stderr)


def _print_plan(plan: Plan) -> None:
    print(f"model {plan.model}" + ("" if plan.model_exists else " (does not exist yet)"))
    if not plan.changes:
        print("nothing to change")
        return
    for line in render(plan.changes):
        print(f"  {line}")


def _live(
    console: Console, render: Callable[[], RenderableType]
) -> AbstractContextManager[object]:
    """A live display on a terminal (cleared when done); nothing elsewhere."""
    if not console.is_terminal:
        return contextlib.nullcontext()
    return Live(
        console=console,
        get_renderable=render,
        refresh_per_second=REFRESH_PER_SECOND,
        transient=True,
    )


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{rest}s"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    value = size / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"
