"""The child processes that run the charms: one per application, in its charm's environment.

Each charm is run by `worker.py` under the Python of the charm's own locked environment
(`uv sync --locked --group unit` in the charm directory, as its unit tests use it), isolated
(`-I`: no PYTHONPATH, no user site, no current directory), so that it sees its `src/`, its
`lib/` and its locked dependencies and nothing else, as the packed charm does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

WORKER = Path(__file__).with_name("_worker.py")
STANDINS = Path("tests", "unit", "workload_standins.py")
VENV_PYTHON = Path(".venv", "bin", "python")


class WorkerError(OSError):
    """A charm's environment could not be prepared or its worker stopped answering.

    An environment failure (an OSError, exit status 1), not a fault of the distribution.
    """


def charm_python(charm_root: Path) -> Path:
    """The Python of the charm's locked environment, brought up to date first."""
    uv = shutil.which("uv")
    if uv is None:
        raise WorkerError("uv is not installed: it prepares each charm's own environment")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    proc = subprocess.run(
        [uv, "sync", "--locked", "--group", "unit", "--inexact", "--quiet"],
        cwd=charm_root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise WorkerError(f"{charm_root.name}: uv sync failed: {proc.stderr.strip()}")
    return charm_root / VENV_PYTHON


class Worker:
    """One charm's child process: send jobs, read answers."""

    def __init__(self, app: str, charm_root: Path, python: Path) -> None:
        self.app = app
        self._process = subprocess.Popen(
            [str(python), "-I", str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=charm_root,
        )
        standins = charm_root / STANDINS
        self.send(
            {
                "op": "init",
                "app": app,
                "charm_root": str(charm_root),
                "standins": str(standins) if standins.is_file() else None,
            }
        )

    def send(self, request: Mapping[str, Any]) -> None:
        """Send one request (its answer is read with `receive`)."""
        stdin = self._pipe(self._process.stdin)
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()

    def receive(self) -> Any:
        """The answer to the oldest request not yet read."""
        line = self._pipe(self._process.stdout).readline()
        if not line:
            raise WorkerError(f"{self.app}: the charm's worker stopped")
        return json.loads(line)

    def close(self) -> None:
        """End the child process."""
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _pipe(self, pipe: IO[str] | None) -> IO[str]:
        if pipe is None:
            raise WorkerError(f"{self.app}: no pipe to the charm's worker")
        return pipe


class WorkerPool:
    """A worker per application; jobs for several applications run at the same time."""

    def __init__(self, charm_roots: Mapping[str, Path]) -> None:
        pythons = {root: charm_python(root) for root in sorted(set(charm_roots.values()))}
        self._workers = {
            app: Worker(app, root, pythons[root]) for app, root in sorted(charm_roots.items())
        }
        for worker in self._workers.values():
            worker.receive()  # the init answer: the charm imported

    def run(self, jobs: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        """Run each application's jobs (in order) in its worker; the answers by application."""
        for app, app_jobs in jobs.items():
            self._workers[app].send({"op": "run", "jobs": app_jobs})
        return {app: self._workers[app].receive() for app in jobs}

    def close(self, apps: Iterable[str] | None = None) -> None:
        """End the workers (all of them by default)."""
        for app in list(apps if apps is not None else self._workers):
            worker = self._workers.pop(app, None)
            if worker is not None:
                worker.close()
