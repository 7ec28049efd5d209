"""Reading input files, bounded, and naming them in messages."""

from __future__ import annotations

import os
from pathlib import Path

MAX_FILE_BYTES = 1024 * 1024


def read_bounded(path: Path, size: int) -> bytes:
    """At most the first `size` bytes of the file at `path` (raises OSError).

    Every input the builder reads goes through here; ask for one byte more than a bound
    to tell a file that passes it.
    """
    with path.open("rb") as handle:
        return handle.read(size)


def display_path(path: Path) -> str:
    """How diagnostics name `path`: relative to the cwd when below it, else absolute."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def is_inside(path: Path, directory: Path) -> bool:
    """Whether `path`, symlinks resolved, is `directory` or below it."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(directory))
