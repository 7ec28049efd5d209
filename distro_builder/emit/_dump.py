"""Deterministic YAML output: insertion order kept, no line folding, readable strings.

Relations print as flow pairs (``- [nbi:mongodb, mongodb:database]``) and multi-line strings
as literal blocks; the same data always gives the same bytes.
"""

from __future__ import annotations

from typing import Any

import yaml

_BASE_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Pair(list):  # type: ignore[type-arg]
    """A relation: dumped in flow style."""


class _Dumper(_BASE_DUMPER):
    """The safe dumper with our representers."""


def _represent_pair(dumper: yaml.SafeDumper, data: _Pair) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_Pair, _represent_pair)
_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """`data` as block-style YAML, keys in insertion order."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1 << 30,
    )


def dump_bundle(bundle: dict[str, Any]) -> str:
    """A bundle as YAML, each relation on one line."""
    relations = bundle.get("relations")
    if relations:
        bundle = {**bundle, "relations": [_Pair(relation) for relation in relations]}
    return dump_yaml(bundle)
