"""Did-you-mean suggestions for misspelt names."""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.6


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """` (did you mean "x"?)` for the closest of `choices`, or "" when none is close."""
    import difflib

    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=CUTOFF)
    return f' (did you mean "{close[0]}"?)' if close else ""
