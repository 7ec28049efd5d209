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


# The overlays this repository ships, which tests may name: a vendor's own overlays in a
# checkout (`overlays/<name>/`) never reach a test project.
SHIPPED_OVERLAYS = ("acme-telco", "globex", "ha")


def copy_project(destination: Path) -> Path:
    """Copy the repository's project files (a project without .git) to `destination`.

    That is the base bundle, the shipped overlays and the charms (whose metadata and
    validation code the charm-aware checks read), without environments and caches.
    """
    for directory in ("bundles", "charms"):
        shutil.copytree(REPO_ROOT / directory, destination / directory, ignore=NOT_PROJECT_FILES)
    for overlay in SHIPPED_OVERLAYS:
        shutil.copytree(
            REPO_ROOT / "overlays" / overlay,
            destination / "overlays" / overlay,
            ignore=NOT_PROJECT_FILES,
        )
    return destination


def compose(
    project: api.Project, overlays: Sequence[str] = (), settings: Sequence[str] = ()
) -> Composition:
    """Compose through the API, as every command does."""
    return api.compose(project, api.ComposeOptions(overlays=overlays, settings=settings))


def checked(
    *overlays: str,
    settings: Sequence[str] = (),
    strict: bool = False,
    allow_unknown_charms: bool = False,
) -> list[str]:
    """The formatted findings of checking the repository's base with `overlays`."""
    project = api.Project.locate(REPO_ROOT)
    options = api.CheckOptions(
        overlays=overlays,
        settings=settings,
        strict=strict,
        allow_unknown_charms=allow_unknown_charms,
    )
    composition = api.compose(project, options)
    return [d.format() for d in api.check(project, composition, options).diagnostics]


def at(path: Path, needle: str, occurrence: int = 1) -> str:
    """`PATH:LINE:COL` of the `occurrence`-th line of `path` holding `needle` (its column)."""
    seen = 0
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return f"{api.display_path(path)}:{number}:{line.index(needle) + 1}"
    raise AssertionError(f"{needle!r} not in {path}")


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
STANDIN_TIME = (2025, 1, 1, 0, 0, 0)


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
    manifest = {"charmcraft-version": "4.0.0", "bases": [{"name": "ubuntu"}]}
    members = {
        "metadata.yaml": yaml.safe_dump(meta, sort_keys=False).encode(),
        "config.yaml": yaml.safe_dump(document.get("config") or {}).encode(),
        "manifest.yaml": yaml.safe_dump(manifest).encode(),
        "src/charm.py": f"# stand-in for {document['name']}\n".encode(),
    }
    with zipfile.ZipFile(packed, "w") as archive:  # the same bytes for the same charm
        for name, data in members.items():
            member = zipfile.ZipInfo(name, date_time=STANDIN_TIME)
            archive.writestr(member, data, zipfile.ZIP_DEFLATED)
        if padding:
            block = bytes(range(256)) * (padding // 256 + 1)
            member = zipfile.ZipInfo("venv/padding", date_time=STANDIN_TIME)
            archive.writestr(member, block[:padding], zipfile.ZIP_STORED)
    return packed


def pack_standins(root: Path, directory: Path, *, padding: int = 0) -> dict[str, Path]:
    """Stand-ins of every charm of the project at `root`: charm name -> packed file."""
    return {
        charm.name: pack_standin(charm, directory, padding=padding)
        for charm in sorted((root / "charms").glob("osm-*"))
        if (charm / "charmcraft.yaml").is_file()
    }
