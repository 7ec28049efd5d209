"""Emitting: the files of a distribution, written where it is safe to write them.

``bundle.yaml`` (plain Juju YAML), ``distro.lock`` (what it was made of), ``README.md`` and
``topology.svg`` (the picture, also drawn by ``graph``), deterministic for the same
composition; the output-directory guard (only a distribution this tool wrote is replaced);
and the atomic swap of the new distribution for the old one.
"""

from ._dist_dir import foreign_content, is_distribution, output_problems, written_files
from ._dump import dump_bundle, dump_yaml
from ._files import BUNDLE_HEADER, distribution_files, input_paths, relocate_local_charms
from ._git import source_commit
from ._lock import FILES_KEY, HEADER, lock_data
from ._names import DIST_DIR, LOCK_FILE, README_FILE, TOPOLOGY_FILE
from ._picture import (
    GRAPHVIZ_MISSING,
    Edge,
    Graph,
    GraphvizMissingError,
    Node,
    build_graph,
    graphviz_available,
    render_image,
    to_dot,
    to_mermaid,
)
from ._readme import render_readme
from ._topology import Topology, distribution_graph, topology
from ._write import write_distribution

__all__ = [
    "BUNDLE_HEADER",
    "DIST_DIR",
    "FILES_KEY",
    "GRAPHVIZ_MISSING",
    "HEADER",
    "LOCK_FILE",
    "README_FILE",
    "TOPOLOGY_FILE",
    "Edge",
    "Graph",
    "GraphvizMissingError",
    "Node",
    "Topology",
    "build_graph",
    "distribution_files",
    "distribution_graph",
    "dump_bundle",
    "dump_yaml",
    "foreign_content",
    "graphviz_available",
    "input_paths",
    "is_distribution",
    "lock_data",
    "output_problems",
    "relocate_local_charms",
    "render_image",
    "render_readme",
    "source_commit",
    "to_dot",
    "to_mermaid",
    "topology",
    "write_distribution",
    "written_files",
]
