"""Write a distribution directory atomically.

Files are written (and packed charms copied) into a fresh directory beside the target, then
swapped in by renames: a build that fails leaves an earlier distribution untouched and no
partial one behind.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from ._dist_dir import is_distribution

STAGING = ".new"
RETIRED = "old"
STAGING_MARKER = ".distro-builder-staging"
AT_FDCWD = -100
RENAME_EXCHANGE = 2
CANNOT_EXCHANGE = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV})
COPY_BLOCK = 1 << 20


def write_distribution(target: Path, files: Mapping[str, bytes]) -> None:
    """Replace `target` by a directory holding `files`, atomically (raises OSError).

    See :class:`Staging`, which this is the short form of.
    """
    with Staging(target) as staging:
        staging.write(files)
        staging.commit()


class Staging:
    """A new distribution put together beside `target`, then swapped in at once.

    Entering clears what interrupted builds left beside `target` and makes a staging
    directory there; :meth:`copy` streams files in (hashing them on the way), :meth:`write`
    writes bytes, :meth:`commit` exchanges the staging directory with `target` in one step
    (``renameat2(RENAME_EXCHANGE)``): at every instant the old or the new distribution is
    complete at its path. Where the file system cannot exchange, two renames do it, and a
    distribution left aside by a kill between them is put back by the next build. Leaving
    without a commit (an error) removes the staging directory and leaves `target` as it was.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self._directory: Path | None = None

    def __enter__(self) -> Staging:
        parent = self.target.absolute().parent
        parent.mkdir(parents=True, exist_ok=True)
        clear_leftovers(self.target)
        prefix = _staging_prefix(self.target)
        self._directory = Path(tempfile.mkdtemp(prefix=prefix, suffix=STAGING, dir=parent))
        (self._directory / STAGING_MARKER).write_bytes(b"")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._directory is not None and self._directory.exists():
            shutil.rmtree(self._directory, ignore_errors=True)

    @property
    def directory(self) -> Path:
        """The staging directory (once entered)."""
        if self._directory is None:
            raise RuntimeError("the staging directory is made on entering the context")
        return self._directory

    def copy(self, name: str, source: Path) -> str:
        """Copy `source` to `name` (relative, POSIX) in one pass; its sha256 in hex."""
        destination = self.directory / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        return copy_hashing(source, destination)

    def write(self, files: Mapping[str, bytes]) -> None:
        """Write `files` (relative POSIX name -> bytes)."""
        for name, data in files.items():
            path = self.directory / name
            if "/" in name:
                path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def commit(self) -> None:
        """Put the staged distribution at `target`, replacing what was there in one step."""
        staging, target = self.directory, self.target
        staging.chmod(0o755)
        os.unlink(staging / STAGING_MARKER)
        if not target.exists():
            os.rename(staging, target)
            return
        try:
            exchange(staging, target)
        except OSError as error:
            if error.errno not in CANNOT_EXCHANGE:
                raise
            _replace_in_two_steps(staging, target)


def copy_hashing(source: Path, destination: Path) -> str:
    """Copy `source` to a new file `destination`, hashing each block as it passes; the sha256.

    The bytes are read once, block by block: a thread hashes each block while it is written
    from the same buffer.
    """
    hasher = _BlockHasher()
    buffer = bytearray(COPY_BLOCK)
    view = memoryview(buffer)
    hasher.start()
    try:
        with source.open("rb") as reader, destination.open("xb") as writer:
            while size := reader.readinto(buffer):
                block = view[:size]
                hasher.hash(block)
                writer.write(block)
                hasher.wait()
    finally:
        hasher.stop()
    return hasher.digest.hexdigest()


class _BlockHasher(threading.Thread):
    """Hashes the block it is given while the caller writes it (hashlib releases the GIL)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.digest = hashlib.sha256()
        self._block: memoryview | None = None
        self._given = threading.Semaphore(0)
        self._done = threading.Semaphore(0)

    def hash(self, block: memoryview) -> None:
        self._block = block
        self._given.release()

    def wait(self) -> None:
        self._done.acquire()

    def stop(self) -> None:
        self._block = None
        self._given.release()
        self.join()

    def run(self) -> None:
        while True:
            self._given.acquire()
            block = self._block
            if block is None:
                return
            self.digest.update(block)
            self._done.release()


def exchange(first: Path, second: Path) -> None:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``).

    Raises:
        OSError: EINVAL or ENOSYS where the platform or file system cannot exchange.
    """
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError) as error:
        raise OSError(errno.ENOSYS, "renameat2 is not available") from error
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE):
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first), None, str(second))


def _replace_in_two_steps(staging: Path, target: Path) -> None:
    """Move `target` aside, then `staging` in its place (no exchange on this file system)."""
    retired = target.with_name(_staging_prefix(target) + RETIRED)
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired)


def clear_leftovers(target: Path) -> None:
    """Remove what interrupted builds of `target` left beside it; restore one left aside.

    Only directories named as this tool names its staging directories are touched, and only
    when they hold a staging marker, a distribution this tool wrote, or nothing.
    """
    retired = target.with_name(_staging_prefix(target) + RETIRED)
    if not target.exists() and not target.is_symlink() and is_distribution(retired):
        os.rename(retired, target)
    prefix = _staging_prefix(target)
    for entry in target.absolute().parent.iterdir():
        name = entry.name
        if not name.startswith(prefix) or not name.endswith((STAGING, RETIRED)):
            continue
        if entry.is_dir() and not entry.is_symlink() and _is_ours(entry):
            shutil.rmtree(entry)


def _is_ours(directory: Path) -> bool:
    return (
        (directory / STAGING_MARKER).exists()
        or is_distribution(directory)
        or not any(directory.iterdir())
    )


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.distro-builder."
