"""Pictures of a distribution: the graph model, dot and Mermaid text, svg/png through Graphviz."""

from __future__ import annotations

import pytest

from distro_builder.emit import (
    GRAPHVIZ_MISSING,
    Edge,
    GraphvizMissingError,
    Node,
    build_graph,
    graphviz_available,
    render_image,
    to_dot,
    to_mermaid,
)
from distro_builder.emit import _picture as graph

BUNDLE = {
    "bundle": "kubernetes",
    "applications": {
        "nbi": {"charm": "osm-nbi", "scale": 3},
        "mongodb": {"charm": "ch:mongodb-k8s", "channel": "6/edge"},
        "ng-ui": {"charm": "./build/osm-ng-ui_ubuntu@24.04-amd64.charm"},
    },
    "saas": {"cos": {"url": "admin/cos.prometheus"}},
    "relations": [["ng-ui:nbi", "nbi:nbi"], ["nbi:mongodb", "mongodb"], ["broken"]],
}


def picture():
    return build_graph(
        BUNDLE,
        title="acme-osm",
        external={"mongodb"},
        vendor_added={"mongodb"},
        labels={1: "mongodb_client"},
    )


def test_the_model_has_sorted_nodes_and_labelled_edges():
    model = picture()

    assert model.nodes == (
        Node("cos", "offer", external=True),
        Node("mongodb", "mongodb-k8s", external=True, vendor=True),
        Node("nbi", "osm-nbi (3 units)"),
        Node("ng-ui", "osm-ng-ui"),
    )
    assert model.edges == (
        Edge("mongodb", "nbi", "mongodb_client"),
        Edge("nbi", "ng-ui", "nbi:nbi - ng-ui:nbi"),
    )


def test_dot_text_marks_external_and_vendor_applications():
    text = to_dot(picture())

    assert text.startswith('graph "acme-osm" {\n')
    assert (
        '  "mongodb" [label="mongodb\\nmongodb-k8s", style="rounded,filled,dashed", '
        'fillcolor="#ffe9b3", color="#b07d00", penwidth=2];'
    ) in text
    assert (
        '  "nbi" [label="nbi\\nosm-nbi (3 units)", style="rounded,filled", fillcolor="#ffffff"];'
        in text
    )
    assert '  "mongodb" -- "nbi" [label="mongodb_client"];' in text
    assert '"legend 1" [label="external charm"' in text


def test_only_large_graphs_bound_dot_layout_effort():
    def star(relations: int) -> str:
        bundle = {
            "applications": {f"app{n}": {"charm": "osm-ro"} for n in range(relations + 1)},
            "relations": [[f"app{n}:ro", "app0:ro"] for n in range(1, relations + 1)],
        }
        return to_dot(build_graph(bundle, title="star"))

    bounded = f", {graph.LARGE_GRAPH_LAYOUT}];"
    assert bounded not in star(graph.LARGE_GRAPH_EDGES)
    assert bounded in star(graph.LARGE_GRAPH_EDGES + 1).splitlines()[1]


def test_mermaid_text_uses_safe_ids_and_classes():
    assert to_mermaid(picture()) == (
        "flowchart LR\n"
        '  app_cos["cos<br/>offer"]\n'
        '  app_mongodb["mongodb<br/>mongodb-k8s"]\n'
        '  app_nbi["nbi<br/>osm-nbi (3 units)"]\n'
        '  app_ng_ui["ng-ui<br/>osm-ng-ui"]\n'
        "  app_mongodb ---|mongodb_client| app_nbi\n"
        "  app_nbi ---|nbi:nbi - ng-ui:nbi| app_ng_ui\n"
        "  classDef external fill:#e8f0fb,stroke-dasharray:5 5\n"
        "  classDef vendor fill:#ffe9b3,stroke:#b07d00,stroke-width:2px\n"
        "  class app_cos,app_mongodb external\n"
        "  class app_mongodb vendor\n"
    )


def test_output_does_not_depend_on_input_order():
    shuffled = {
        **BUNDLE,
        "applications": dict(reversed(list(BUNDLE["applications"].items()))),
        "relations": [["nbi:nbi", "ng-ui:nbi"], ["nbi:mongodb", "mongodb"]],
    }

    assert to_dot(build_graph(shuffled, title="acme-osm", labels={1: "mongodb_client"})) == to_dot(
        build_graph(BUNDLE, title="acme-osm", labels={1: "mongodb_client"})
    )


@pytest.mark.skipif(not graphviz_available(), reason="graphviz is not installed")
@pytest.mark.parametrize(("image_format", "magic"), [("svg", b"<svg"), ("png", b"\x89PNG")])
def test_images_are_drawn_by_graphviz(image_format, magic):
    image = render_image(to_dot(picture()), image_format)

    assert magic in image[:400]


def test_a_missing_graphviz_is_said_clearly(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")

    assert not graphviz_available()
    with pytest.raises(GraphvizMissingError) as error:
        render_image(to_dot(picture()), "svg")
    assert str(error.value) == GRAPHVIZ_MISSING
    assert "dot and Mermaid text are still available" in GRAPHVIZ_MISSING


def test_an_unknown_image_format_is_refused():
    with pytest.raises(ValueError, match="unknown image format 'gif'"):
        render_image("graph {}", "gif")


@pytest.mark.skipif(not graphviz_available(), reason="graphviz is not installed")
def test_a_graphviz_failure_is_reported():
    with pytest.raises(RuntimeError, match=r"dot failed: .*syntax error"):
        render_image("graph { a -- }", "svg")
