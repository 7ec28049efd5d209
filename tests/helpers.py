"""Test helpers: files written from text, and a copy of the repository's bundles/overlays."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

Write = Callable[[str, str], Path]


def copy_project(destination: Path) -> Path:
    """Copy the repository's base bundle and overlays (a project without .git) to `destination`."""
    for directory in ("bundles", "overlays"):
        shutil.copytree(REPO_ROOT / directory, destination / directory)
    return destination
