"""Text for messages: values shown without leaking credentials, did-you-mean suggestions."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable

MASK = "***"
_URI_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s]*(?=@)")
# A user alone may be a token (`https://TOKEN@host`): masked whole.
_URI_USER = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://)[^:/?#@\s]+(?=@)")
MAX_SHOWN = 80
SUGGESTION_CUTOFF = 0.6


def redact(text: str) -> str:
    """Mask the password of every `scheme://user:password@host` URI in `text` (a lone user too)."""
    masked = _URI_PASSWORD.sub(lambda match: match["head"] + MASK, text)
    return _URI_USER.sub(lambda match: match["head"] + MASK, masked)


def show_value(value: object) -> str:
    """Render an option value the way Juju's messages do (strings quoted), redacted and short."""
    if isinstance(value, str):
        shown = json.dumps(redact(value), ensure_ascii=False)
    elif isinstance(value, bool):
        shown = "true" if value else "false"
    elif value is None:
        shown = "null"
    else:
        shown = redact(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
    return shown if len(shown) <= MAX_SHOWN else shown[: MAX_SHOWN - 3] + "..."


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """` (did you mean "x"?)` for the closest of `choices`, or "" when none is close."""
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=SUGGESTION_CUTOFF)
    return f' (did you mean "{close[0]}"?)' if close else ""
