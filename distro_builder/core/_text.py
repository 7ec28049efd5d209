"""Text for messages: user text quoted and escaped, values shown redacted, suggestions.

A message embeds user text (a key, a name, a path, a value) through :func:`quote` (Go's
``%q``, as Juju's messages do); :func:`one_line` escapes whatever control character is left,
so that every diagnostic is one line of the documented form and no input can forge another.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from json.encoder import encode_basestring

MASK = "***"
# The scheme starts where a run of scheme characters starts (the lookbehind), so that a long
# value costs one scan per run, not one per character: the search stays linear.
_URI_PASSWORD = re.compile(
    r"(?P<head>(?<![A-Za-z0-9+.-])[0-9+.-]*[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s]*(?=@)"
)
_TOKENS = re.compile(r"(\s+)")
# What would end or corrupt a line of output: C0 and C1 controls, DEL, the Unicode line and
# paragraph separators (str.splitlines splits at all of them).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# A user alone may be a token (`https://TOKEN@host`): masked whole (linear the same way).
_URI_USER = re.compile(
    r"(?P<head>(?<![A-Za-z0-9+.-])[0-9+.-]*[A-Za-z][A-Za-z0-9+.-]*://)[^:/?#@\s]+(?=@)"
)
MAX_SHOWN = 80
SUGGESTION_CUTOFF = 0.6


def quote(text: str) -> str:
    """User text in a message: Go's ``%q`` (double quotes, backslash escapes), as JSON has it."""
    return encode_basestring(text)


def one_line(text: str) -> str:
    r"""`text` with every control character escaped (``\n``, ``\u0007``): one line of output."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda match: _ESCAPES.get(match[0], f"\\u{ord(match[0]):04x}"), text)


def redact(text: str) -> str:
    """Mask the password of every `scheme://user:password@host` URI in `text` (a lone user too).

    Only the part of each whitespace-separated token up to its last ``@`` can hold one, so
    each token is searched that far: linear in the length of `text`.
    """
    if "@" not in text:
        return text
    pieces = []
    for token in _TOKENS.split(text):
        end = token.rfind("@") + 1
        head = token[:end]
        if head:
            head = _URI_PASSWORD.sub(lambda match: match["head"] + MASK, head)
            head = _URI_USER.sub(lambda match: match["head"] + MASK, head)
        pieces.append(head + token[end:])
    return "".join(pieces)


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
