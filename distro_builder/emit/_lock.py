"""``distro.lock``: what a distribution was built from, to rebuild or audit it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from distro_builder import __version__
from distro_builder.compose import Composition
from distro_builder.juju import BUNDLE_FILE

FILES_KEY = "files"
HEADER = "# distro.lock: written by distro-builder; records what this distribution is made of.\n"


def lock_data(
    composition: Composition, *, files: Mapping[str, str], commit: str | None
) -> dict[str, Any]:
    """The lock as data: identity, builder, source commit, inputs, charms, images, files.

    `files` maps every other file of the distribution to its sha256: the bundle's is
    also `bundle-sha256`, and the list tells which files this tool wrote (and may replace).
    """
    distro = composition.distro
    applications = composition.bundle.get("applications") or {}
    charms: dict[str, Any] = {}
    images: dict[str, Any] = {}
    for name, app in applications.items():
        charms[name] = {
            "charm": app.get("charm", ""),
            "channel": app.get("channel"),
            "revision": app.get("revision"),
        }
        resources = {
            key: value
            for key, value in (app.get("resources") or {}).items()
            if isinstance(value, str)
        }
        if resources:
            images[name] = resources
    return {
        "name": distro.name,
        "version": distro.version,
        "vendor": distro.vendor,
        "builder": f"distro-builder {__version__}",
        "source-commit": commit,
        "overlays": list(distro.chain),
        "variables": dict(sorted(distro.vars.items())),
        "inputs": [{"path": path, "sha256": digest} for path, digest in composition.inputs],
        "bundle-sha256": files.get(BUNDLE_FILE),
        "charms": charms,
        "images": images,
        FILES_KEY: dict(sorted(files.items())),
    }
