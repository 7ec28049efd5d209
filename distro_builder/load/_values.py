"""Template variables that keep the text the user wrote.

YAML (and so ``--set``) reads `15.10` as the float 15.1 and `017` as the integer 15; a template
that turns such a variable into text (an image tag, a channel) must give back what the user
wrote. A number whose text differs from Python's is kept as a :class:`WrittenFloat` or
:class:`WrittenInt`: a number for arithmetic and comparisons, its written text for ``str()``.
"""

from __future__ import annotations

from typing import Any


class _AsWritten:
    """A number that renders as the text it was written as."""

    text: str

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return self.text if not spec else super().__format__(spec)


class WrittenFloat(_AsWritten, float):
    """A float that renders as the text it was written as (`15.10`)."""

    def __new__(cls, value: float, text: str) -> WrittenFloat:
        number = super().__new__(cls, value)
        number.text = text
        return number


class WrittenInt(_AsWritten, int):
    """An int that renders as the text it was written as (`017`, `1_000`)."""

    def __new__(cls, value: int, text: str) -> WrittenInt:
        number = super().__new__(cls, value)
        number.text = text
        return number


def written(value: Any, text: str) -> Any:
    """`value` (as YAML read it from `text`), keeping `text` where a number would lose it."""
    if isinstance(value, bool) or str(value) == text:
        return value
    if isinstance(value, float):
        return WrittenFloat(value, text)
    if isinstance(value, int):
        return WrittenInt(value, text)
    return value


def plain(value: Any) -> Any:
    """A variable as a record shows it: a written number as its text."""
    return value.text if isinstance(value, (WrittenFloat, WrittenInt)) else value
