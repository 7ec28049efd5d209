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


def charm_pythons(charm_roots: Iterable[Path]) -> dict[Path, Path]:
    """The Python of each charm's locked environment, all brought up to date at once."""
    uv = shutil.which("uv")
    if uv is None:
        raise WorkerError("uv is not installed: it prepares each charm's own environment")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    syncs = {
        root: subprocess.Popen(
            [uv, "sync", "--locked", "--group", "unit", "--inexact", "--quiet"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for root in sorted(set(charm_roots))
    }
    failures = []
    for root, sync in syncs.items():
        _, stderr = sync.communicate()
        if sync.returncode != 0:
            failures.append(f"{root.name}: uv sync failed: {stderr.strip()}")
    if failures:
        raise WorkerError("; ".join(failures))
    return {root: root / VENV_PYTHON for root in syncs}


class Worker:
    """One charm's child process: send jobs, read answers."""

    def __init__(self, app: str, charm_root: Path, python: Path) -> None:
        self.app = app
        charm_root, python = charm_root.absolute(), python.absolute()  # the child's cwd moves
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

    def stop(self) -> None:
        """Tell the child to end (it ends when its input closes)."""
        if self._process.stdin:
            self._process.stdin.close()

    def wait(self) -> None:
        """Wait for the child to end; kill it if it does not within 5 s."""
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
        pythons = charm_pythons(charm_roots.values())
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
        """End the workers (all of them by default), all at the same time."""
        names = list(apps if apps is not None else self._workers)
        stopping = [worker for name in names if (worker := self._workers.pop(name, None))]
        for worker in stopping:
            worker.stop()
        for worker in stopping:
            worker.wait()
