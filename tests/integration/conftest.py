"""Integration tests: deploy a built distribution on a live Juju controller.

They run for real wherever a controller is reachable (GitHub Actions on microk8s, a
developer's machine). Elsewhere they are skipped with the reason, unless the run requires
them (`OSM_INTEGRATION_REQUIRED=1`, as CI sets): then a missing controller fails them.
"""

from __future__ import annotations

import os
from functools import cache

import pytest
from gate import controller_unavailable, decide, required


@cache
def _decision():
    return decide(controller_unavailable(), required(os.environ))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture (pytest-operator's model included): run, skip or fail."""
    if item.get_closest_marker("integration") is None:
        return
    decision = _decision()
    if decision.action == "skip":
        pytest.skip(decision.reason)
    if decision.action == "fail":
        pytest.fail(decision.reason, pytrace=False)
