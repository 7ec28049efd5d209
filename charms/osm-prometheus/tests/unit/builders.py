# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Builders for osm-prometheus's ops.testing states, and the workload's stand-ins.

The stand-ins live here and only here: the image's `promtool`, which the charm runs to
check a candidate configuration before Prometheus gets it. `promtool_exec` answers one
candidate file (static, for ops.testing's `Exec`); `use_real_promtool` hands every check
to a real promtool binary, reading the candidate from the container's simulated files.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import ops
import pytest
from config import CharmConfig
from literals import CONTAINER
from ops import testing
from osm_charm_testing import planned_container
from workload import layer

MODEL_UUID = "00000000-0000-4000-8000-000000000000"
# Exactly what osm-mon publishes (its metrics.app_databag).
MON_SCRAPE_JOBS = [
    {
        "job_name": "collector",
        "metrics_path": "/metrics",
        "static_configs": [{"targets": ["*:8000"]}],
    }
]
# The image's promtool, and where the charm writes the candidates it checks.
PROMTOOL_CHECK = ("/bin/promtool", "check", "config")
CHECK_DIR = "/etc/prometheus/check"
CONFIG_DIR = "/etc/prometheus"


def promtool_exec(candidate: str | None = None, *, valid: bool = True) -> testing.Exec:
    """Promtool's verdict on the candidate file `candidate` (any file when None)."""
    prefix = [*PROMTOOL_CHECK] + ([f"{CHECK_DIR}/{candidate}.yml"] if candidate else [])
    if valid:
        return testing.Exec(prefix, stdout="  SUCCESS: valid prometheus config file syntax\n")
    failure = '  FAILED: parsing YAML file: not a valid duration string: "often"\n'
    return testing.Exec(prefix, return_code=1, stdout="Checking\n", stderr=failure)


def container(
    execs: Iterable[testing.Exec] = (),
    *,
    can_connect: bool = True,
    config_dir: Path | None = None,
) -> testing.Container:
    """The workload container, nothing planned yet; promtool accepts unless `execs` say.

    `config_dir` is mounted on /etc/prometheus: what a file written there in an earlier
    hook looks like (ops.testing empties the container's files between runs).
    """
    answers = {tuple(answer.command_prefix): answer for answer in [promtool_exec(), *execs]}
    mounts = (
        {"config": testing.Mount(location=CONFIG_DIR, source=config_dir)} if config_dir else {}
    )
    return testing.Container(
        CONTAINER, can_connect=can_connect, execs=set(answers.values()), mounts=mounts
    )


def running_container(
    ready: bool = True,
    running: bool = True,
    execs: Iterable[testing.Exec] = (),
    config_dir: Path | None = None,
) -> testing.Container:
    """The container after a first reconcile: Prometheus running, its check up or down."""
    unplanned = container(execs, config_dir=config_dir)
    return planned_container(unplanned, layer(CharmConfig()), ready=ready, running=running)


def config_dir(directory: Path, text: str) -> Path:
    """`directory` holding prometheus.yml with `text`, to mount with `config_dir=`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "prometheus.yml").write_text(text)
    return directory


def scrape_metadata(app: str = "mon", charm_name: str = "osm-mon") -> str:
    return json.dumps(
        {
            "model": "osm",
            "model_uuid": MODEL_UUID,
            "application": app,
            "unit": f"{app}/0",
            "charm_name": charm_name,
        }
    )


def metrics_relation(
    app: str = "mon",
    jobs: object = MON_SCRAPE_JOBS,
    units: int = 1,
    metadata: str | None = None,
) -> testing.Relation:
    """A metrics-endpoint relation with a provider that published `jobs` and `units`."""
    return testing.Relation(
        "metrics-endpoint",
        remote_app_name=app,
        remote_app_data={
            "scrape_jobs": json.dumps(jobs),
            "scrape_metadata": metadata if metadata is not None else scrape_metadata(app),
        },
        remote_units_data={
            number: {
                "prometheus_scrape_unit_name": f"{app}/{number}",
                "prometheus_scrape_unit_address": f"{app}-{number}.{app}-endpoints.osm.svc",
                "prometheus_scrape_unit_path": "",
            }
            for number in range(units)
        },
    )


class _Finished:
    """A finished exec, as `ops.Container.exec` returns it, for `wait` and `wait_output`."""

    def __init__(self, command: list[str], result: subprocess.CompletedProcess[str]):
        self._command = command
        self._result = result

    def wait_output(self) -> tuple[str, str]:
        if self._result.returncode:
            raise ops.pebble.ExecError(
                self._command, self._result.returncode, self._result.stdout, self._result.stderr
            )
        return self._result.stdout, self._result.stderr

    def wait(self) -> None:
        self.wait_output()


def use_real_promtool(monkeypatch: pytest.MonkeyPatch, binary: str) -> list[str]:
    """Make `binary` the container's promtool; return the candidates it checked."""
    real_exec = ops.Container.exec
    checked: list[str] = []

    def exec_(self: ops.Container, command: list[str], **kwargs: object) -> object:
        if tuple(command[:3]) != PROMTOOL_CHECK:
            return real_exec(self, command, **kwargs)  # type: ignore[arg-type]
        candidate = command[3]
        checked.append(candidate)
        with self.pull(candidate) as file, tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / Path(candidate).name
            path.write_text(file.read())
            result = subprocess.run(
                [binary, "check", "config", str(path)],
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
        return _Finished(command, result)

    monkeypatch.setattr(ops.Container, "exec", exec_)
    return checked
