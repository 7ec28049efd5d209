"""The picture of a composed distribution: what `graph` draws and `build` ships.

Relations are labelled with the interface the charm checks resolved; applications whose charm
comes from the external catalog are external; applications that no base-bundle line defined
are vendor additions. `build` adds `topology.svg` (when Graphviz is installed) and the Mermaid
text in the generated README.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

from distro_builder.check import RelationFacts
from distro_builder.compose import Composition

from ._names import TOPOLOGY_FILE
from ._picture import (
    GRAPHVIZ_MISSING,
    Graph,
    build_graph,
    graphviz_available,
    render_image,
    to_dot,
    to_mermaid,
)

SECTION_TITLE = "## Topology"
LEGEND = "External charms are dashed; the vendor's additions are filled amber."


class Topology(NamedTuple):
    """What `build` adds to a distribution: files, a README section and a note for the user."""

    readme_section: str
    files: MappingProxyType[str, bytes]
    note: str | None = None


def distribution_graph(composition: Composition, facts: RelationFacts, base_file: str) -> Graph:
    """The graph of a composition.

    Args:
        composition: the composed distribution.
        facts: the relations' interfaces and the external charms.
        base_file: how diagnostics name the base bundle file (its origins' path).
    """
    applications = composition.bundle.get("applications") or {}
    vendor_added = {
        name
        for name in applications
        if (history := composition.provenance.history(("applications", name)))
        and history[0].path != base_file
    }
    return build_graph(
        composition.bundle,
        title=composition.distro.name,
        external=facts.external,
        vendor_added=vendor_added,
        labels=facts.interfaces,
    )


def topology(graph: Graph) -> Topology:
    """`topology.svg` (drawn by Graphviz, when installed) and the README's Mermaid section.

    A picture Graphviz cannot draw (it fails, or does not finish in time) is left out, as
    when Graphviz is missing: the build says so in a note and writes the rest.
    """
    mermaid = to_mermaid(graph)
    files: dict[str, bytes] = {}
    note = None
    if graphviz_available():
        intro = f"`{TOPOLOGY_FILE}` draws the same picture."
        try:
            files[TOPOLOGY_FILE] = render_image(to_dot(graph), "svg")
        except RuntimeError as error:
            intro = (
                f"Graphviz could not draw this distribution when it was built: no {TOPOLOGY_FILE}."
            )
            note = f"{error}; no {TOPOLOGY_FILE} in this distribution"
    else:
        intro = "Graphviz was not installed when this distribution was built: no topology.svg."
        note = f"{GRAPHVIZ_MISSING}; no {TOPOLOGY_FILE} in this distribution"
    section = f"{SECTION_TITLE}\n\n{intro} {LEGEND}\n\n```mermaid\n{mermaid}```\n"
    return Topology(readme_section=section, files=MappingProxyType(files), note=note)
