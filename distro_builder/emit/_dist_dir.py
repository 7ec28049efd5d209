"""Where a distribution may be written: a directory this tool wrote, an empty one, or none.

`build` replaces its output directory wholesale, so it first proves that nothing of the user's
is in it: the directory is missing or empty, or it is a distribution whose ``distro.lock``
(first line: the lock header) lists every other entry with the digest it was written with,
the packed charms in its ``charms/`` directory included.
The project root, its ancestors and any directory holding an input of the build are refused
whatever they hold, and so are files and symbolic links.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from distro_builder.check import CHARMS_SUBDIR
from distro_builder.core import (
    LINK_LOOP,
    MAX_FILE_BYTES,
    NAME_TOO_LONG,
    NUL_IN_NAME,
    Diagnostic,
    parse_plain,
    path_problem,
    read_bounded,
)
from distro_builder.juju import BUNDLE_FILE

from ._lock import FILES_KEY, HEADER
from ._names import LOCK_FILE, README_FILE, TOPOLOGY_FILE

# What a lock written before the lock listed its files stands for.
LEGACY_FILES = frozenset({BUNDLE_FILE, README_FILE, TOPOLOGY_FILE})
SHOWN_ENTRIES = 5
# What `path_problem` says of a name no file can have (a missing directory is fine: it is made).
UNNAMEABLE = frozenset({NAME_TOO_LONG, NUL_IN_NAME, LINK_LOOP})
LOCK_READ_LIMIT = MAX_FILE_BYTES


def output_problems(
    target: Path, *, root: Path, inputs: Iterable[Path], shown: str
) -> list[Diagnostic]:
    """Why `build` must not replace `target` with a distribution (empty when it may).

    Args:
        target: the output directory as given.
        root: the project root.
        inputs: every file the build read (absolute, or relative to `root`).
        shown: how messages name `target`.
    """

    def refuse(reason: str) -> list[Diagnostic]:
        return [Diagnostic(f"refusing to write the distribution here: {reason}", path=shown)]

    problem = path_problem(target)
    if problem in UNNAMEABLE:
        return refuse(f"it {problem}")
    if target.is_symlink():
        return refuse("it is a symbolic link; give the directory it points to, or a new one")
    if target.exists() and not target.is_dir():
        return refuse("it is not a directory; give a new or empty directory")
    resolved = Path(os.path.realpath(target))
    project = Path(os.path.realpath(root))
    if project.is_relative_to(resolved):
        what = "the project root" if resolved == project else "it contains the project"
        return refuse(f"{what}; give a directory of its own, such as dist/<name>")
    for path in inputs:
        absolute = Path(os.path.realpath(root / path))
        if absolute.is_relative_to(resolved):
            relative = absolute.relative_to(resolved).as_posix()
            return refuse(f"it holds {relative}, an input of this build")
    if not target.is_dir():
        return []
    problem = foreign_content(target)
    return refuse(problem) if problem else []


def foreign_content(directory: Path) -> str | None:
    """What in `directory` this tool did not write, or None when it may be replaced."""
    entries = _entries(directory)
    if not entries:
        return None
    written = written_files(directory)
    if written is None:
        return (
            "it is not a distribution written by distro-builder (it holds "
            f"{_some(entries)}); give a new or empty directory"
        )
    unknown = [entry for entry in entries if entry not in written and entry != LOCK_FILE]
    if unknown:
        return (
            f"it holds {_some(unknown)}, which distro-builder did not write; "
            "move it away or give another directory"
        )
    for name, digest in written.items():
        path = directory / name
        if path.is_symlink() or (
            digest is not None and path.is_file() and _sha256(path) != digest
        ):
            return (
                f"{name} was changed since distro-builder wrote it; "
                "move it away or give another directory"
            )
    return None


def _entries(directory: Path) -> list[str]:
    """Every entry of `directory`, and of its ``charms/`` directory (``charms/<file>``).

    Directories end in ``/``; a symbolic link is an entry of its own, never followed.
    """
    entries: list[str] = []
    with os.scandir(directory) as scan:
        for entry in scan:
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and entry.name == CHARMS_SUBDIR:
                with os.scandir(entry.path) as charms:
                    entries += [
                        f"{CHARMS_SUBDIR}/{inner.name}"
                        + ("/" if inner.is_dir(follow_symlinks=False) else "")
                        for inner in charms
                    ]
                continue
            entries.append(entry.name + ("/" if is_dir else ""))
    return sorted(entries)


def is_distribution(directory: Path) -> bool:
    """Whether `directory` is a distribution this tool wrote (whatever else it holds)."""
    return directory.is_dir() and written_files(directory) is not None


def written_files(directory: Path) -> Mapping[str, str | None] | None:
    """The files the lock of `directory` says this tool wrote (name -> sha256, or None).

    None when `directory` holds no lock written by this tool.
    """
    lock = directory / LOCK_FILE
    try:
        if lock.is_symlink() or not lock.is_file():
            return None
        text = read_bounded(lock, LOCK_READ_LIMIT).decode()
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(HEADER):
        return None
    try:
        data = parse_plain(text)
    except yaml.YAMLError:
        return None
    files = data.get(FILES_KEY) if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return dict.fromkeys(LEGACY_FILES)
    return {str(name): str(digest) for name, digest in files.items()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _some(entries: list[str]) -> str:
    """The first few of `entries`, comma-separated, with how many more there are."""
    shown = ", ".join(entries[:SHOWN_ENTRIES])
    more = len(entries) - SHOWN_ENTRIES
    return f"{shown} and {more} more" if more > 0 else shown
