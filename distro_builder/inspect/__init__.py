"""Inspecting, writing nothing of a distribution: explain, diff and graph.

``explain`` tells which layer set a value (the provenance); ``diff`` compares two overlays or
two built distributions; ``graph`` draws the picture that ``build`` ships, in any format.
"""

from ._diff import (
    Difference,
    as_json,
    as_table,
    compare,
    is_bundle_dir,
    read_bundle,
    with_endpoints,
)
from ._explain import ExplainError, explain, split_target
from ._graph import GRAPH_FORMATS, Drawing, drawing

__all__ = [
    "GRAPH_FORMATS",
    "Difference",
    "Drawing",
    "ExplainError",
    "as_json",
    "as_table",
    "compare",
    "drawing",
    "explain",
    "is_bundle_dir",
    "read_bundle",
    "split_target",
    "with_endpoints",
]
