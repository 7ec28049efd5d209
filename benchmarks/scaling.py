"""How each stage grows with its input: the shapes that once grew quadratically, at N and 2N.

Every shape is generated inside the input bounds the README states (files of at most 1 MiB,
100,000 YAML nodes per document) and timed through the API at a size N and at 2N; an about
linear stage costs about 2x (target: at most 2.5x, which leaves room for noise and for
n log n sorting). Each figure is the best of a few rounds that alternate N and 2N, with the
garbage collector off while timing (as benchmarks/validate.py and timeit do).

Shapes:

- comment: an overlay of N option lines holding one ``{# ... #}`` comment line, so that the
  rendered text has one line fewer than the file and its lines are mapped back (the line
  map); 2N is about 630 KB. Timed: compose.
- long-value: one plain option value of N characters (2N = 100,000), through every check
  that reads values (types, rules, secrets, images). Timed: validate.
- applications: N applications with 2N relations (2N = 2,000 applications, 4,000
  relations), each a copy of RO related to MongoDB and Kafka. Timed: a whole build (the
  distribution written, topology.svg included when Graphviz is installed).
- relations: N relations (2N = 100,000) between 100 providers and 100 consumers of two
  synthetic charms, spread over the base and overlays (no file or document above the bounds).
  Timed: a whole build, as for applications.

Run: uv run --locked benchmarks/scaling.py [SHAPE...]
"""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from distro_builder import api

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3
TARGET_RATIO = 2.5
ENDPOINTS = 10
RELATIONS_PER_FILE = 34_000  # about 750 KB rendered: inside the 1 MiB bound
RELATIONS_PER_DOCUMENT = 30_000  # 3 nodes each: inside the 100,000-node bound
PROVIDERS = CONSUMERS = 100
Action = Callable[[], object]


def copy_project(directory: Path) -> api.Project:
    """A copy of the repository's project (base, overlays, charms) in `directory`."""
    skip = shutil.ignore_patterns(".venv", "__pycache__", ".*_cache", "*.charm", "build")
    for part in ("bundles", "overlays", "charms"):
        shutil.copytree(ROOT / part, directory / part, ignore=skip)
    return api.Project(directory)


def write_overlay(project: api.Project, name: str, text: str) -> None:
    overlay = project.overlays_dir / name / "overlay.yaml"
    overlay.parent.mkdir(parents=True, exist_ok=True)
    overlay.write_text(text)


def comment_shape(directory: Path, size: int) -> Action:
    """An overlay of `size` applications (four lines, three alike) and a comment line."""
    project = copy_project(directory)
    lines = ["applications:"]
    for index in range(size):
        lines += [
            f"  extra{index}:",
            "    charm: osm-ro",
            "    channel: latest/edge",
            "    scale: 1",
        ]
    lines.insert(len(lines) // 2, "{# a comment on a line of its own #}")
    write_overlay(project, "shape", "\n".join(lines) + "\n")
    options = api.ComposeOptions(overlays=["shape"])
    return lambda: api.compose(project, options)


def long_value_shape(directory: Path, size: int) -> Action:
    """One plain option value of `size` characters, checked by validate."""
    project = copy_project(directory)
    value = "a" * size
    write_overlay(
        project, "shape", f"applications:\n  ro:\n    options:\n      certificates: {value}\n"
    )
    options = api.CheckOptions(overlays=["shape"])
    return lambda: _checked(project, options)


def applications_shape(directory: Path, size: int) -> Action:
    """`size` copies of RO, each related to MongoDB and Kafka, built into a distribution."""
    project = copy_project(directory)
    lines = ["applications:"]
    for index in range(size):
        lines += [
            f"  ro{index}:",
            "    charm: osm-ro",
            '    resources: {ro-image: "{{ registry }}/ro:{{ osm_version }}"}',
        ]
    lines.append("relations:")
    for index in range(size):
        lines += [f"  - [ro{index}:mongodb, mongodb]", f"  - [ro{index}:kafka, kafka]"]
    write_overlay(project, "shape", "\n".join(lines) + "\n")
    options = api.BuildOptions(overlays=["shape"], output=directory / "dist")
    return lambda: api.build(project, options)


def relations_shape(directory: Path, size: int) -> Action:
    """`size` distinct relations between synthetic providers and consumers, built."""
    project = api.Project(directory)
    _synthetic_charms(directory)
    project.base_dir.mkdir(parents=True)
    project.defaults.write_text("distro: {name: bench}\n")
    applications = {f"p{n}": {"charm": "bench-provider"} for n in range(PROVIDERS)}
    applications |= {f"c{n}": {"charm": "bench-consumer"} for n in range(CONSUMERS)}
    relations = [
        f"[c{number % CONSUMERS}:r{number // (CONSUMERS * PROVIDERS)}, "
        f"p{number // CONSUMERS % PROVIDERS}:p{number // (CONSUMERS * PROVIDERS)}]"
        for number in range(size)
    ]
    files = [relations[i : i + RELATIONS_PER_FILE] for i in range(0, size, RELATIONS_PER_FILE)]
    base = yaml.safe_dump({"bundle": "kubernetes", "applications": applications})
    project.base_template.write_text(base + _relation_documents(files[0]))
    names = []
    for number, chunk in enumerate(files[1:]):
        names.append(f"part{number}")
        write_overlay(project, names[-1], _relation_documents(chunk, separate_first=False))
    options = api.BuildOptions(overlays=names, output=directory / "dist")
    return lambda: api.build(project, options)


def _relation_documents(relations: list[str], *, separate_first: bool = True) -> str:
    chunks = [
        relations[i : i + RELATIONS_PER_DOCUMENT]
        for i in range(0, len(relations), RELATIONS_PER_DOCUMENT)
    ]
    documents = ["relations:\n" + "".join(f"- {r}\n" for r in chunk) for chunk in chunks]
    text = "---\n".join(documents)
    return ("---\n" + text) if separate_first else text


def _synthetic_charms(root: Path) -> None:
    charms = {
        "bench-provider": {
            "provides": {f"p{n}": {"interface": f"i{n}"} for n in range(ENDPOINTS)}
        },
        "bench-consumer": {
            "requires": {f"r{n}": {"interface": f"i{n}"} for n in range(ENDPOINTS)}
        },
    }
    for name, metadata in charms.items():
        directory = root / "charms" / name
        directory.mkdir(parents=True)
        facts = {"name": name, "platforms": {"amd64": None}, **metadata}
        (directory / "charmcraft.yaml").write_text(yaml.safe_dump(facts))


def _checked(project: api.Project, options: api.CheckOptions) -> object:
    try:
        return api.validate(project, options)
    except api.InputError as error:  # a finding about the value is fine: the time counts
        return error


SHAPES: dict[str, tuple[Callable[[Path, int], Action], int, str]] = {
    "comment": (comment_shape, 4_000, "applications of 4 lines"),
    "long-value": (long_value_shape, 50_000, "characters"),
    "applications": (applications_shape, 1_000, "applications (2 relations each)"),
    "relations": (relations_shape, 50_000, "relations"),
}


def best_of(actions: list[Action], rounds: int) -> list[float]:
    """Best seconds of each action over `rounds` alternating rounds (after a warm-up)."""
    for action in actions:
        action()
    best = [float("inf")] * len(actions)
    for _ in range(rounds):
        for index, action in enumerate(actions):
            gc.collect()
            gc.disable()  # as timeit does: time the work, not when the collector runs
            started = time.perf_counter()
            try:
                action()
            finally:
                best[index] = min(best[index], time.perf_counter() - started)
                gc.enable()
    return best


def main(names: list[str]) -> None:
    unknown = sorted(set(names) - set(SHAPES))
    if unknown:
        raise SystemExit(f"unknown shape(s) {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    print(f"{'shape':<14} {'N':>8} {'time N':>10} {'2N':>8} {'time 2N':>10} {'ratio':>7}")
    verdicts = []
    for name in names or list(SHAPES):
        make, size, unit = SHAPES[name]
        with tempfile.TemporaryDirectory() as scratch:
            directory = Path(scratch)
            actions = [make(directory / str(n), n) for n in (size, 2 * size)]
            small, large = best_of(actions, ROUNDS)
        ratio = large / small
        verdicts.append(ratio <= TARGET_RATIO)
        print(
            f"{name:<14} {size:>8} {small * 1000:>8.0f}ms {2 * size:>8} {large * 1000:>8.0f}ms"
            f" {ratio:>6.2f}x  ({unit})"
        )
    met = "met" if all(verdicts) else "MISSED"
    print(f"target: each shape at most {TARGET_RATIO}x from N to 2N: {met}")


if __name__ == "__main__":
    main(sys.argv[1:])
