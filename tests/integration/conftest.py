"""Integration tests: deploy a built distribution on a live Juju controller.

They run for real wherever a controller is reachable (GitHub Actions on microk8s, a
developer's machine) and are skipped, with the reason, where none is.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache

import pytest


@cache
def controller_unavailable() -> str | None:
    """Why no Juju controller can be used here, or None when one can."""
    juju = shutil.which("juju")
    if juju is None:
        return "no Juju controller: the juju CLI is not installed"
    try:
        proc = subprocess.run(
            [juju, "controllers", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "no Juju controller: `juju controllers` did not answer within 60 s"
    if proc.returncode != 0:
        return f"no Juju controller: `juju controllers` failed: {proc.stderr.strip()}"
    if not json.loads(proc.stdout or "{}").get("current-controller"):
        return "no Juju controller: none is bootstrapped or selected"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the integration tests, saying why, when no controller is reachable."""
    del config
    reason = controller_unavailable()
    if reason is None:
        return
    for item in items:
        if item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.skip(reason=reason))
