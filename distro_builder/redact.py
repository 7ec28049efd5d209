"""Showing option values in messages without leaking credentials."""

from __future__ import annotations

import json
import re

MASK = "***"
_URI_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s]*(?=@)")
MAX_SHOWN = 80


def redact(text: str) -> str:
    """Mask the password of every `scheme://user:password@host` URI in `text`."""
    return _URI_PASSWORD.sub(lambda match: match["head"] + MASK, text)


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
