"""Lenient views of bundle values: a mapping or a sequence, else empty.

Juju's structural verification reports malformed bundles; the checks and pictures built on
top read what is there without failing again on the same mistake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def as_mapping(value: object) -> Mapping[str, object]:
    """`value` if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def as_sequence(value: object) -> Sequence[object]:
    """`value` if it is a list or tuple, else an empty sequence."""
    return value if isinstance(value, (list, tuple)) else ()
