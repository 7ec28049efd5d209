"""Pictures of a distribution: applications and relations as Graphviz dot, Mermaid, SVG or PNG.

Applications whose charm comes from the external catalog are drawn dashed; applications a
vendor overlay added to the base distribution are filled amber. Relations are labelled with
their interface when it is known, else with their endpoint names.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from collections.abc import Mapping, Set
from typing import NamedTuple

from distro_builder.check import charm_name
from distro_builder.core import as_mapping, as_sequence

DOT = "dot"
IMAGE_FORMATS = ("svg", "png")
DOT_TIMEOUT_SECONDS = 60
LARGE_GRAPH_EDGES = 100
# dot's crossing minimisation, positioning and spline routing grow faster than the graph:
# above LARGE_GRAPH_EDGES relations (a picture no one reads edge by edge any more), bound the
# first two and draw straight edges; above PINNED_GRAPH_EDGES even that grows too fast (16 s
# for 4,000 relations), so the builder places the applications itself, on a grid, and
# Graphviz only draws them (neato -n2): straight unlabelled edges, one per pair of
# applications (the Mermaid text keeps every relation and its interface).
LARGE_GRAPH_LAYOUT = "mclimit=0.05, nslimit=1, splines=line"
PINNED_GRAPH_EDGES = 400
PINNED_LAYOUT = "layout=neato, splines=line"
DOT_ARGUMENTS = ("-n2",)  # neato: keep the positions a pinned graph gives (dot ignores it)
_ROW_POINTS = 72
_CHARACTER_POINTS = 8
GRAPHVIZ_MISSING = (
    "graphviz is not installed (no `dot` on PATH): install it (e.g. `apt install graphviz`)"
    " for svg/png; dot and Mermaid text are still available"
)

FONT = "Helvetica"
BASE_FILL = "#ffffff"
EXTERNAL_FILL = "#e8f0fb"
VENDOR_FILL = "#ffe9b3"
VENDOR_BORDER = "#b07d00"
LEGEND = (
    ("base application", False, False),
    ("external charm", True, False),
    ("vendor addition", False, True),
)
_MERMAID_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


class GraphvizMissingError(RuntimeError):
    """`dot` is not installed, so no image can be drawn."""


class Node(NamedTuple):
    """One application (or consumed offer) in the picture."""

    name: str
    detail: str
    external: bool = False
    vendor: bool = False


class Edge(NamedTuple):
    """One relation between two applications, with its label."""

    first: str
    second: str
    label: str


class Graph(NamedTuple):
    """A distribution's applications and relations, sorted for stable output."""

    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def build_graph(
    bundle: Mapping[str, object],
    *,
    title: str,
    external: Set[str] = frozenset(),
    vendor_added: Set[str] = frozenset(),
    labels: Mapping[int, str] | None = None,
) -> Graph:
    """Make the picture's model from a plain Juju bundle.

    Args:
        bundle: the bundle as it is emitted (`applications`, `relations`, `saas`).
        title: the distribution's name.
        external: applications whose charm comes from the external catalog.
        vendor_added: applications that overlays added to the base distribution.
        labels: relation labels (interfaces) by index in `bundle["relations"]`.
    """
    applications = as_mapping(bundle.get("applications"))
    nodes = [
        Node(
            name,
            _describe(as_mapping(spec)),
            external=name in external,
            vendor=name in vendor_added,
        )
        for name, spec in applications.items()
    ]
    nodes += [Node(name, "offer", external=True) for name in as_mapping(bundle.get("saas"))]
    edges = []
    for index, relation in enumerate(as_sequence(bundle.get("relations"))):
        ends = [str(end) for end in as_sequence(relation)]
        if len(ends) != 2:
            continue
        first, second = sorted(ends)
        label = (labels or {}).get(index) or f"{first} - {second}"
        edges.append(Edge(first.split(":")[0], second.split(":")[0], label))
    return Graph(
        title=title,
        nodes=tuple(sorted(nodes, key=lambda node: node.name)),
        edges=tuple(sorted(edges, key=lambda edge: (edge.first, edge.second, edge.label))),
    )


def to_dot(graph: Graph) -> str:
    """Graphviz text: an undirected graph with a legend (large graphs: bounded layout effort).

    Above :data:`PINNED_GRAPH_EDGES` relations the applications are placed here (see
    :func:`_pinned_dot`), so that drawing stays linear.
    """
    if len(graph.edges) > PINNED_GRAPH_EDGES:
        return _pinned_dot(graph)
    layout = f", {LARGE_GRAPH_LAYOUT}" if len(graph.edges) > LARGE_GRAPH_EDGES else ""
    lines = [
        f"graph {_quote(graph.title)} {{",
        f"  graph [rankdir=LR, label={_quote(graph.title)}, labelloc=t, "
        f'fontname="{FONT}"{layout}];',
        f'  node [shape=box, style="rounded,filled", fillcolor="{BASE_FILL}", fontname="{FONT}"];',
        f'  edge [fontname="{FONT}", fontsize=10];',
    ]
    lines += [f"  {_quote(node.name)} [{_dot_style(node)}];" for node in graph.nodes]
    lines += [
        f"  {_quote(edge.first)} -- {_quote(edge.second)} [label={_quote(edge.label)}];"
        for edge in graph.edges
    ]
    lines += ["  subgraph cluster_legend {", '    label="legend"; fontsize=10;']
    for index, (text, external, vendor) in enumerate(LEGEND):
        sample = Node(text, "", external=external, vendor=vendor)
        lines.append(f'    "legend {index}" [{_dot_style(sample, label=text)}];')
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def _pinned_dot(graph: Graph) -> str:
    """Graphviz text with every node placed (a grid, by name) and one unlabelled edge per pair.

    Graphviz's neato with ``-n2`` keeps the positions and draws straight edges: linear.
    """
    columns = max(1, math.isqrt(len(graph.nodes) + len(LEGEND)))
    labels = [f"{node.name}\n{node.detail}" for node in graph.nodes]
    widest = max((len(line) for label in labels for line in label.split("\n")), default=8)
    column_points = widest * _CHARACTER_POINTS + 40
    lines = [
        f"graph {_quote(graph.title)} {{",
        f"  // {len(graph.edges)} relations: laid out by distro-builder; draw with neato -n2",
        f'  graph [{PINNED_LAYOUT}, label={_quote(graph.title)}, labelloc=t, fontname="{FONT}"];',
        f'  node [shape=box, style="rounded,filled", fillcolor="{BASE_FILL}", fontname="{FONT}"];',
    ]
    samples = [
        Node(text, "", external=external, vendor=vendor) for text, external, vendor in LEGEND
    ]
    placed = [*graph.nodes, *samples]
    for index, node in enumerate(placed):
        x, y = (index % columns) * column_points, -(index // columns) * _ROW_POINTS
        legend = index >= len(graph.nodes)
        name = f"legend {index - len(graph.nodes)}" if legend else node.name
        style = _dot_style(node, label=node.name if legend else None)
        lines.append(f'  {_quote(name)} [{style}, pos="{x},{y}"];')
    pairs = sorted({(edge.first, edge.second) for edge in graph.edges})
    lines += [f"  {_quote(first)} -- {_quote(second)};" for first, second in pairs]
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(graph: Graph) -> str:
    """Mermaid flowchart text, with classes for external charms and vendor additions."""
    ids = {node.name: _mermaid_id(node.name) for node in graph.nodes}
    lines = ["flowchart LR"]
    lines += [f'  {ids[node.name]}["{node.name}<br/>{node.detail}"]' for node in graph.nodes]
    lines += [
        f"  {ids.get(edge.first, _mermaid_id(edge.first))} ---|{edge.label}| "
        f"{ids.get(edge.second, _mermaid_id(edge.second))}"
        for edge in graph.edges
    ]
    lines += [
        f"  classDef external fill:{EXTERNAL_FILL},stroke-dasharray:5 5",
        f"  classDef vendor fill:{VENDOR_FILL},stroke:{VENDOR_BORDER},stroke-width:2px",
    ]
    for css_class, members in (
        ("external", [ids[node.name] for node in graph.nodes if node.external]),
        ("vendor", [ids[node.name] for node in graph.nodes if node.vendor]),
    ):
        if members:
            lines.append(f"  class {','.join(members)} {css_class}")
    return "\n".join(lines) + "\n"


def graphviz_available() -> bool:
    """Whether `dot` is on PATH."""
    return shutil.which(DOT) is not None


def render_image(dot_text: str, image_format: str) -> bytes:
    """Draw dot text as `svg` or `png` with Graphviz.

    Raises:
        GraphvizMissingError: when `dot` is not installed.
        ValueError: for an unknown format.
        RuntimeError: when `dot` fails or does not finish in time.
    """
    if image_format not in IMAGE_FORMATS:
        message = f"unknown image format {image_format!r}: use {', '.join(IMAGE_FORMATS)}"
        raise ValueError(message)
    executable = shutil.which(DOT)
    if executable is None:
        raise GraphvizMissingError(GRAPHVIZ_MISSING)
    try:
        done = subprocess.run(
            [executable, *DOT_ARGUMENTS, f"-T{image_format}"],
            input=dot_text.encode(),
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"dot did not finish within {DOT_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _dot_style(node: Node, *, label: str | None = None) -> str:
    styles = ["rounded", "filled"] + (["dashed"] if node.external else [])
    fill = VENDOR_FILL if node.vendor else EXTERNAL_FILL if node.external else BASE_FILL
    text = label if label is not None else f"{node.name}\n{node.detail}"
    attributes = [f"label={_quote(text)}", f'style="{",".join(styles)}"', f'fillcolor="{fill}"']
    if node.vendor:
        attributes += [f'color="{VENDOR_BORDER}"', "penwidth=2"]
    return ", ".join(attributes)


def _describe(spec: Mapping[str, object]) -> str:
    """The charm name and, above one unit, the unit count."""
    charm = charm_name(str(spec.get("charm", "?")))
    units = spec.get("scale", spec.get("num_units"))
    return f"{charm} ({units} units)" if isinstance(units, int) and units > 1 else charm


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _mermaid_id(name: str) -> str:
    return "app_" + _MERMAID_UNSAFE.sub("_", name)
