"""The picture of a composed distribution: what `graph` draws and `build` ships.

Relations are labelled with the interface the charm checks resolved; applications whose charm
comes from the external catalog are external; applications that no base-bundle line defined
are vendor additions. `build` adds `topology.svg` (when Graphviz is installed) and the Mermaid
text in the generated README.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from distro_builder.charm_checks import RelationFacts
from distro_builder.compose import Composition
from distro_builder.graph import (
    GRAPHVIZ_MISSING,
    Graph,
    Rendering,
    build_graph,
    graphviz_available,
    to_dot,
    to_mermaid,
)

TOPOLOGY_FILE = "topology.svg"
SECTION_TITLE = "## Topology"


class Picture(NamedTuple):
    """What `build` adds to a distribution: files, a README section and a note for the user.

    The svg is drawn while the build goes on; `files` waits for it.
    """

    readme_section: str
    note: str | None = None
    rendering: Rendering | None = None

    @property
    def files(self) -> dict[str, bytes]:
        """`topology.svg` when Graphviz is installed, else nothing."""
        return {TOPOLOGY_FILE: self.rendering.result()} if self.rendering else {}


def distribution_graph(composition: Composition, facts: RelationFacts, base_file: str) -> Graph:
    """The graph of a composition.

    Args:
        composition: the composed distribution.
        facts: the relations' interfaces and the external charms (`CharmChecks.relations`).
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


@contextmanager
def topology_drawing() -> Iterator[Rendering | None]:
    """A `dot` process for `topology.svg`, started now (None when Graphviz is not installed).

    A build starts it before composing, so that `dot` has loaded by the time `picture` gives it
    the graph; it is stopped on leaving the block if no one collected the image.
    """
    if not graphviz_available():
        yield None
        return
    with Rendering("svg") as rendering:
        yield rendering


def picture(graph: Graph, rendering: Rendering | None) -> Picture:
    """Hand `rendering` the graph to draw `topology.svg`; the README's Mermaid section.

    Args:
        graph: the distribution's picture.
        rendering: a started `dot` (see `topology_drawing`), or None without Graphviz.
    """
    mermaid = to_mermaid(graph)
    legend = "External charms are dashed; the vendor's additions are filled amber."
    if rendering is not None:
        intro = f"`{TOPOLOGY_FILE}` draws the same picture."
        rendering.draw(to_dot(graph))
        note = None
    else:
        intro = "Graphviz was not installed when this distribution was built: no topology.svg."
        rendering, note = None, f"{GRAPHVIZ_MISSING}; no {TOPOLOGY_FILE} in this distribution"
    section = f"{SECTION_TITLE}\n\n{intro} {legend}\n\n```mermaid\n{mermaid}```\n"
    return Picture(section, note, rendering)
