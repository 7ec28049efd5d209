"""Build-time figures for distro-builder (targets, not timed tests).

1. Cold CLI: the `distro-builder` console script running `build --overlay acme-telco` in a
   fresh process, next to a bare `python -c "import yaml, jinja2, typer"`, the CLI's own
   libraries (target: within 1.5x of that floor).
2. Scale: one build composing 100, then 200, generated overlays in one process
   (target: 200 costs at most 2.1x of 100).
3. Packed charms: one build of acme-telco with `--charms-dir` of stand-in packed charms of a
   realistic size (9 x 10 MiB) next to the same build without them, `shutil.copyfile` of
   their bytes and sha256 of their bytes: the build copies and hashes each charm in one
   pass (target: what the charms add to the build at most 1.25x of copying plus hashing
   their bytes once); and a rebuild over that distribution, whose guard hashes the charms it
   replaces.

Each figure is the best of several rounds that alternate the two things compared (floor and
build; 100 and 200 overlays), after a warm-up of each: as timeit advises, so that load from
elsewhere on the machine counts for neither (the same method as benchmarks/validate.py). Cold
processes run with Python's bytecode cache on (PYTHONDONTWRITEBYTECODE removed from their
environment), as on a user's machine, for the floor and the build alike; in-process builds start
from a collected heap. Run: `uv run --locked benchmarks/build.py`.
"""

from __future__ import annotations

import gc
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import yaml

from distro_builder import api

ROOT = Path(__file__).resolve().parent.parent
COLD_ROUNDS = 15
SCALE_ROUNDS = 7
FLOOR = [sys.executable, "-c", "import yaml, jinja2, typer"]
FLOOR_TARGET = 1.5
SCALE_TARGET = 2.1
CHARMS_TARGET = 1.25
CHARMS_ROUNDS = 7
CHARM_BYTES = 10 * 1024 * 1024
CONSOLE_SCRIPT = "distro-builder"
GENERATED = """\
distro:
  vars:
    units_{index}: 1
applications:
  extra-x{index}:
    charm: osm-ro
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
    subprocess.run(
        command,
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


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


def standin_charms(directory: Path, size: int) -> list[Path]:
    """A stand-in packed file of each of this repository's charms: its metadata, `size` bytes.

    Named as charmcraft 4 names them; the payload is incompressible, stored as packed charms
    store their virtual environment.
    """
    directory.mkdir(parents=True)
    payload = random.Random(0).randbytes(size)
    packed = []
    for charmcraft in sorted(ROOT.glob("charms/osm-*/charmcraft.yaml")):
        document = yaml.safe_load(charmcraft.read_text())
        platform = next(iter(document["platforms"]))
        skip = ("config", "parts", "platforms", "base", "type")
        metadata = {key: value for key, value in document.items() if key not in skip}
        path = directory / f"{document['name']}_{platform}.charm"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("metadata.yaml", yaml.safe_dump(metadata))
            archive.writestr("config.yaml", yaml.safe_dump(document.get("config") or {}))
            archive.writestr("venv/payload", payload, zipfile.ZIP_STORED)
        packed.append(path)
    return packed


def charm_builds(directory: Path) -> tuple[float, float, float, float, float, int]:
    """Best seconds: build with packed charms, without, their copy, their hash, a rebuild.

    Also the bytes of the packed charms.
    """
    project = api.Project(directory / "project")
    generated_project(project.root, 0)
    packed = standin_charms(directory / "packed", CHARM_BYTES)
    with_charms, without, copies = directory / "with", directory / "without", directory / "copy"
    options = api.BuildOptions(overlays=["acme-telco"], charms_dir=directory / "packed")

    def fresh() -> None:
        for output in (with_charms, without, copies):
            shutil.rmtree(output, ignore_errors=True)
        gc.collect()

    def copy_bytes() -> None:
        copies.mkdir()
        for path in packed:
            shutil.copyfile(path, copies / path.name)

    def hash_bytes() -> None:
        for path in packed:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)

    built, plain, copied, hashed = best_seconds(
        [
            lambda: api.build(project, replace(options, output=with_charms)),
            lambda: api.build(project, replace(options, charms_dir=None, output=without)),
            copy_bytes,
            hash_bytes,
        ],
        CHARMS_ROUNDS,
        settle=fresh,
    )
    api.build(project, replace(options, output=with_charms))
    (rebuilt,) = best_seconds(
        [lambda: api.build(project, replace(options, output=with_charms))],
        CHARMS_ROUNDS,
        settle=gc.collect,
    )
    return built, plain, copied, hashed, rebuilt, sum(path.stat().st_size for path in packed)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        cold, floor = cold_build(directory / "acme")
        hundred, two_hundred = scaled_builds(directory, (100, 200))
        built, plain, copied, hashed, rebuilt, size = charm_builds(directory / "charms")
    mib = size / (1 << 20)
    rows = [
        ('python -c "import yaml, jinja2, typer"', floor),
        ("distro-builder build --overlay acme-telco", cold),
        ("build, 100 generated overlays (in process)", hundred),
        ("build, 200 generated overlays (in process)", two_hundred),
        ("build acme-telco, no packed charms (in process)", plain),
        (f"build acme-telco --charms-dir, 9 charms, {mib:.0f} MiB", built),
        (f"shutil.copyfile of those {mib:.0f} MiB", copied),
        (f"sha256 of those {mib:.0f} MiB", hashed),
        ("rebuild over it (the guard hashes the old charms)", rebuilt),
    ]
    print(f"{'figure (best of alternating rounds)':<52} {'time':>10}")
    for label, seconds in rows:
        print(f"{label:<52} {seconds * 1000:>7.1f} ms")
    print(f"cold build / import floor: {cold / floor:.2f}x (target <= {FLOOR_TARGET}x)")
    print(f"200 overlays / 100 overlays: {two_hundred / hundred:.2f}x (target <= {SCALE_TARGET}x)")
    added = built - plain
    print(
        f"packed charms add {added * 1000:.1f} ms: {added / copied:.2f}x of copying their bytes, "
        f"{added / (copied + hashed):.2f}x of copying and hashing them "
        f"(target <= {CHARMS_TARGET}x)"
    )


if __name__ == "__main__":
    main()
