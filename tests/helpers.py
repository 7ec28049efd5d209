"""Test helpers: files written from text, and a copy of the repository's bundles/overlays."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

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
