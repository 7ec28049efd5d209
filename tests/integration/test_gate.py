"""The switch between skipping and failing the integration tests (no controller needed)."""

from __future__ import annotations

import json
import subprocess

import pytest
from gate import Decision, controller_unavailable, decide, required


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"OSM_INTEGRATION_REQUIRED": "1"}, True),
        ({"OSM_INTEGRATION_REQUIRED": "true"}, True),
        ({"OSM_INTEGRATION_REQUIRED": "0"}, False),
        ({"OSM_INTEGRATION_REQUIRED": ""}, False),
    ],
)
def test_ci_requires_the_tests_with_an_environment_variable(environ, expected):
    assert required(environ) is expected


def test_a_reachable_controller_runs_them_either_way():
    assert decide(None, False) == Decision("run")
    assert decide(None, True) == Decision("run")


def test_no_controller_skips_here_and_fails_in_ci():
    reason = "no Juju controller: the juju CLI is not installed"
    assert decide(reason, False) == Decision("skip", reason)
    action, message = decide(reason, True)
    assert action == "fail"
    assert message.startswith(reason) and "OSM_INTEGRATION_REQUIRED" in message


def answer(code: int, out: str = "", err: str = ""):
    def run(command: list[str]) -> subprocess.CompletedProcess[str]:
        assert command[1:] == ["controllers", "--format", "json"]
        return subprocess.CompletedProcess(command, code, out, err)

    return run


def test_what_counts_as_an_available_controller():
    juju = {"juju": "/snap/bin/juju"}.get
    assert (
        controller_unavailable(lambda _: None)
        == "no Juju controller: the juju CLI is not installed"
    )
    current = json.dumps({"controllers": {"lab": {}}, "current-controller": "lab"})
    assert controller_unavailable(juju, answer(0, current)) is None
    assert controller_unavailable(juju, answer(0, "{}")) == (
        "no Juju controller: none is bootstrapped or selected"
    )
    assert controller_unavailable(juju, answer(1, err="ERROR permission denied\n")) == (
        "no Juju controller: `juju controllers` failed: ERROR permission denied"
    )
