"""Import time of every charm against a bare `import ops` (Juju imports the charm every hook).

For each `charms/*/charmcraft.yaml`, the charm's own locked environment is brought up to
date (`uv sync --locked --group unit --inexact`, what `uv run --locked --group unit` does),
then its Python is started afresh again and again, alternating `import ops` and
`import charm` (with PYTHONPATH=src:lib, the charm's code and its libraries).
The table shows the median wall time of each and their ratio; the target is a charm
import no slower than 2.5x `import ops`.

    uv run benchmarks/charm_import.py [--runs 15] [CHARM...]

It prints figures and asserts nothing: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHARMS = ROOT / "charms"
TARGET_RATIO = 2.5
DEFAULT_RUNS = 15
IMPORT_OPS = "import ops"
IMPORT_CHARM = "import charm"


class SetupError(Exception):
    """A charm's environment could not be prepared, or its module does not import."""


@dataclass(frozen=True)
class Measurement:
    """Median wall times, in seconds, of a fresh process importing ops and the charm."""

    charm: str
    ops: float
    charm_module: float

    @property
    def ratio(self) -> float:
        """How many times slower the charm import is than `import ops`."""
        return self.charm_module / self.ops


def charm_dirs(names: list[str]) -> list[Path]:
    """Every charm of the repository (a directory with charmcraft.yaml), or those named."""
    found = sorted(path.parent for path in CHARMS.glob("*/charmcraft.yaml"))
    return [path for path in found if not names or path.name in names]


def charm_python(charm_dir: Path) -> Path:
    """The Python of the charm's locked environment, synchronised first."""
    uv = shutil.which("uv") or "uv"
    command = [uv, "sync", "--quiet", "--locked", "--group", "unit", "--inexact"]
    proc = subprocess.run(command, cwd=charm_dir, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SetupError(_last_line(proc.stderr) or "uv sync failed")
    return charm_dir / ".venv" / "bin" / "python"


def wall_time(python: Path, code: str, charm_dir: Path) -> float:
    """Seconds for a fresh `python -c code` in `charm_dir`, with PYTHONPATH=src:lib."""
    env = {**os.environ, "PYTHONPATH": "src:lib"}
    start = time.perf_counter()
    proc = subprocess.run(
        [str(python), "-c", code], cwd=charm_dir, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SetupError(f"`{code}` failed: {_last_line(proc.stderr)}")
    return elapsed


def measure(charm_dir: Path, runs: int) -> Measurement:
    """Median times of `runs` alternating runs of each import, after one warm-up of each."""
    python = charm_python(charm_dir)
    timings: dict[str, list[float]] = {IMPORT_OPS: [], IMPORT_CHARM: []}
    for code in timings:  # warm-up: byte-compiles src/ and lib/, fills the page cache
        wall_time(python, code, charm_dir)
    for _ in range(runs):
        for code, samples in timings.items():
            samples.append(wall_time(python, code, charm_dir))
    return Measurement(
        charm=charm_dir.name,
        ops=statistics.median(timings[IMPORT_OPS]),
        charm_module=statistics.median(timings[IMPORT_CHARM]),
    )


def table(measurements: list[Measurement], failures: dict[str, str]) -> list[str]:
    """The report's lines: one row per charm, then the verdict."""
    names = [m.charm for m in measurements] + list(failures)
    width = max(len("charm"), *map(len, names))
    header = f"{'charm':<{width}}  {'import ops':>10}  {'import charm':>12}  {'ratio':>6}"
    lines = [header, "-" * len(header)]
    for m in measurements:
        flag = "  over target" if m.ratio > TARGET_RATIO else ""
        lines.append(
            f"{m.charm:<{width}}  {m.ops * 1000:>8.1f}ms  {m.charm_module * 1000:>10.1f}ms"
            f"  {m.ratio:>5.2f}x{flag}"
        )
    lines += [f"{name:<{width}}  not measured: {reason}" for name, reason in failures.items()]
    over = [m.charm for m in measurements if m.ratio > TARGET_RATIO]
    verdict = ", ".join(over) if over else "none"
    lines += ["", f"above {TARGET_RATIO}x bare `import ops`: {verdict}"]
    return lines


def main(argv: list[str]) -> int:
    """Measure the charms given (default: all) and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("charms", nargs="*", help="charm directory names (default: all)")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="runs per import")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    measurements: list[Measurement] = []
    failures: dict[str, str] = {}
    for charm_dir in charm_dirs(args.charms):
        print(f"measuring {charm_dir.name}...", file=sys.stderr, flush=True)
        try:
            measurements.append(measure(charm_dir, args.runs))
        except SetupError as error:
            failures[charm_dir.name] = str(error)
    if not measurements and not failures:
        print("no charm found", file=sys.stderr)
        return 2
    print("\n".join(table(measurements, failures)))
    return 0


def _last_line(text: str) -> str:
    """The last non-blank line of a process's output (its error, for Python)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
