"""The ``distro-builder`` command line: the builder's only face.

Each command parses its options (typer), calls :mod:`distro_builder.api`, prints what it
returns and maps the outcome to the exit status: 0 done, 2 the input is wrong (every
diagnostic printed), 1 the environment failed. The API is imported when a command runs, so
that ``--help`` and usage errors start fast.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from distro_builder.api import Diagnostic, Simulation

PROG = "distro-builder"
EXIT_OK = 0
EXIT_ENVIRONMENT = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130  # what a shell reports for a program ended by Ctrl-C (SIGINT)
FORMATS = ("table", "json")

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
CharmsDir = Annotated[
    Path | None,
    typer.Option(
        "--charms-dir",
        metavar="DIR",
        help="Packed charms (<name>_<platform>.charm, e.g. the CI pack job's artifact) to "
        "check against and copy into the distribution.",
    ),
]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]
Format = Annotated[str, typer.Option("--format", help="Output format: table or json.")]
GraphFormat = Annotated[str, typer.Option("--format", help="One of svg, png, dot, mermaid.")]
GraphOutput = Annotated[
    Path | None,
    typer.Option("--output", help="File to write (default <distro-name>-topology.<format>)."),
]
Target = Annotated[
    str, typer.Argument(metavar="APP[.OPTION]", help="An application, or one of its options.")
]


DEPLOY_COMMANDS = ("pack", "deploy", "status")


def create_app(command: str | None = None) -> typer.Typer:
    """The typer application: every command, or only `command` when it names one.

    A run of one command needs only that command's parameters: building the others costs
    typer about 5 ms of start-up. The one command still sits in the group, so its usage,
    help and errors are the same as in the full application.
    """
    app = typer.Typer(
        name=PROG,
        help="Compose branded Charmed OSM distributions from layered overlays.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    commands = _commands()
    groups = {"catalog": _catalog}
    if command in commands:
        app.callback()(_group)
        app.command(command)(commands[command])
        return app
    if command in groups:
        app.callback()(_group)
        app.add_typer(groups[command](), name=command)
        return app
    for name, function in commands.items():
        app.command(name)(function)
    for name, group in groups.items():
        app.add_typer(group(), name=name)
    if command is None or command in DEPLOY_COMMANDS or command.startswith("-"):
        from distro_builder.cli_deploy import register  # pack, deploy, status; it imports cli

        register(app)
    return app


def _commands() -> dict[str, Callable[..., None]]:
    """The builder's own commands by name (`pack`, `deploy`, `status` live in cli_deploy)."""
    return {
        "build": build,
        "validate": validate,
        "merge": merge,
        "list": list_overlays,
        "diff": diff,
        "explain": explain,
        "graph": graph,
        "simulate": simulate,
    }


def _catalog() -> typer.Typer:
    """The `catalog` group of commands."""
    catalog = typer.Typer(
        help="The external charm catalog (charms/external/).", no_args_is_help=True
    )
    catalog.command("import")(catalog_import)
    return catalog


def _group() -> None:
    """Compose branded Charmed OSM distributions from layered overlays."""


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    create_app(args[0] if args else None)(args=args, prog_name=PROG)


def build(
    overlay: Overlays = None,
    settings: Settings = None,
    output: Output = None,
    root: Root = None,
    strict: Strict = False,
    debug: Debug = False,
    allow_unknown_charms: AllowUnknownCharms = False,
    charms_dir: CharmsDir = None,
) -> None:
    """Compose, validate and write a distribution (default dist/<distro-name>/)."""

    def action() -> int:
        from distro_builder import api

        options = api.BuildOptions(
            overlays=overlay or (),
            settings=settings or (),
            output=output,
            strict=strict,
            allow_unknown_charms=allow_unknown_charms,
            charms_dir=charms_dir,
        )
        written = api.build(api.Project.locate(root), options)
        report(written.warnings)
        for note in written.notes:
            print(f"note: {note}", file=sys.stderr)
        shown = api.display_path(written.target.absolute())
        print(f"wrote {shown}/ ({_files(written.files)})")
        return EXIT_OK

    run(action, debug=debug)


def validate(
    overlay: Overlays = None,
    settings: Settings = None,
    root: Root = None,
    strict: Strict = False,
    debug: Debug = False,
    allow_unknown_charms: AllowUnknownCharms = False,
    charms_dir: CharmsDir = None,
) -> None:
    """Compose and check a distribution without writing anything."""

    def action() -> int:
        from distro_builder import api

        options = api.CheckOptions(
            overlays=overlay or (),
            settings=settings or (),
            strict=strict,
            allow_unknown_charms=allow_unknown_charms,
            charms_dir=charms_dir,
        )
        checked = api.validate(api.Project.locate(root), options)
        report(checked.findings.diagnostics)
        print(f"{checked.composition.distro.name}: valid")
        return EXIT_OK

    run(action, debug=debug)


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

    def action() -> int:
        from distro_builder import api

        options = api.MergeOptions(verify=not no_verify, strict=strict)
        merged = api.merge(bundle, overlay or [], options)
        report(merged.warnings)
        sys.stdout.write(merged.yaml)
        return EXIT_OK

    run(action, debug=debug)


def list_overlays(
    root: Root = None, output_format: Format = "table", debug: Debug = False
) -> None:
    """List the overlays with their distribution name, chain and description."""
    as_json = _json(output_format)

    def action() -> int:
        from distro_builder import api

        listing = api.list_overlays(api.Project.locate(root))
        rows = [asdict(row) for row in listing.rows]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n" if as_json else _table(rows))
        report(listing.problems)
        return EXIT_INPUT if any(problem.is_error for problem in listing.problems) else EXIT_OK

    run(action, debug=debug)


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

    def action() -> int:
        from distro_builder import api

        options = api.DiffOptions(root=root, settings=settings or ())
        differences = api.diff(first, second, options)
        sys.stdout.write(differences.json() if as_json else differences.table())
        return EXIT_OK

    run(action, debug=debug)


def explain(
    target: Target,
    overlay: Overlays = None,
    settings: Settings = None,
    root: Root = None,
    debug: Debug = False,
) -> None:
    """Print every layer that set APP (or APP.OPTION), in order, with file:line and the value."""

    def action() -> int:
        from distro_builder import api

        options = api.ComposeOptions(overlays=overlay or (), settings=settings or ())
        print(api.explain(api.Project.locate(root), target, options).text)
        return EXIT_OK

    run(action, debug=debug)


def graph(
    overlay: Overlays = None,
    settings: Settings = None,
    root: Root = None,
    output_format: GraphFormat = "svg",
    output: GraphOutput = None,
    debug: Debug = False,
) -> None:
    """Draw the distribution's applications and relations (svg, png, dot or mermaid)."""
    from distro_builder import api

    if output_format not in api.GRAPH_FORMATS:
        formats = ", ".join(api.GRAPH_FORMATS)
        raise typer.BadParameter(f"use one of {formats}", param_hint="--format")

    def action() -> int:
        options = api.ComposeOptions(overlays=overlay or (), settings=settings or ())
        picture = api.graph(api.Project.locate(root), options)
        try:
            drawn = api.draw(picture, output_format, output)
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_ENVIRONMENT
        if drawn.problem:
            print(f"error: {drawn.problem}", file=sys.stderr)
        for path in drawn.files:
            print(f"wrote {api.display_path(path.absolute())}")
        return EXIT_ENVIRONMENT if drawn.problem else EXIT_OK

    run(action, debug=debug)


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

    def action() -> int:
        from distro_builder import api

        written = api.import_charm(
            file, catalog=catalog, root=root, channel=channel, revision=revision, source=source
        )
        print(f"wrote {api.display_path(written.absolute())}")
        return EXIT_OK

    run(action, debug=debug)


def simulate(
    distribution: Annotated[
        Path | None,
        typer.Argument(
            metavar="[DIST_DIR]", help="A built distribution (instead of --overlay ...)."
        ),
    ] = None,
    overlay: Overlays = None,
    settings: Settings = None,
    scenario: Annotated[
        Path | None,
        typer.Option("--scenario", metavar="FILE", help="Day-2 steps to play after settling."),
    ] = None,
    show_data: Annotated[
        bool, typer.Option("--show-data", help="Print the relation databags (secrets masked).")
    ] = False,
    output_format: Format = "table",
    allow_invalid: Annotated[
        bool,
        typer.Option("--allow-invalid", help="Play a distribution that fails validation."),
    ] = False,
    root: Root = None,
    strict: Strict = False,
    debug: Debug = False,
    allow_unknown_charms: AllowUnknownCharms = False,
) -> None:
    """Play the distribution's charms offline, from deploy to settled, and a day-2 scenario."""
    as_json = _json(output_format)

    def action() -> int:
        from distro_builder import api

        if distribution is not None and (overlay or settings):
            raise typer.BadParameter("give a DIST_DIR or --overlay/--set, not both")
        options = api.SimulateOptions(
            overlays=overlay or (),
            settings=settings or (),
            strict=strict,
            allow_unknown_charms=allow_unknown_charms,
            distribution=distribution,
            scenario=scenario,
            allow_invalid=allow_invalid,
        )
        played = api.simulate(api.Project.locate(root), options)
        if as_json:
            sys.stdout.write(played.as_json())
        else:
            _print_simulation(played, show_data=show_data)
        report(played.diagnostics())
        return EXIT_OK if played.settled else EXIT_INPUT

    run(action, debug=debug)


def _print_simulation(played: Simulation, *, show_data: bool) -> None:
    """The applications, units, failed hooks (as Juju shows them) and the figures."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    apps = Table("App", "Charm", "Status", "Message", "Units", "Hooks", box=None)
    units = Table("Unit", "Workload", "Ports", "Message", box=None)
    for app in played.applications:
        simulated = (
            "" if app.simulated else " (catalog data)" if app.documented else " (not simulated)"
        )
        active = sum(unit.workload_status == "active" for unit in app.units)
        apps.add_row(
            app.name,
            app.charm + simulated,
            app.status,
            app.message,
            f"{active}/{len(app.units)}",
            str(app.hooks),
        )
        for unit in app.units:
            name = unit.name + ("*" if unit.leader else "")
            units.add_row(name, unit.workload_status, " ".join(unit.ports), unit.message)
    console.print(apps)
    console.print()
    console.print(units)
    for app in played.applications:
        for unit in app.units:
            if unit.traceback:
                console.print(f"\n{unit.name}: hook failed: {unit.error!r}")
                console.print(unit.traceback.rstrip(), markup=False)
    if show_data:
        for relation in played.data:
            console.print(f"\n{relation.relation} ({relation.interface})", markup=False)
            for owner, bag in (*relation.app_data.items(), *relation.unit_data.items()):
                console.print(f"  {owner}: {json.dumps(bag, sort_keys=True)}", markup=False)
    for step in played.steps:
        console.print(f"\n{step.label}: {len(step.mismatches)} unmet expectation(s)")
    if played.loop:
        console.print(f"\nhook loop: {played.loop}", markup=False)
    busiest = played.busiest_relation
    console.print(
        f"\n{played.rounds} rounds, {sum(played.hooks.values())} hooks; at most "
        f"{played.worst_relation_changed} relation-changed per relation per unit"
        + (f" ({busiest})" if busiest else ""),
        markup=False,
    )


def run(
    action: Callable[[], int],
    *,
    debug: bool = False,
    environment_errors: tuple[type[Exception], ...] = (),
    interrupted: str | None = None,
) -> NoReturn:
    """Run a command and exit with its status; input errors and environment failures too.

    An input error prints every diagnostic (status 2), an environment failure (an OSError or
    one of `environment_errors`) its message (status 1); with `debug`, each after its
    traceback. Given `interrupted`, Ctrl-C prints it and exits 130.
    """
    from distro_builder.core import InputError  # the API's own; pack and deploy load no more

    try:
        status = action()
    except InputError as error:
        _traceback(debug)
        report(error.diagnostics)
        status = EXIT_INPUT
    except (OSError, *environment_errors) as error:
        _traceback(debug)
        print(f"error: {error}", file=sys.stderr)
        status = EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        if interrupted is None:
            raise
        print(interrupted, file=sys.stderr)
        status = EXIT_INTERRUPTED
    raise typer.Exit(status)


def report(diagnostics: Iterable[Diagnostic]) -> None:
    """Print diagnostics to stderr, one per line."""
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _traceback(debug: bool) -> None:
    """With ``--debug``, the traceback of the error being handled."""
    if debug:
        traceback.print_exc()


def _files(files: Sequence[str]) -> str:
    """The files written, the packed charms counted: `bundle.yaml, ..., charms/ (9 charms)`."""
    charms = [file for file in files if file.startswith("charms/")]
    shown = [file for file in files if file not in charms]
    if charms:
        shown.append(f"charms/ ({len(charms)} charm{'s' if len(charms) > 1 else ''})")
    return ", ".join(shown)


def _json(output_format: str) -> bool:
    if output_format not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    return output_format == "json"


def _table(rows: list[dict[str, str]]) -> str:
    """Rows as an aligned table (the description last, on one line)."""
    if not rows:
        return "no overlays\n"
    header = {key: key.upper() for key in rows[0]}
    table = [header, *rows]
    widths = {key: max(len(" ".join(row[key].split())) for row in table) for key in header}
    lines = [
        "  ".join(" ".join(row[key].split()).ljust(widths[key]) for key in header).rstrip()
        for row in table
    ]
    return "\n".join(lines) + "\n"
