"""Emitting: the files of a distribution, written where it is safe to write them.

``bundle.yaml`` (plain Juju YAML, each charm as the distribution deploys it), ``distro.lock``
(what it was made of), ``README.md`` (with how to deploy it) and ``topology.svg`` (the
picture, also drawn by ``graph``), deterministic for the same composition; the packed charms
in ``charms/``, copied and hashed in one pass; the output-directory guard (only a
distribution this tool wrote is replaced); and the atomic swap of the new distribution for
the old one.
"""

from ._deploy_guide import (
    COMMONKEY_CONTENT_KEY,
    COMMONKEY_OPTION,
    commonkey_label,
    deploy_guide,
)
from ._dist_dir import output_problems
from ._dump import dump_bundle
from ._files import deployed_bundle, distribution_files, input_paths
from ._git import InputStates, source_commit
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
from ._readme import charms_note
from ._topology import Topology, distribution_graph, topology
from ._write import Staging, copy_hashing, write_distribution

__all__ = [
    "COMMONKEY_CONTENT_KEY",
    "COMMONKEY_OPTION",
    "DIST_DIR",
    "GRAPHVIZ_MISSING",
    "LOCK_FILE",
    "README_FILE",
    "TOPOLOGY_FILE",
    "Edge",
    "Graph",
    "GraphvizMissingError",
    "InputStates",
    "Node",
    "Staging",
    "Topology",
    "build_graph",
    "charms_note",
    "commonkey_label",
    "copy_hashing",
    "deploy_guide",
    "deployed_bundle",
    "distribution_files",
    "distribution_graph",
    "dump_bundle",
    "graphviz_available",
    "input_paths",
    "output_problems",
    "render_image",
    "source_commit",
    "to_dot",
    "to_mermaid",
    "topology",
    "write_distribution",
]
