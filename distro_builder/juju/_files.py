"""Where Juju finds a bundle: a bundle given as a directory is the ``bundle.yaml`` inside it."""

from __future__ import annotations

from pathlib import Path

from distro_builder.core import is_dir

BUNDLE_FILE = "bundle.yaml"


def bundle_file(path: Path) -> Path:
    """The bundle file `path` names (a directory means its ``bundle.yaml``)."""
    return path / BUNDLE_FILE if is_dir(path) else path
