"""Juju's type rules for charm option values set in a bundle.

A bundle's options reach the controller as YAML and are read by Juju's
`Config.ParseSettingsYAML`: a string value is parsed for the option's type (`"8"` is a fine
int, `"true"` a fine boolean), any other value must already have the type (an int is a fine
float, a float is not an int, a boolean is not a string). Secret options must hold a secret
URI (`secret:<id>`); their value is never shown, since a plain value there is a leaked secret.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(
    r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|nan)",
    re.IGNORECASE,
)
# Juju's secret URI (core/secrets): `secret:<id>` or `secret://<source model UUID>/<id>`.
SECRET_URI = re.compile(
    r"secret:(?://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)?[0-9a-z]{20}"
)
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})
INT64 = 2**63
_INT64_DIGITS = 19  # the digits of the largest 64-bit integer
_OUT_OF_RANGE = "expected int, a 64-bit integer (-2^63 to 2^63-1)"


class Typed(NamedTuple):
    """The outcome of typing a value: the value as the charm will see it, or a problem."""

    value: object = None
    problem: str | None = None


def type_option_value(option_type: str, value: object) -> Typed:
    """Apply Juju's rules for `option_type` to a bundle value.

    Returns:
        Typed with the coerced value, or with `problem` (e.g. "expected int") when Juju
        would refuse the value.
    """
    if value is None:
        return Typed(None)
    if option_type == "secret":
        if isinstance(value, str) and (value == "" or SECRET_URI.fullmatch(value)):
            return Typed(value)
        return Typed(problem="expected secret, got a value that is not a secret URI (not shown)")
    if isinstance(value, str):
        return _parse(option_type, value)
    checked = _check(option_type, value)
    if checked and option_type == "int" and not -INT64 <= value < INT64:  # type: ignore[operator]
        return Typed(problem=_OUT_OF_RANGE)
    return Typed(value) if checked else Typed(problem=f"expected {option_type}")


def _parse(option_type: str, text: str) -> Typed:
    """Juju's `Option.parse` of a string value."""
    if option_type == "string":
        return Typed(text)
    if option_type == "int" and _INT.fullmatch(text):
        if len(text.lstrip("+-").lstrip("0")) > _INT64_DIGITS:  # never int() a huge text
            return Typed(problem=_OUT_OF_RANGE)
        number = int(text)
        if not -INT64 <= number < INT64:
            return Typed(problem=_OUT_OF_RANGE)
        return Typed(number)
    if option_type == "float" and _FLOAT.fullmatch(text):
        return Typed(float(text))
    if option_type == "boolean" and text in _TRUE | _FALSE:
        return Typed(text in _TRUE)
    return Typed(problem=f"expected {option_type}")


def _check(option_type: str, value: object) -> bool:
    """Juju's schema checkers for values that are not strings."""
    if isinstance(value, bool):
        return option_type == "boolean"
    if isinstance(value, int):
        return option_type in ("int", "float")
    if isinstance(value, float):
        return option_type == "float"
    return False
