"""The typer commands: option parsing only; the work is in :mod:`distro_builder.pipeline`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from distro_builder import pipeline

Overlays = Annotated[
    list[str] | None,
    typer.Option(
        "--overlay", metavar="NAME|PATH", help="Overlay to apply after its chain (repeatable)."
    ),
]
Settings = Annotated[
    list[str] | None,
    typer.Option(
        "--set", metavar="KEY=VALUE", help="Override a distro.vars variable (repeatable)."
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", help="Distribution directory to write (default dist/<distro-name>/)."
    ),
]
Root = Annotated[
    Path | None,
    typer.Option("--root", help="Project directory (default: found above the current one)."),
]
Strict = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]
AllowUnknownCharms = Annotated[
    bool,
    typer.Option(
        "--allow-unknown-charms",
        help="A charm neither in charms/ nor in charms/external/ is a warning, not an error.",
    ),
]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]
Format = Annotated[str, typer.Option("--format", help="Output format: table or json.")]
FORMATS = ("table", "json")


def _exit(status: int) -> None:
    raise typer.Exit(status)


def _json(output_format: str) -> bool:
    if output_format not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    return output_format == "json"


def build(
    overlay: Overlays = None,
    settings: Settings = None,
    output: Output = None,
    root: Root = None,
    strict: Strict = False,
    debug: Debug = False,
    allow_unknown_charms: AllowUnknownCharms = False,
) -> None:
    """Compose, validate and write a distribution (default dist/<distro-name>/)."""
    options = pipeline.BuildOptions(
        tuple(overlay or ()), tuple(settings or ()), output, root, strict, debug,
        allow_unknown_charms,
    )  # fmt: skip
    _exit(pipeline.build(options))


def validate(
    overlay: Overlays = None,
    settings: Settings = None,
    root: Root = None,
    strict: Strict = False,
    debug: Debug = False,
    allow_unknown_charms: AllowUnknownCharms = False,
) -> None:
    """Compose and check a distribution without writing anything."""
    options = pipeline.BuildOptions(
        tuple(overlay or ()), tuple(settings or ()), None, root, strict, debug,
        allow_unknown_charms,
    )  # fmt: skip
    _exit(pipeline.validate_only(options))


def merge(
    bundle: Annotated[Path, typer.Argument(help="Juju bundle file (or directory).")],
    overlay: Annotated[
        list[Path] | None,
        typer.Option("--overlay", metavar="FILE", help="Juju overlay file (repeatable)."),
    ] = None,
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Skip Juju's structural verification.")
    ] = False,
    strict: Strict = False,
    debug: Debug = False,
) -> None:
    """Print what `juju deploy BUNDLE --overlay FILE...` composes, as YAML."""
    _exit(pipeline.merge(bundle, overlay or [], verify=not no_verify, strict=strict, debug=debug))


def list_overlays(
    root: Root = None, output_format: Format = "table", debug: Debug = False
) -> None:
    """List the overlays with their distribution name, chain and description."""
    _exit(pipeline.list_overlays(root, as_json=_json(output_format), debug=debug))


def diff(
    first: Annotated[str, typer.Argument(metavar="A", help="Overlay or distribution directory.")],
    second: Annotated[str, typer.Argument(metavar="B", help="Overlay or distribution directory.")],
    settings: Settings = None,
    root: Root = None,
    output_format: Format = "table",
    debug: Debug = False,
) -> None:
    """Show the applications, options, relations and images that differ between A and B."""
    as_json = _json(output_format)
    _exit(
        pipeline.diff(
            first, second, root=root, settings=settings or [], as_json=as_json, debug=debug
        )
    )
