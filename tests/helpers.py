"""Test helpers: files written from text, and a copy of the repository's bundles/overlays."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from typer.testing import CliRunner

from distro_builder import api
from distro_builder.cli import create_app
from distro_builder.compose import Composition

REPO_ROOT = Path(__file__).resolve().parents[1]

Write = Callable[[str, str], Path]


NOT_PROJECT_FILES = shutil.ignore_patterns(".venv", "__pycache__", ".*_cache", "*.charm", "build")


def copy_project(destination: Path) -> Path:
    """Copy the repository's project files (a project without .git) to `destination`.

    That is the base bundle, the overlays and the charms (whose metadata and validation code
    the charm-aware checks read), without environments and caches.
    """
    for directory in ("bundles", "overlays", "charms"):
        shutil.copytree(REPO_ROOT / directory, destination / directory, ignore=NOT_PROJECT_FILES)
    return destination


def compose(
    project: api.Project, overlays: Sequence[str] = (), settings: Sequence[str] = ()
) -> Composition:
    """Compose through the API, as every command does."""
    return api.compose(project, api.ComposeOptions(overlays=overlays, settings=settings))


def build(
    root: Path, *overlays: str, output: Path | None = None, settings: Sequence[str] = ()
) -> int:
    """Run ``distro-builder build`` in this process: its exit status."""
    args = ["build", "--root", str(root)]
    args += [f"--overlay={overlay}" for overlay in overlays]
    args += [f"--set={setting}" for setting in settings]
    args += ["--output", str(output)] if output is not None else []
    return CliRunner().invoke(create_app(), args).exit_code
