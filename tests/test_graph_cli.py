"""`distro-builder graph` and the topology a distribution ships."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import compose
from typer.testing import CliRunner

from distro_builder import api
from distro_builder.cli import create_app
from distro_builder.emit import (
    GRAPHVIZ_MISSING,
    TOPOLOGY_FILE,
    Node,
    graphviz_available,
    topology,
)

ROOT = Path(__file__).resolve().parent.parent
needs_graphviz = pytest.mark.skipif(not graphviz_available(), reason="no graphviz")


def acme_graph():
    return api.graph(api.Project.locate(ROOT), api.ComposeOptions(overlays=["acme-telco"]))


def test_the_distribution_graph_marks_catalog_charms_and_vendor_additions():
    model = acme_graph()
    nodes = {node.name: node for node in model.nodes}

    assert model.title == "acme-osm"
    assert nodes["keystone"] == Node("keystone", "osm-keystone", external=True, vendor=True)
    assert nodes["mysql"].external and nodes["mysql"].vendor
    assert not nodes["nbi"].external and not nodes["nbi"].vendor
    labels = {(edge.first, edge.second): edge.label for edge in model.edges}
    assert labels[("mongodb", "nbi")] == "mongodb_client"
    assert labels[("keystone", "mysql")] == "mysql"


@needs_graphviz
def test_a_build_picture_has_the_svg_and_a_mermaid_section():
    shipped = topology(acme_graph())
    files = shipped.files

    assert list(files) == [TOPOLOGY_FILE]
    assert b"<svg" in files[TOPOLOGY_FILE]
    assert shipped.note is None
    assert shipped.readme_section.startswith("## Topology\n\n`topology.svg` draws the same")
    assert "```mermaid\nflowchart LR\n" in shipped.readme_section


def test_without_graphviz_the_picture_says_so_and_keeps_the_mermaid(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")

    shipped = topology(acme_graph())

    assert shipped.files == {}
    assert shipped.note == f"{GRAPHVIZ_MISSING}; no topology.svg in this distribution"
    assert "Graphviz was not installed" in shipped.readme_section
    assert "```mermaid\nflowchart LR\n" in shipped.readme_section


def run(*args: str):
    return CliRunner().invoke(create_app(), ["graph", "--root", str(ROOT), *args])


@pytest.mark.parametrize(
    ("output_format", "start"), [("dot", b'graph "acme-osm" {'), ("mermaid", b"flowchart LR")]
)
def test_text_formats_are_written_to_the_output_file(tmp_path, output_format, start):
    target = tmp_path / f"picture.{output_format}"

    result = run("--overlay", "acme-telco", "--format", output_format, "--output", str(target))

    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(start)


@needs_graphviz
def test_svg_is_the_default_format(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    name = compose(api.Project.locate(ROOT), ["globex"]).distro.name

    result = run("--overlay", "globex")

    assert result.exit_code == 0, result.output
    assert b"<svg" in (tmp_path / f"{name}-topology.svg").read_bytes()


def test_without_graphviz_dot_and_mermaid_are_still_written(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    target = tmp_path / "picture.png"

    result = run("--format", "png", "--output", str(target))

    assert result.exit_code == 1
    assert GRAPHVIZ_MISSING in result.stderr
    assert not target.exists()
    assert (tmp_path / "picture.dot").read_text().startswith("graph ")
    assert (tmp_path / "picture.mmd").read_text().startswith("flowchart LR")


def test_an_unknown_format_is_refused():
    result = run("--format", "gif")

    assert result.exit_code == 2
    assert "use one of svg, png, dot, mermaid" in result.stderr
