"""`build --output`: only a distribution this tool wrote is ever replaced, and atomically."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from helpers import REPO_ROOT
from typer.testing import CliRunner

from distro_builder import api
from distro_builder.cli import create_app
from distro_builder.emit import _write as emit
from distro_builder.emit import write_distribution

# topology.svg only where Graphviz draws it.
FILES = {"README.md", "bundle.yaml", "distro.lock"} | (
    {"topology.svg"} if shutil.which("dot") else set()
)


def build(project: Path, *args: str) -> tuple[int, str]:
    """Run `build --root project ARGS...`: the exit status and stderr."""
    result = CliRunner().invoke(create_app(), ["build", "--root", str(project), *args])
    return result.exit_code, result.stderr


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file below `directory` (symlinks as their target), by relative path."""
    files = {}
    for path in sorted(directory.rglob("*")):
        key = path.relative_to(directory).as_posix()
        if path.is_symlink():
            files[key] = os.readlink(path).encode()
        elif path.is_file():
            files[key] = path.read_bytes()
    return files


def test_output_holding_other_distributions_is_refused(project: Path):
    assert build(project, "--overlay", "globex")[0] == 0
    assert build(project)[0] == 0
    dist = project / "dist"
    before = snapshot(dist)
    status, stderr = build(project, "--overlay", "acme-telco", "--output", str(dist))
    assert status == 2
    assert stderr.startswith(f"{dist}: error: ")
    assert "not a distribution written by distro-builder" in stderr
    assert "globex-lab/" in stderr and "osm/" in stderr
    assert snapshot(dist) == before


def test_output_holding_an_overlay_is_refused(project: Path):
    overlay_dir = project / "overlays/acme-telco"
    before = snapshot(overlay_dir)
    status, stderr = build(project, "--overlay", "acme-telco", "--output", str(overlay_dir))
    assert status == 2
    assert f"{overlay_dir}: error: " in stderr
    assert "overlay.yaml" in stderr and "input of this build" in stderr
    assert snapshot(overlay_dir) == before


def test_an_unrelated_overlay_directory_is_refused_too(project: Path):
    # Not an input of this build, but not a distribution either: the user's files stay.
    before = snapshot(project / "overlays/globex")
    status, stderr = build(project, "--output", str(project / "overlays/globex"))
    assert status == 2
    assert "not a distribution written by distro-builder" in stderr
    assert snapshot(project / "overlays/globex") == before


def test_the_project_root_and_its_ancestors_are_refused(project: Path):
    (project / ".git").mkdir()
    (project / ".git/HEAD").write_text("ref: refs/heads/main\n")
    before = snapshot(project)
    for target in (project, project.parent):
        status, stderr = build(project, "--output", str(target))
        assert status == 2, stderr
        assert f"{target}: error: " in stderr
        assert "project" in stderr
    assert snapshot(project) == before


def test_a_file_or_a_symlink_given_as_output_is_refused(project: Path, tmp_path: Path):
    file = tmp_path / "notes.txt"
    file.write_text("mine\n")
    status, stderr = build(project, "--output", str(file))
    assert status == 2
    assert f"{file}: error: " in stderr and "not a directory" in stderr
    assert file.read_text() == "mine\n"

    real = tmp_path / "real"
    assert build(project, "--output", str(real))[0] == 0
    link = tmp_path / "link"
    link.symlink_to(real)
    before = snapshot(real)
    status, stderr = build(project, "--overlay", "globex", "--output", str(link))
    assert status == 2
    assert f"{link}: error: " in stderr and "symbolic link" in stderr
    assert link.is_symlink() and snapshot(real) == before


def test_a_directory_holding_anything_but_a_distribution_is_refused(project: Path, tmp_path: Path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.tex").write_text("years of work\n")
    status, stderr = build(project, "--output", str(target))
    assert status == 2
    assert "thesis.tex" in stderr
    assert (target / "thesis.tex").read_text() == "years of work\n"


def test_a_distribution_with_a_file_added_or_changed_by_the_user_is_refused(
    project: Path, tmp_path: Path
):
    target = tmp_path / "out"
    assert build(project, "--output", str(target))[0] == 0
    (target / "notes.md").write_text("my notes\n")
    status, stderr = build(project, "--output", str(target))
    assert status == 2
    assert "notes.md" in stderr
    (target / "notes.md").unlink()
    (target / "bundle.yaml").write_text("# edited by hand\n")
    status, stderr = build(project, "--output", str(target))
    assert status == 2
    assert "bundle.yaml" in stderr and "changed since" in stderr
    assert (target / "bundle.yaml").read_text() == "# edited by hand\n"


def test_an_empty_a_missing_and_an_own_distribution_directory_are_written(
    project: Path, tmp_path: Path
):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(project, "--output", str(empty))[0] == 0
    assert set(os.listdir(empty)) == FILES
    assert build(project, "--overlay", "globex", "--output", str(empty))[0] == 0
    assert yaml.safe_load((empty / "distro.lock").read_text())["name"] == "globex-lab"
    missing = tmp_path / "a/b/missing"
    assert build(project, "--output", str(missing))[0] == 0
    assert set(os.listdir(missing)) == FILES


def test_the_lock_lists_every_file_it_wrote_with_its_digest(project: Path, tmp_path: Path):

    target = tmp_path / "out"
    assert build(project, "--output", str(target))[0] == 0
    lock = yaml.safe_load((target / "distro.lock").read_text())
    assert set(lock["files"]) == FILES - {"distro.lock"}
    for name, digest in lock["files"].items():
        assert hashlib.sha256((target / name).read_bytes()).hexdigest() == digest


# Atomicity: kill the writer at every step of the swap; the old or the new distribution
# is complete at its path at every instant, and the next build clears the leftovers.


def complete(directory: Path, name: str) -> bool:
    """Whether `directory` holds a whole distribution named `name`."""
    if not directory.is_dir() or set(os.listdir(directory)) != FILES:
        return False
    lock = yaml.safe_load((directory / "distro.lock").read_text())
    return lock["name"] == name and all(
        hashlib.sha256((directory / file).read_bytes()).hexdigest() == digest
        for file, digest in lock["files"].items()
    )


def killed_at(step: int, action: Callable[[], object], monkeypatch: pytest.MonkeyPatch) -> bool:
    """Run `action` in a child process killed (SIGKILL) at its `step`-th file operation.

    Returns whether the child was killed (False: it finished before that step).
    """
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        count = 0

        def fatal(real: Callable[..., object]) -> Callable[..., object]:
            def operation(*args: object, **kwargs: object) -> object:
                nonlocal count
                count += 1
                if count == step:
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(*args, **kwargs)

            return operation

        monkeypatch.setattr(emit, "exchange", fatal(emit.exchange))
        monkeypatch.setattr(emit.os, "rename", fatal(os.rename))
        monkeypatch.setattr(emit.shutil, "rmtree", fatal(shutil.rmtree))
        monkeypatch.setattr(Path, "write_bytes", fatal(Path.write_bytes))
        try:
            action()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


def test_a_kill_at_any_step_leaves_a_complete_distribution(
    project: Path, monkeypatch: pytest.MonkeyPatch
):
    target = project / "dist/out"
    assert build(project, "--output", str(target))[0] == 0
    names = ["osm", "globex-lab"]
    step = 1
    while True:
        overlays = ("globex",) if step % 2 else ()
        options = api.BuildOptions(overlays=overlays, output=target)
        was_killed = killed_at(
            step, lambda options=options: api.build(api.Project(project), options), monkeypatch
        )
        assert any(complete(target, name) for name in names), f"killed at step {step}"
        # The next build clears what the killed one left behind.
        assert build(project, "--output", str(target))[0] == 0
        assert sorted(os.listdir(target.parent)) == ["out"], f"after a kill at step {step}"
        if not was_killed:
            break
        step += 1
    assert step > 4


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_a_kill_at_the_rename_syscalls_leaves_a_complete_distribution(project: Path):
    # The reproduction of the report: SIGKILL injected at the n-th rename system call.
    target = project / "dist/osm"
    assert build(project)[0] == 0
    for when in (1, 2, 3):
        command = [
            "strace", "-f", "-qq", "-o", os.devnull,
            "-e", "trace=rename,renameat,renameat2",
            "-e", f"inject=rename,renameat,renameat2:signal=KILL:when={when}",
            sys.executable, "-m", "distro_builder", "build", "--root", str(project),
            "--overlay", "globex", "--output", str(target),
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        assert proc.returncode in (0, -signal.SIGKILL, 128 + signal.SIGKILL), proc.stderr
        assert complete(target, "osm") or complete(target, "globex-lab"), f"when={when}"
        assert build(project, "--output", str(target))[0] == 0
        assert sorted(os.listdir(target.parent)) == ["osm"]


def test_write_distribution_falls_back_where_the_file_system_cannot_exchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def unsupported(source: Path, destination: Path) -> None:
        raise OSError(22, "Invalid argument")

    target = tmp_path / "dist/x"
    write_distribution(target, {"a.txt": b"1"})
    monkeypatch.setattr(emit, "exchange", unsupported)
    write_distribution(target, {"a.txt": b"2"})
    assert (target / "a.txt").read_bytes() == b"2"
    assert os.listdir(target.parent) == ["x"]


def test_an_output_name_no_file_system_allows_is_an_input_error(project: Path, tmp_path: Path):
    target = tmp_path / ("x" * 300)
    status, stderr = build(project, "--output", str(target))
    assert status == 2
    assert stderr.startswith(f"{target}: error: refusing to write the distribution here: it has")
    assert "a name longer than the file system allows" in stderr
