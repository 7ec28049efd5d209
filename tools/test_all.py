"""Run every test of the repository: the builder's and its lint, each charm's, then zizmor.

Run it as the README's Quick start does, with the groups it needs:
`uv run --locked --group test --group lint tools/test_all.py` (the builder's default
environment holds only what `distro-builder build` needs). Each charm (and charms/_libs,
the shared charm libraries) is tested in its own pytest process and its own locked
environment (`uv run` in the charm directory), exactly as it is packed: nine charms whose
entry module is `charm` cannot share one interpreter. The last line is a total in the
plain form `N passed, N failed, N skipped` (each lint check and zizmor count as one test).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHARMS = ROOT / "charms"
WORKFLOWS = ROOT / ".github" / "workflows"
COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed)")
LINT = (
    ("ruff check", ["ruff", "check", "."]),
    ("ruff format", ["ruff", "format", "--check", "."]),
)


@dataclass
class Tally:
    """Test outcome counts summed over several pytest runs."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, output: str) -> None:
        """Add the counts of pytest's closing line in `output`."""
        closing = [line for line in output.splitlines() if COUNT.search(line) and " in " in line]
        for line in closing[-1:]:
            for number, word in COUNT.findall(line):
                if word == "passed" or word == "xfailed":
                    self.passed += int(number)
                elif word == "skipped":
                    self.skipped += int(number)
                else:
                    self.failed += int(number)


def charm_projects() -> list[Path]:
    """Every charm (and the shared charm libraries): a charms/ project with unit tests."""
    return sorted(path.parent.parent for path in CHARMS.glob("*/tests/unit"))


def run(label: str, command: list[str], cwd: Path, tally: Tally) -> int:
    """Run one pytest process, echo its output, and add its counts to `tally`."""
    print(f"\n### {label}: {' '.join(command)}", flush=True)
    proc = subprocess.run(
        command, cwd=cwd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    sys.stdout.write(proc.stdout)
    tally.add(proc.stdout)
    # pytest exit 5 means "no tests collected": not a failure of the run.
    return 0 if proc.returncode in (0, 5) else proc.returncode


def audit_workflows(tally: Tally) -> int:
    """Audit .github/workflows with zizmor, offline: one more test, failed from medium up."""
    beside = Path(sys.executable).with_name("zizmor")
    zizmor = str(beside) if beside.is_file() else shutil.which("zizmor")
    workflows = str(WORKFLOWS.relative_to(ROOT))
    print(f"\n### zizmor: zizmor --offline --min-severity medium {workflows}", flush=True)
    if zizmor is None:
        print("zizmor is not installed (the test group has it on Python >= 3.11): skipped")
        tally.skipped += 1
        return 0
    command = [zizmor, "--offline", "--min-severity", "medium", workflows]
    proc = subprocess.run(
        command, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    sys.stdout.write(proc.stdout)
    if proc.returncode == 0:
        tally.passed += 1
    else:
        tally.failed += 1
    return proc.returncode


def main(argv: list[str]) -> int:
    """Run the builder's tests, then every charm's unit tests; return non-zero on failure."""
    tally = Tally()
    failures: list[str] = []
    extra = argv[1:]
    builder = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
    if run("distro-builder", builder, ROOT, tally):
        failures.append("distro-builder")
    for label, command in LINT:
        print(f"\n### {label}: {' '.join(command)}", flush=True)
        if subprocess.run([sys.executable, "-m", *command], cwd=ROOT).returncode:
            tally.failed += 1
            failures.append(label)
        else:
            tally.passed += 1
    uv = shutil.which("uv") or "uv"
    for charm in charm_projects():
        command = [uv, "run", "--locked", "--group", "unit", "pytest", "-q", "tests/unit", *extra]
        if run(charm.name, command, charm, tally):
            failures.append(charm.name)
    if audit_workflows(tally):
        failures.append("zizmor")
    if failures:
        print(f"\nfailed: {', '.join(failures)}")
    print(f"\n{tally.passed} passed, {tally.failed} failed, {tally.skipped} skipped")
    return 1 if failures or tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
