"""Source positions, diagnostics and the exception that carries them.

Every input error names where it comes from as ``PATH:LINE:COL`` (1-based) and all the errors
of a run are reported together, so stages collect :class:`Diagnostic` objects in lists and raise
:class:`InputError` once a stage cannot go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

from ._text import one_line

Severity = Literal["error", "warning", "note"]
ERROR: Severity = "error"
WARNING: Severity = "warning"
NOTE: Severity = "note"


class Origin(NamedTuple):
    """A position in an input file: path (as given or cwd-relative), 1-based line and column."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Diagnostic(NamedTuple):
    """One finding about the input, printed as ``PATH:LINE:COL: error: MESSAGE``.

    A ``note`` explains the error or warning printed just before it (where the fix is); it
    never fails a run on its own.
    """

    message: str
    origin: Origin | None = None
    path: str | None = None
    severity: Severity = ERROR

    def format(self) -> str:
        """Render the diagnostic the way compilers do, position first, always on one line.

        Messages quote the user text they embed; any control character left (in a path, in
        a message that did not quote) is escaped here, so that no input can end the line or
        forge another diagnostic.
        """
        where = str(self.origin) if self.origin is not None else self.path
        prefix = f"{where}: " if where else ""
        return one_line(f"{prefix}{self.severity}: {self.message}")

    @property
    def is_error(self) -> bool:
        """Whether this diagnostic fails the run."""
        return self.severity == ERROR


class InputError(Exception):
    """The input is wrong: carries every diagnostic found by the stage that gave up."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def raise_if_errors(diagnostics: list[Diagnostic]) -> None:
    """Raise :class:`InputError` with all of `diagnostics` when any of them is an error."""
    if any(d.is_error for d in diagnostics):
        raise InputError(diagnostics)


def promote_warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Turn warnings into errors (``--strict``); notes stay notes."""
    return [d._replace(severity=ERROR) if d.severity == WARNING else d for d in diagnostics]
