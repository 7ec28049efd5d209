"""`graph`: the distribution's picture in the format asked for, with text to fall back on.

Without Graphviz an image cannot be drawn: the dot and Mermaid texts are made instead, beside
where the image would have gone.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from distro_builder.emit import Graph, GraphvizMissingError, render_image, to_dot, to_mermaid

GRAPH_FORMATS = {"svg": "svg", "png": "png", "dot": "dot", "mermaid": "mmd"}


class Drawing(NamedTuple):
    """The files of a picture, in the order to write them, and why the image is missing."""

    files: dict[Path, bytes]
    problem: str | None = None


def drawing(graph: Graph, output_format: str, output: Path | None) -> Drawing:
    """`graph` as `output_format` at `output` (default ``<distro-name>-topology.<format>``).

    Raises:
        KeyError: for a format not in GRAPH_FORMATS.
        RuntimeError: when Graphviz fails or does not finish in time.
    """
    name = f"{graph.title or 'distribution'}-topology"
    target = output or Path(f"{name}.{GRAPH_FORMATS[output_format]}")
    texts = {"dot": to_dot(graph), "mermaid": to_mermaid(graph)}
    if output_format in texts:
        return Drawing(files={target: texts[output_format].encode()})
    try:
        return Drawing(files={target: render_image(texts["dot"], output_format)})
    except GraphvizMissingError as error:
        files = {
            target.with_suffix(f".{GRAPH_FORMATS[text_format]}"): text.encode()
            for text_format, text in texts.items()
        }
        return Drawing(files=files, problem=str(error))
