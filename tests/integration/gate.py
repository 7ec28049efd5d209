"""Whether the integration tests run, are skipped, or fail for want of a controller.

Here (no Juju) they are collected and skipped with the reason. Where the workflow sets
`OSM_INTEGRATION_REQUIRED=1` (CI), a missing controller fails them instead: a CI run that
silently skipped its integration tests would look green and prove nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Mapping
from typing import Literal, NamedTuple

REQUIRED_ENV = "OSM_INTEGRATION_REQUIRED"
TRUE = frozenset({"1", "true", "yes", "on"})
Action = Literal["run", "skip", "fail"]
Runner = Callable[[list[str]], "subprocess.CompletedProcess[str]"]


class Decision(NamedTuple):
    """What to do with an integration test, and why."""

    action: Action
    reason: str = ""


def required(environ: Mapping[str, str]) -> bool:
    """Whether this run must have a controller (the workflow says so)."""
    return environ.get(REQUIRED_ENV, "").strip().lower() in TRUE


def decide(unavailable: str | None, must_run: bool) -> Decision:
    """Run when a controller is there; else skip, or fail where it is required."""
    if unavailable is None:
        return Decision("run")
    if must_run:
        return Decision("fail", f"{unavailable} ({REQUIRED_ENV} is set: a controller is required)")
    return Decision("skip", unavailable)


def controller_unavailable(
    which: Callable[[str], str | None] = shutil.which, run: Runner | None = None
) -> str | None:
    """Why no Juju controller can be used here, or None when one can."""
    juju = which("juju")
    if juju is None:
        return "no Juju controller: the juju CLI is not installed"
    runner = run or _run
    try:
        proc = runner([juju, "controllers", "--format", "json"])
    except subprocess.TimeoutExpired:
        return "no Juju controller: `juju controllers` did not answer within 60 s"
    if proc.returncode != 0:
        return f"no Juju controller: `juju controllers` failed: {proc.stderr.strip()}"
    try:
        current = json.loads(proc.stdout or "{}").get("current-controller")
    except json.JSONDecodeError:
        return "no Juju controller: `juju controllers` printed no JSON"
    if not current:
        return "no Juju controller: none is bootstrapped or selected"
    return None


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
