# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The Prometheus workload as the charm meets it: the image's promtool.

One documented place for the stand-ins of the workload, used by this charm's unit tests
and by `distro-builder simulate` (which loads `Workload` from this file):

- `promtool_exec`: promtool's verdict on a candidate file (any file when none is named),
  for ops.testing's `Exec`; its refusal is worded as promtool words one;
- `use_real_promtool`: every check handed to a real promtool binary, which reads the
  candidate from the container's simulated files (test_promtool.py, with Debian's);
- `Workload`: promtool accepting every configuration, for every unit of one application
  (Pebble's checks come up by themselves under ops.testing).
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from pathlib import Path

import ops
import pytest
from literals import CHECK_DIR, CONTAINER, PROMTOOL
from ops import testing

PROMTOOL_CHECK = (PROMTOOL, "check", "config")
PROMTOOL_ACCEPTS = "Checking {path}\n  SUCCESS: {path} is valid prometheus config file syntax\n"
PROMTOOL_REFUSES = '  FAILED: parsing YAML file {path}: not a valid duration string: "often"\n'


def promtool_exec(candidate: str | None = None, *, valid: bool = True) -> testing.Exec:
    """Promtool's verdict on the candidate `candidate` (any candidate when None)."""
    path = f"{CHECK_DIR}/{candidate or 'candidate'}.yml"
    prefix = [*PROMTOOL_CHECK, *([path] if candidate else [])]
    if valid:
        return testing.Exec(prefix, stdout=PROMTOOL_ACCEPTS.format(path=path))
    return testing.Exec(
        prefix,
        return_code=1,
        stdout=f"Checking {path}\n",
        stderr=PROMTOOL_REFUSES.format(path=path),
    )


class Workload:
    """The Prometheus workload of one application: promtool accepts (or as told)."""

    def __init__(self, *answers: testing.Exec) -> None:
        self.answers = answers or (promtool_exec(),)

    def prepare(
        self, unit: int, container: testing.Container, root: Path | None = None
    ) -> testing.Container:
        """`container` with promtool's answers, which replace any it had."""
        del unit, root
        if container.name != CONTAINER:
            return container
        given = {tuple(answer.command_prefix): answer for answer in self.answers}
        kept = {e for e in container.execs if tuple(e.command_prefix) not in given}
        return dataclasses.replace(container, execs={*kept, *given.values()})

    def observe(
        self,
        unit: int,
        container: testing.Container,
        commands: list[list[str]],
        root: Path | None = None,
    ) -> None:
        """Nothing to follow: promtool changes nothing."""
        del unit, container, commands, root


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
