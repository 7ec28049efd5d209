"""Build-time figures for distro-builder (targets, not timed tests).

1. Cold CLI: the `distro-builder` console script running `build --overlay acme-telco` in a
   fresh process, next to a bare `python -c "import yaml, jinja2, typer"`, the CLI's own
   libraries (target: within 1.5x of that floor).
2. Scale: one build composing 100, then 200, generated overlays in one process
   (target: 200 costs at most 2.1x of 100).

Each figure is the best of several rounds that alternate the two things compared (floor and
build; 100 and 200 overlays), after a warm-up of each: as timeit advises, so that load from
elsewhere on the machine counts for neither (the same method as benchmarks/validate.py). Cold
processes run with Python's bytecode cache on (PYTHONDONTWRITEBYTECODE removed from their
environment), as on a user's machine, for the floor and the build alike; in-process builds start
from a collected heap. Run: `uv run --locked benchmarks/build.py`.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from distro_builder import api

ROOT = Path(__file__).resolve().parent.parent
COLD_ROUNDS = 15
SCALE_ROUNDS = 7
FLOOR = [sys.executable, "-c", "import yaml, jinja2, typer"]
FLOOR_TARGET = 1.5
SCALE_TARGET = 2.1
CONSOLE_SCRIPT = "distro-builder"
GENERATED = """\
distro:
  vars:
    units_{index}: 1
applications:
  extra-x{index}:
    charm: osm-ro
    channel: latest/edge
    scale: {{{{ units_{index} }}}}
    resources:
      ro-image: "{{{{ registry }}}}/ro:{{{{ osm_version }}}}"
    options:
      log-level: INFO
  nbi:
    options:
      log-level: DEBUG
relations:
  - [extra-x{index}:mongodb, mongodb]
  - [extra-x{index}:kafka, kafka]
"""


def best_seconds(
    actions: list[Callable[[], object]],
    rounds: int,
    settle: Callable[[], object] = lambda: None,
) -> list[float]:
    """Best wall time of each action over `rounds` alternating rounds, after one warm-up each.

    `settle` runs before each timed action, untimed.
    """
    for action in actions:
        action()
    best = [float("inf")] * len(actions)
    for _ in range(rounds):
        for index, action in enumerate(actions):
            settle()
            started = time.perf_counter()
            action()
            best[index] = min(best[index], time.perf_counter() - started)
    return best


def run(command: list[str]) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)


def cold_build(output: Path) -> tuple[float, float]:
    """Best seconds of a cold CLI build of acme-telco, and of the bare-import floor."""
    script = shutil.which(CONSOLE_SCRIPT, path=Path(sys.executable).parent)
    if script is None:
        raise SystemExit(f"no {CONSOLE_SCRIPT} script beside {sys.executable}: run with uv run")
    build = [script, "build", "--overlay", "acme-telco", "--output", str(output)]
    cold, floor = best_seconds([lambda: run(build), lambda: run(FLOOR)], COLD_ROUNDS)
    return cold, floor


def generated_project(directory: Path, count: int) -> list[str]:
    """A copy of the project with `count` generated overlays; returns their names."""
    skip = shutil.ignore_patterns(".venv", "__pycache__", ".*_cache", "*.charm")
    for part in ("bundles", "overlays", "charms"):
        shutil.copytree(ROOT / part, directory / part, ignore=skip)
    names = [f"gen-{index:03d}" for index in range(count)]
    for index, name in enumerate(names):
        overlay = directory / "overlays" / name / "overlay.yaml"
        overlay.parent.mkdir()
        overlay.write_text(GENERATED.format(index=index))
    return names


def scaled_builds(directory: Path, counts: tuple[int, ...]) -> list[float]:
    """Best seconds of one in-process build composing each count of generated overlays."""

    def action(count: int) -> Callable[[], None]:
        names = generated_project(directory / str(count), count)
        project = api.Project(directory / str(count))
        options = api.BuildOptions(overlays=names, output=directory / "out")

        def build_once() -> None:
            try:
                api.build(project, options)
            except api.InputError as error:
                message = f"the build of {count} generated overlays failed: {error}"
                raise SystemExit(message) from None

        return build_once

    return best_seconds([action(count) for count in counts], SCALE_ROUNDS, settle=gc.collect)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        cold, floor = cold_build(directory / "acme")
        hundred, two_hundred = scaled_builds(directory, (100, 200))
    rows = [
        ('python -c "import yaml, jinja2, typer"', floor),
        ("distro-builder build --overlay acme-telco", cold),
        ("build, 100 generated overlays (in process)", hundred),
        ("build, 200 generated overlays (in process)", two_hundred),
    ]
    print(f"{'figure (best of alternating rounds)':<46} {'time':>10}")
    for label, seconds in rows:
        print(f"{label:<46} {seconds * 1000:>7.1f} ms")
    print(f"cold build / import floor: {cold / floor:.2f}x (target <= {FLOOR_TARGET}x)")
    print(f"200 overlays / 100 overlays: {two_hundred / hundred:.2f}x (target <= {SCALE_TARGET}x)")


if __name__ == "__main__":
    main()
