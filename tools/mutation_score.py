"""Mutation score of the builder's checks: ``juju/``, the charm checks and the secret checks.

    uv run --locked --group mutation tools/mutation_score.py [TARGET...] [--jobs N] [--keep DIR]

TARGET is ``juju``, ``charm-checks`` or ``secrets`` (default: all three). For each target,
mutmut 3 (``[tool.mutmut]`` in pyproject.toml, the ``mutation`` dependency group) mutates the
target's modules in a scratch copy of the checkout (mutmut writes its ``mutants/`` tree there,
never into the checkout) and runs each mutant against the target's own tests that cover the
mutated function (mutmut's per-function test selection, among the test files listed below).
A table per target prints one row per module: mutants, killed, survived, no tests (no selected
test calls the function), timeouts and the score, killed / (mutants - skipped). ``--keep DIR``
keeps the scratch copies, so that ``mutmut results`` / ``mutmut show NAME`` run in
``DIR/<target>`` list and show the survivors. Figures, not a test: nothing fails below a
threshold.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What the selected tests read besides the package and tests/ (mutmut copies those).
ALSO_COPY = ("bundles", "overlays", "charms", "tools", "README.md", "concierge.yaml")
KILLED = {1, 3, 36, 37, -24, 24, 152, 255, -11, -9}  # killed, timeout, type check, crash
TIMEOUT = {36, -24, 24, 152, 255}
NO_TESTS = {5, 33}
SKIPPED = {34}


@dataclass(frozen=True)
class Target:
    """Modules to mutate and the test files (globs) that test them."""

    modules: tuple[str, ...]
    tests: tuple[str, ...]
    exclude: tuple[str, ...] = ()


TARGETS = {
    "juju": Target(
        modules=("distro_builder/juju/*.py",),
        tests=("tests/test_juju_*.py",),
        exclude=("distro_builder/juju/__init__.py",),
    ),
    "charm-checks": Target(
        modules=("distro_builder/check/*.py",),
        tests=("tests/test_charm_*.py", "tests/test_catalog*.py"),
        exclude=("distro_builder/check/__init__.py", "distro_builder/check/_secrets.py"),
    ),
    "secrets": Target(
        modules=("distro_builder/check/_secrets.py",),
        tests=("tests/test_*secret*.py", "tests/test_charm_checks*.py"),
    ),
}


@dataclass
class Row:
    """The outcome of one module's mutants."""

    module: str
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    no_tests: int = 0
    timeout: int = 0
    skipped: int = 0

    @property
    def score(self) -> float:
        """Killed mutants per mutant that was run or had no test."""
        counted = self.mutants - self.skipped
        return 100.0 * self.killed / counted if counted else 100.0

    def add(self, exit_code: int | None) -> None:
        """Count one mutant by mutmut's exit code for it."""
        self.mutants += 1
        if exit_code in KILLED:
            self.killed += 1
            self.timeout += exit_code in TIMEOUT
        elif exit_code in NO_TESTS:
            self.no_tests += 1
        elif exit_code in SKIPPED:
            self.skipped += 1
        else:
            self.survived += 1


def project_files() -> list[str]:
    """The checkout's files as git sees them (committed or not), without ignored ones."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def mutmut_config(target: Target, files: list[str]) -> str:
    """The ``[tool.mutmut]`` table for `target` (same keys as pyproject.toml's)."""
    tests = sorted(
        {name for pattern in target.tests for name in files if fnmatch.fnmatch(name, pattern)}
    )

    def array(items: list[str] | tuple[str, ...]) -> str:
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    return "\n".join(
        [
            "[tool.mutmut]",
            'source_paths = ["distro_builder"]',
            f"only_mutate = {array(target.modules)}",
            f"do_not_mutate = {array(target.exclude)}",
            f"also_copy = {array(ALSO_COPY)}",
            f"pytest_add_cli_args_test_selection = {array(tests)}",
            'pytest_add_cli_args = ["-p", "no:cacheprovider"]',
            "use_git_change_detection = false",
            "",
        ]
    )


def with_config(pyproject: str, table: str) -> str:
    """`pyproject` with its ``[tool.mutmut]`` table replaced by `table`."""
    kept = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", pyproject)
    return kept.rstrip("\n") + "\n\n" + table


def prepare(scratch: Path, target: Target) -> None:
    """A copy of the checkout in `scratch`, configured for `target`."""
    files = project_files()
    for name in files:
        destination = scratch / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)
    pyproject = scratch / "pyproject.toml"
    pyproject.write_text(with_config(pyproject.read_text(), mutmut_config(target, files)))


def run_mutmut(scratch: Path, jobs: int) -> None:
    """Run mutmut in `scratch`; its output goes to ``mutmut.log`` there."""
    log = scratch / "mutmut.log"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with log.open("w") as output:
        status = subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)],
            cwd=scratch,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode
    if status != 0:
        tail = log.read_text(errors="replace").splitlines()[-30:]
        raise SystemExit(f"mutmut failed ({status}) in {scratch}:\n" + "\n".join(tail))


def results(scratch: Path) -> list[Row]:
    """One row per mutated module, from mutmut's ``.meta`` files."""
    rows: list[Row] = []
    for meta in sorted((scratch / "mutants").rglob("*.py.meta")):
        module = meta.relative_to(scratch / "mutants").as_posix().removesuffix(".meta")
        row = Row(module)
        for exit_code in json.loads(meta.read_text())["exit_code_by_key"].values():
            row.add(exit_code)
        if row.mutants:
            rows.append(row)
    return rows


def table(name: str, rows: list[Row]) -> str:
    """The rows as a Markdown table, with a total line."""
    total = Row("total")
    for row in rows:
        for field in ("mutants", "killed", "survived", "no_tests", "timeout", "skipped"):
            setattr(total, field, getattr(total, field) + getattr(row, field))
    lines = [
        f"### {name}",
        "",
        "| module | mutants | killed | survived | no tests | timeout | score |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {row.module} | {row.mutants} | {row.killed} | {row.survived} | "
        f"{row.no_tests} | {row.timeout} | {row.score:.1f}% |"
        for row in [*rows, total]
    )
    return "\n".join(lines)


def main() -> None:
    """Measure each target given (default: all) and print its table."""
    parser = argparse.ArgumentParser(description="Mutation score of the builder's checks.")
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=", ".join(TARGETS))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", type=Path, help="keep the scratch copies under this directory")
    arguments = parser.parse_args()
    unknown = [name for name in arguments.targets if name not in TARGETS]
    if unknown:
        parser.error(f"unknown target {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    for name in arguments.targets or list(TARGETS):
        with tempfile.TemporaryDirectory(prefix=f"mutation-{name}-") as temporary:
            scratch = Path(temporary)
            if arguments.keep is not None:
                scratch = arguments.keep.resolve() / name
                shutil.rmtree(scratch, ignore_errors=True)
                scratch.mkdir(parents=True)
            prepare(scratch, TARGETS[name])
            run_mutmut(scratch, arguments.jobs)
            print(table(name, results(scratch)), end="\n\n", flush=True)


if __name__ == "__main__":
    main()
