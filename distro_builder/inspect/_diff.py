"""Compare two distributions: applications, options, storage, relations and images.

Each side is a built distribution directory (its ``bundle.yaml``) or an overlay reference,
composed on the fly with its chain. The table shows a long or binary value (a logo) by a
prefix of its sha256, so that two different values never look the same; JSON keeps values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from distro_builder.core import Diagnostic, InputError, is_file, parse_plain, read_source
from distro_builder.juju import BUNDLE_FILE, units

MISSING = "-"
MAX_CELL = 48
DIGEST_PREFIX = "sha256:"
DIGEST_CHARS = 16
APPLICATION_FIELDS = ("charm", "channel", "revision", "units", "trust", "constraints")


class Difference(NamedTuple):
    """One difference: what kind, where, and the value on each side (None: absent)."""

    kind: str
    application: str
    key: str
    a: Any
    b: Any


def read_bundle(directory: Path) -> dict[str, Any]:
    """The bundle of a distribution directory (read as every input is: bounded, UTF-8)."""
    path = directory / BUNDLE_FILE
    source = read_source(path, str(path))
    try:
        data = parse_plain(source.text, str(path))
    except yaml.YAMLError as exc:
        raise InputError([Diagnostic(f"invalid bundle: {exc}", path=str(path))]) from None
    if not isinstance(data, dict):
        raise InputError([Diagnostic("not a bundle", path=str(path))])
    return data


def is_bundle_dir(reference: str) -> bool:
    """Whether `reference` names a distribution directory rather than an overlay."""
    return is_file(Path(reference) / BUNDLE_FILE)


def with_endpoints(
    bundle: dict[str, Any], endpoints: Mapping[int, tuple[str, str]]
) -> dict[str, Any]:
    """`bundle` with the relations of `endpoints` (by index) written with both endpoints."""
    relations = bundle.get("relations") or []
    resolved = [list(endpoints.get(index, relation)) for index, relation in enumerate(relations)]
    return {**bundle, "relations": resolved}


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[Difference]:
    """Every difference between bundles `a` and `b`, in a stable order."""
    differences: list[Difference] = []
    apps_a = a.get("applications") or {}
    apps_b = b.get("applications") or {}
    for name in sorted(apps_a.keys() | apps_b.keys()):
        app_a, app_b = apps_a.get(name), apps_b.get(name)
        if app_a is None or app_b is None:
            present = (
                "present" if app_a is not None else None,
                "present" if app_b is not None else None,
            )
            differences.append(
                Difference(
                    kind="application", application=name, key="", a=present[0], b=present[1]
                )
            )
            continue
        for key in APPLICATION_FIELDS:
            value_a, value_b = _field(app_a, key), _field(app_b, key)
            if value_a != value_b:
                differences.append(
                    Difference(kind="application", application=name, key=key, a=value_a, b=value_b)
                )
        differences += _map_differences("option", name, app_a, app_b, "options")
        differences += _map_differences("storage", name, app_a, app_b, "storage")
        differences += _map_differences("image", name, app_a, app_b, "resources")
    relations_a, relations_b = _relations(a), _relations(b)
    for relation in sorted(relations_a ^ relations_b):
        side_a = "present" if relation in relations_a else None
        side_b = "present" if relation in relations_b else None
        key = " ".join(relation)
        differences.append(
            Difference(kind="relation", application="", key=key, a=side_a, b=side_b)
        )
    return differences


def _field(app: dict[str, Any], key: str) -> Any:
    return units(app) if key == "units" else app.get(key)


def _map_differences(
    kind: str, name: str, a: dict[str, Any], b: dict[str, Any], field: str
) -> list[Difference]:
    map_a, map_b = a.get(field) or {}, b.get(field) or {}
    return [
        Difference(kind=kind, application=name, key=key, a=map_a.get(key), b=map_b.get(key))
        for key in sorted(map_a.keys() | map_b.keys())
        if map_a.get(key) != map_b.get(key)
    ]


def _relations(bundle: dict[str, Any]) -> set[tuple[str, ...]]:
    return {tuple(sorted(relation)) for relation in bundle.get("relations") or []}


def as_json(differences: list[Difference], label_a: str, label_b: str) -> str:
    """The differences as JSON: ``{"a": ..., "b": ..., "differences": [...]}``."""
    payload = {"a": label_a, "b": label_b, "differences": [d._asdict() for d in differences]}
    return json.dumps(payload, indent=2, sort_keys=False) + "\n"


def as_table(differences: list[Difference], label_a: str, label_b: str) -> str:
    """The differences as an aligned text table (long values shortened)."""
    if not differences:
        return f"no differences between {label_a} and {label_b}\n"
    rows = [("kind", "application", "key", label_a, label_b)]
    rows += [
        (d.kind, d.application or MISSING, d.key or MISSING, _cell(d.a), _cell(d.b))
        for d in differences
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    """A value as a table cell: as written when short and printable, else by digest."""
    if value is None:
        return MISSING
    text = value if isinstance(value, str) else json.dumps(value)
    if len(text) <= MAX_CELL and text.isprintable() and text.strip() == text:
        return text
    return (
        DIGEST_PREFIX
        + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_CHARS]
    )
