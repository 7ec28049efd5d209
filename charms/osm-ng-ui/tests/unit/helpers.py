# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Sample logos and readers of the files the charm pushes into the ng-ui container."""

from __future__ import annotations

import base64
from pathlib import Path, PurePosixPath

from literals import BRANDING_DIR, CONTAINER, SITE_CONFIG_PATH
from ops import testing

SVG_LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<rect width="10" height="10" fill="#c8102e"/></svg>'
)
PNG_LOGO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def b64(content: bytes) -> str:
    """The option value a vendor sets for a logo file."""
    return base64.b64encode(content).decode()


def _mounted(state: testing.State, path: str) -> Path:
    """Where `path` of the ng-ui container lives on the test's disk (see the mounts)."""
    target = PurePosixPath(path)
    for mount in state.get_container(CONTAINER).mounts.values():
        location = PurePosixPath(mount.location)
        if target == location or location in target.parents:
            return Path(mount.source) / target.relative_to(location)
    raise AssertionError(f"{path} is not under a mount of the test container")


def site(state: testing.State) -> str:
    """The nginx site configuration pushed into the container."""
    return _mounted(state, SITE_CONFIG_PATH).read_text()


def branding_files(state: testing.State) -> dict[str, bytes]:
    """Every file of the branding directory in the container, by name."""
    directory = _mounted(state, BRANDING_DIR)
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}
