"""The commit a source tree is at, read from ``.git`` without running git."""

from __future__ import annotations

import re
from pathlib import Path

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


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
    if git.is_file():
        target = git.read_text(encoding="utf-8").strip().removeprefix("gitdir:").strip()
        return (git.parent / target).resolve()
    return git


def _head_commit(git: Path) -> str | None:
    head = (git / "HEAD").read_text(encoding="utf-8").strip()
    if not head.startswith("ref:"):
        return head if _SHA.match(head) else None
    ref = head.removeprefix("ref:").strip()
    common = git
    if (git / "commondir").is_file():
        common = (git / (git / "commondir").read_text(encoding="utf-8").strip()).resolve()
    for base in (git, common):
        loose = base / ref
        if loose.is_file():
            sha = loose.read_text(encoding="utf-8").strip()
            return sha if _SHA.match(sha) else None
    packed = common / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(encoding="utf-8").splitlines():
            sha, _, name = line.partition(" ")
            if name == ref and _SHA.match(sha):
                return sha
    return None
