"""Reading input files, bounded, and naming them in messages.

Every file the builder reads goes through :func:`read_bounded`: it opens without blocking (a
FIFO named as an input never hangs a build), reads only regular files, and never more than the
bound asked for (a multi-gigabyte file or ``/dev/zero`` costs one bounded read, or nothing).
:func:`read_input` adds what every input shares: a bad name (too long, a NUL character), a
missing file, a directory, a special file or a file past its bound is an
:class:`InputFileError` with the reason in the user's words, for the caller to report at the
position that named the file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

MAX_FILE_BYTES = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | os.O_CLOEXEC

MISSING = "does not exist"  # exported as MISSING_PATH
DIRECTORY = "is a directory, not a file"
SPECIAL = "is not a regular file (a FIFO, a device or a socket)"
NAME_TOO_LONG = "has a name longer than the file system allows"
NUL_IN_NAME = "has a NUL character in its name"
LINK_LOOP = "is a loop of symbolic links"
_REASONS = {
    errno.ENOENT: MISSING,
    errno.ENOTDIR: MISSING,
    errno.EISDIR: DIRECTORY,
    errno.ENAMETOOLONG: NAME_TOO_LONG,
    errno.ELOOP: LINK_LOOP,
}


class NotRegularFileError(OSError):
    """The path names a FIFO, a device or a socket: never an input."""


class BadFileNameError(OSError):
    """The path cannot name a file (it holds a NUL character)."""


class InputFileError(Exception):
    """A file named by the input cannot be used: `reason` says why, after the file's name.

    `missing` tells a file that does not exist (some messages keep Juju's own wording for it).
    """

    def __init__(self, reason: str, *, missing: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing


def open_regular(path: Path) -> BinaryIO:
    """The regular file at `path`, open for reading (binary).

    Opened without blocking, so that a FIFO is refused rather than waited on. Raises OSError:
    :class:`NotRegularFileError` for a FIFO, device or socket, IsADirectoryError for a
    directory, :class:`BadFileNameError` for a name with a NUL character, and whatever the
    system says otherwise.
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except ValueError:  # "embedded null byte"
        raise BadFileNameError(errno.EINVAL, NUL_IN_NAME, str(path)) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, DIRECTORY, str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(errno.EINVAL, SPECIAL, str(path))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_bounded(path: Path, size: int) -> bytes:
    """At most the first `size` bytes of the regular file at `path` (see :func:`open_regular`).

    Ask for one byte more than a bound to tell a file that passes it: a larger file costs one
    bounded read, never more.
    """
    with open_regular(path) as handle:
        return handle.read(size)


def file_problem(error: OSError) -> str | None:
    """What is wrong with an input file, in the user's words; None when the environment failed."""
    if isinstance(error, (NotRegularFileError, BadFileNameError)):
        return error.strerror
    return _REASONS.get(error.errno or 0)


def read_input(path: Path, limit: int) -> bytes:
    """The whole content of the input file at `path`, which must hold at most `limit` bytes.

    Raises:
        InputFileError: the file cannot be an input (missing, a directory or special file, a
            bad name, larger than `limit`).
        OSError: the environment failed (permission denied, an I/O error).
    """
    try:
        data = read_bounded(path, limit + 1)
    except OSError as error:
        reason = file_problem(error)
        if reason is None:
            raise
        raise InputFileError(reason, missing=reason == MISSING) from None
    if len(data) > limit:
        raise InputFileError(f"is larger than {limit} bytes")
    return data


def path_problem(path: Path) -> str | None:
    """Why `path` names nothing usable (in the user's words); None when something is there.

    Never raises: a name too long or holding a NUL character is a reason like a missing file.
    """
    try:
        os.stat(path)
    except ValueError:
        return NUL_IN_NAME
    except OSError as error:
        return file_problem(error) or f"cannot be read ({error.strerror})"
    return None


def is_file(path: Path) -> bool:
    """Whether `path` is a regular file (symlinks followed); False for any name that is not."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    """Whether `path` is a directory (symlinks followed); False for any name that is not."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def display_path(path: Path) -> str:
    """How diagnostics name `path`: relative to the cwd when below it, else absolute."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def is_inside(path: Path, directory: Path) -> bool:
    """Whether `path`, symlinks resolved, is `directory` or below it.

    A path that cannot name a file (a NUL character) is judged by its text alone.
    """
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(directory))
    except ValueError:
        return Path(os.path.normpath(path)).is_relative_to(os.path.normpath(directory))
