"""The ``distro-builder`` command line.

``main()`` runs a plain ``build`` invocation directly, without importing typer (about 60 ms of
start-up, most of a cold build); every other invocation, help and errors included, goes
through the typer application that :func:`create_app` assembles from
:mod:`distro_builder.commands`. Register a new command there with one line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

    from distro_builder.pipeline import BuildOptions

PROG = "distro-builder"
BUILD = "build"
REPEATABLE_OPTIONS = {"--overlay": "overlays", "--set": "settings"}
PATH_OPTIONS = {"--output": "output", "--root": "root"}
FLAG_OPTIONS = {
    "--strict": "strict",
    "--debug": "debug",
    "--allow-unknown-charms": "allow_unknown_charms",
}


def create_app() -> typer.Typer:
    """The typer application with every command."""
    import typer

    from distro_builder import cli_extra, commands

    app = typer.Typer(
        name=PROG,
        help="Compose branded Charmed OSM distributions from layered overlays.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.command(BUILD)(commands.build)
    app.command("validate")(commands.validate)
    app.command("merge")(commands.merge)
    app.command("list")(commands.list_overlays)
    app.command("diff")(commands.diff)
    cli_extra.register(app)
    return app


def parse_build(argv: Sequence[str]) -> BuildOptions | None:
    """The options of a plain ``build`` command line, or None for typer to handle.

    Only the documented ``--name value``/``--name=value`` forms are read here; anything else
    (``--help``, an unknown option, a missing value) is left to typer and its messages.
    """
    from distro_builder.pipeline import BuildOptions

    if not argv or argv[0] != BUILD:
        return None
    repeated: dict[str, list[str]] = {field: [] for field in REPEATABLE_OPTIONS.values()}
    single: dict[str, object] = {}
    args = iter(argv[1:])
    for arg in args:
        name, equals, inline = arg.partition("=")
        if name in FLAG_OPTIONS and not equals:
            single[FLAG_OPTIONS[name]] = True
            continue
        if name not in REPEATABLE_OPTIONS and name not in PATH_OPTIONS:
            return None
        value = inline if equals else next(args, None)
        if value is None or (not equals and value.startswith("--")):
            return None
        if name in REPEATABLE_OPTIONS:
            repeated[REPEATABLE_OPTIONS[name]].append(value)
        else:
            single[PATH_OPTIONS[name]] = Path(value)
    lists = {field: tuple(values) for field, values in repeated.items()}
    return BuildOptions(**lists, **single)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    options = parse_build(args)
    if options is not None:
        from distro_builder.pipeline import build

        sys.exit(build(options))
    create_app()(args=args, prog_name=PROG)
