"""Test helpers: files written from text, and a copy of the repository's bundles/overlays."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
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


# charmcraft.yaml keys that charmcraft 4 does not copy into a packed charm's metadata.yaml.
CHARMCRAFT_ONLY = ("type", "base", "bases", "build-base", "platforms", "parts", "config")
CHARMCRAFT_ONLY += ("actions", "charm-libs", "charmhub", "title", "summary", "description")


def pack_standin(charm: Path, directory: Path, *, padding: int = 0, **metadata: object) -> Path:
    """A stand-in for `charmcraft pack` of `charm` (a charm directory) into `directory`.

    The zip holds what charmcraft 4 lays out: `metadata.yaml` (with `metadata` overriding
    its keys), `config.yaml`, `manifest.yaml`, and `padding` bytes of stored content, named
    `<name>_<platform>.charm` after the first key of `platforms:`.
    """
    document = yaml.safe_load((charm / "charmcraft.yaml").read_text())
    platform = next(iter(document["platforms"]))
    meta = {key: value for key, value in document.items() if key not in CHARMCRAFT_ONLY}
    meta.update(metadata)
    directory.mkdir(parents=True, exist_ok=True)
    packed = directory / f"{document['name']}_{platform}.charm"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.yaml", yaml.safe_dump(meta, sort_keys=False))
        archive.writestr("config.yaml", yaml.safe_dump(document.get("config") or {}))
        manifest = {"charmcraft-version": "4.0.0", "bases": [{"name": "ubuntu"}]}
        archive.writestr("manifest.yaml", yaml.safe_dump(manifest))
        archive.writestr("src/charm.py", f"# stand-in for {document['name']}\n")
        if padding:
            block = bytes(range(256)) * (padding // 256 + 1)
            archive.writestr("venv/padding", block[:padding], zipfile.ZIP_STORED)
    return packed


def pack_standins(root: Path, directory: Path, *, padding: int = 0) -> dict[str, Path]:
    """Stand-ins of every charm of the project at `root`: charm name -> packed file."""
    return {
        charm.name: pack_standin(charm, directory, padding=padding)
        for charm in sorted((root / "charms").glob("osm-*"))
        if (charm / "charmcraft.yaml").is_file()
    }
