"""The `pack`, `deploy` and `status` commands of the face (registered by `cli.create_app`).

Options only: each command hands its values to :mod:`distro_builder.cli_deploy_run`, which
is imported when the command runs (it loads rich and the deploy library; `build` and
`--help` load neither), and exits with the status it returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from distro_builder.cli import Debug, Overlays, Root, Settings, run

DEFAULT_OUTPUT = "build/charms"
DEFAULT_TIMEOUT = 3600.0
DISCONNECTED = "interrupted: disconnected from the model"
INTERRUPTED = "interrupted"

DistArgument = Annotated[
    Path, typer.Argument(metavar="DIST", help="A built distribution directory (dist/<name>).")
]
ModelOption = Annotated[
    str | None, typer.Option("--model", help="Model name (default: the distribution's name).")
]
ControllerOption = Annotated[
    str | None, typer.Option("--controller", help="Controller (default: the current one).")
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", metavar="SECONDS", help="How long to wait for active.")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Show what deploying would change; change nothing.")
]
PackOutput = Annotated[
    Path | None,
    typer.Option("--output", help=f"Directory of packed charms (default {DEFAULT_OUTPUT}/)."),
]


def register(app: typer.Typer) -> None:
    """Add the commands to the `distro-builder` application."""
    app.command("pack")(pack)
    app.command("deploy")(deploy)
    app.command("status")(status)


def pack(
    overlay: Overlays = None,
    settings: Settings = None,
    output: PackOutput = None,
    root: Root = None,
    debug: Debug = False,
) -> None:
    """Pack the in-repository charms the distribution uses, skipping up-to-date ones."""
    from distro_builder import cli_deploy_run as steps

    def action() -> int:
        return steps.pack(overlay or [], settings or [], output, root)

    run(action, debug=debug, environment_errors=steps.ENVIRONMENT_ERRORS, interrupted=INTERRUPTED)


def deploy(
    dist: DistArgument,
    model: ModelOption = None,
    controller: ControllerOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    dry_run: DryRunOption = False,
    debug: Debug = False,
) -> None:
    """Deploy a distribution with python-libjuju and wait until it is active."""
    from distro_builder import cli_deploy_run as steps

    def action() -> int:
        return steps.deploy(dist, model, controller, timeout, dry_run)

    run(action, debug=debug, environment_errors=steps.ENVIRONMENT_ERRORS, interrupted=DISCONNECTED)


def status(
    dist: DistArgument,
    model: ModelOption = None,
    controller: ControllerOption = None,
    debug: Debug = False,
) -> None:
    """Show the distribution's applications in the model, and how the model differs."""
    from distro_builder import cli_deploy_run as steps

    def action() -> int:
        return steps.status(dist, model, controller)

    run(action, debug=debug, environment_errors=steps.ENVIRONMENT_ERRORS, interrupted=DISCONNECTED)
