"""The `explain`, `graph` and `catalog import` commands (registered by `cli.create_app`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from distro_builder.commands import Debug, Overlays, Root, Settings
from distro_builder.diagnostics import Diagnostic, InputError
from distro_builder.pipeline import (
    EXIT_ENVIRONMENT,
    EXIT_INPUT,
    EXIT_OK,
    compose_distribution,
    guarded,
    report,
)

GRAPH_FORMATS = {"svg": "svg", "png": "png", "dot": "dot", "mermaid": "mmd"}
GraphFormat = Annotated[str, typer.Option("--format", help=f"One of {', '.join(GRAPH_FORMATS)}.")]
GraphOutput = Annotated[
    Path | None,
    typer.Option("--output", help="File to write (default <distro-name>-topology.<format>)."),
]
Target = Annotated[
    str, typer.Argument(metavar="APP[.OPTION]", help="An application, or one of its options.")
]
catalog_app = typer.Typer(
    help="The external charm catalog (charms/external/).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `distro-builder` application."""
    app.command("explain")(explain)
    app.command("graph")(graph)
    app.add_typer(catalog_app, name="catalog")


def explain(
    target: Target,
    overlay: Overlays = None,
    settings: Settings = None,
    root: Root = None,
    debug: Debug = False,
) -> None:
    """Print every layer that set APP (or APP.OPTION), in order, with file:line and the value."""
    raise typer.Exit(explain_value(target, overlay or [], settings or [], root, debug=debug))


def graph(
    overlay: Overlays = None,
    settings: Settings = None,
    root: Root = None,
    output_format: GraphFormat = "svg",
    output: GraphOutput = None,
    debug: Debug = False,
) -> None:
    """Draw the distribution's applications and relations (svg, png, dot or mermaid)."""
    if output_format not in GRAPH_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(GRAPH_FORMATS)}", param_hint="--format")
    status = draw(overlay or [], settings or [], root, output_format, output, debug=debug)
    raise typer.Exit(status)


@catalog_app.command("import")
def catalog_import(
    file: Annotated[
        Path, typer.Argument(help="A packed .charm, a charmcraft.yaml or a metadata.yaml.")
    ],
    channel: Annotated[
        str | None, typer.Option("--channel", help="The Charmhub channel it describes.")
    ] = None,
    revision: Annotated[
        int | None, typer.Option("--revision", help="The Charmhub revision it describes.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Where the facts come from (default: FILE).")
    ] = None,
    catalog: Annotated[
        Path | None, typer.Option("--catalog", help="Catalog directory (default charms/external).")
    ] = None,
    root: Root = None,
    debug: Debug = False,
) -> None:
    """Create or refresh a charm's descriptor in the external catalog."""
    status = import_charm(file, catalog, root, channel, revision, source, debug=debug)
    raise typer.Exit(status)


def explain_value(
    target: str, overlays: list[str], settings: list[str], root: Path | None, *, debug: bool
) -> int:
    """`distro-builder explain`: compose, then describe where the value came from."""

    def action() -> int:
        from distro_builder.catalog import CharmIndex
        from distro_builder.explain import ExplainError, explain, split_target
        from distro_builder.meta_yaml import MetaError
        from distro_builder.overlays import Project

        project = Project.locate(root)
        composition = compose_distribution(project, overlays, settings)
        application, _ = split_target(target)
        spec = (composition.bundle.get("applications") or {}).get(application) or {}
        try:
            charm = CharmIndex(project.root).find(str(spec.get("charm", "")))
        except MetaError:
            charm = None
        try:
            text = explain(composition.bundle, composition.provenance, target, charm=charm)
        except ExplainError as error:
            raise InputError([Diagnostic(str(error))]) from None
        print(text)
        return EXIT_OK

    return guarded(action, debug=debug)


def draw(
    overlays: list[str],
    settings: list[str],
    root: Path | None,
    output_format: str,
    output: Path | None,
    *,
    debug: bool,
) -> int:
    """`distro-builder graph`: compose, then write the picture in `output_format`."""

    def action() -> int:
        from distro_builder.catalog import CharmIndex
        from distro_builder.charm_checks import CharmChecks
        from distro_builder.graph import GraphvizMissingError, render_image, to_dot, to_mermaid
        from distro_builder.load import display_path
        from distro_builder.overlays import Project
        from distro_builder.topology import distribution_graph

        project = Project.locate(root)
        composition = compose_distribution(project, overlays, settings)
        base_file = display_path(project.base_template)
        checks = CharmChecks(composition.bundle, composition.provenance, CharmIndex(project.root))
        model = distribution_graph(composition, checks.relations(), base_file)
        name = f"{composition.distro.name or 'distribution'}-topology"
        target = output or Path(f"{name}.{GRAPH_FORMATS[output_format]}")
        texts = {"dot": to_dot(model), "mermaid": to_mermaid(model)}
        if output_format in texts:
            _write(target, texts[output_format].encode())
            return EXIT_OK
        try:
            _write(target, render_image(texts["dot"], output_format))
        except GraphvizMissingError as error:
            print(f"error: {error}", file=sys.stderr)
            for text_format, text in texts.items():
                _write(target.with_suffix(f".{GRAPH_FORMATS[text_format]}"), text.encode())
            return EXIT_ENVIRONMENT
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_ENVIRONMENT
        return EXIT_OK

    return guarded(action, debug=debug)


def import_charm(
    file: Path,
    catalog: Path | None,
    root: Path | None,
    channel: str | None,
    revision: int | None,
    source: str | None,
    *,
    debug: bool,
) -> int:
    """`distro-builder catalog import`: write the descriptor, report malformed input."""

    def action() -> int:
        from distro_builder.catalog import CATALOG_DIR, import_descriptor
        from distro_builder.load import display_path
        from distro_builder.meta_yaml import MetaError
        from distro_builder.overlays import Project

        directory = catalog or Project.locate(root).root / CATALOG_DIR
        try:
            written = import_descriptor(
                file, directory, channel=channel, revision=revision, source=source
            )
        except MetaError as error:
            report([Diagnostic(error.message, path=error.source)])
            return EXIT_INPUT
        print(f"wrote {display_path(written.absolute())}")
        return EXIT_OK

    return guarded(action, debug=debug)


def _write(path: Path, data: bytes) -> None:
    from distro_builder.load import display_path

    path.write_bytes(data)
    print(f"wrote {display_path(path.absolute())}")
