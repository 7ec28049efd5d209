"""The commit a source tree is at (read from ``.git``), and whether each input is committed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from distro_builder.core import is_file, read_bounded

MAX_GIT_FILE_BYTES = 64 * 1024 * 1024  # packed-refs of a large repository
_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
GIT = "git"
COMMITTED = "committed"
MODIFIED = "modified"
UNCOMMITTED = "uncommitted"
GIT_TIMEOUT_SECONDS = 30
STATUS = ("status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=all")
STATUS += ("--ignored=traditional",)
# Variables that point git at another repository than the one holding the inputs.
GIT_REDIRECTS = frozenset(
    {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR"}
)


def source_commit(start: Path) -> str | None:
    """The commit checked out in the repository holding `start`, or None."""
    for directory in (start, *start.parents):
        git = directory / ".git"
        if git.exists():
            try:
                return _head_commit(_git_dir(git))
            except OSError:
                return None
    return None


def _git_dir(git: Path) -> Path:
    """The git directory: `.git` itself, or where a worktree's `.git` file points."""
    if is_file(git):
        target = _read(git).strip().removeprefix("gitdir:").strip()
        return (git.parent / target).resolve()
    return git


def _head_commit(git: Path) -> str | None:
    head = _read(git / "HEAD").strip()
    if not head.startswith("ref:"):
        return head if _SHA.fullmatch(head) else None
    ref = head.removeprefix("ref:").strip()
    common = git
    if is_file(git / "commondir"):
        common = (git / _read(git / "commondir").strip()).resolve()
    for base in (git, common):
        loose = base / ref
        if is_file(loose):
            sha = _read(loose).strip()
            return sha if _SHA.fullmatch(sha) else None
    packed = common / "packed-refs"
    if is_file(packed):
        for line in _read(packed).splitlines():
            sha, _, name = line.partition(" ")
            if name == ref and _SHA.fullmatch(sha):
                return sha
    return None


class InputStates:
    """Whether each input of a build is as committed, read by one ``git status`` call.

    The call starts at once and runs while the build goes on; :meth:`states` waits for it.
    Each input is `committed` (as in the source commit), `modified` (tracked, but differs
    from it: changed, staged or not), `uncommitted` (not in it: untracked, ignored or only
    added), or None where git cannot say (no repository, no git, outside the repository).
    """

    def __init__(self, root: Path, paths: Sequence[str]) -> None:
        self._paths = list(paths)
        self._inside: dict[str, str] = {}
        self._process: subprocess.Popen[bytes] | None = None
        top = _work_tree(root)
        git = shutil.which(GIT)
        if top is None or git is None:
            return
        for path in self._paths:
            absolute = Path(os.path.abspath(root / path))
            if absolute.is_relative_to(top):
                self._inside[path] = absolute.relative_to(top).as_posix()
        if not self._inside:
            return
        pathspecs = [f":(literal){relative}" for relative in self._inside.values()]
        command = [git, "-C", str(top), "--no-optional-locks", *STATUS, "--", *pathspecs]
        environment = {k: v for k, v in os.environ.items() if k not in GIT_REDIRECTS}
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=environment,
            )
        except OSError:
            self._process = None

    def close(self) -> None:
        """Stop the git call if it still runs (the build ended early)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.communicate()

    def states(self) -> dict[str, str | None]:
        """Each input path (as given) and its state."""
        unknown: dict[str, str | None] = dict.fromkeys(self._paths)
        if self._process is None:
            return unknown
        try:
            output, _ = self._process.communicate(timeout=GIT_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            return unknown
        if self._process.returncode != 0:
            return unknown
        changed = _porcelain(output)
        directories = [path for path in changed if path.endswith("/")]
        states = unknown
        for path, relative in self._inside.items():
            within = next((d for d in directories if relative.startswith(d)), None)
            states[path] = changed.get(relative) or (changed[within] if within else COMMITTED)
        return states


def _porcelain(output: bytes) -> dict[str, str]:
    """`git status --porcelain=v1 -z --no-renames` entries: path -> state."""
    changed: dict[str, str] = {}
    for entry in output.split(b"\0"):
        if len(entry) < 4:
            continue
        code, path = entry[:2].decode(), os.fsdecode(entry[3:])
        new = code in ("??", "!!") or code[0] == "A"
        changed[path] = UNCOMMITTED if new else MODIFIED
    return changed


def _work_tree(start: Path) -> Path | None:
    """The top of the git work tree holding `start` (where `.git` is), or None."""
    start = Path(os.path.abspath(start))
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def _read(path: Path) -> str:
    """A small git file as text (OSError when it is not a regular file or is too large)."""
    data = read_bounded(path, MAX_GIT_FILE_BYTES + 1)
    if len(data) > MAX_GIT_FILE_BYTES:
        raise OSError(f"{path} is larger than {MAX_GIT_FILE_BYTES} bytes")
    return data.decode("utf-8", errors="replace")
