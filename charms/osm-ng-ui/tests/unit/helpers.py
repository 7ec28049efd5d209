# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Sample logos and readers of the files the charm pushes into the ng-ui container."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from literals import BRANDING_DIR, CONTAINER, SITE_CONFIG_PATH
from ops import testing

SVG_LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<rect width="10" height="10" fill="#c8102e"/></svg>'
)
PNG_LOGO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG image of one colour (browsers decode it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


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


def branding_versions(state: testing.State) -> list[str]:
    """The branding directories in the container."""
    return sorted(path.name for path in _mounted(state, BRANDING_DIR).iterdir())


def site_branding_version(state: testing.State) -> str:
    """The branding version the site in the container names."""
    found = re.search(r'href="/_branding/([^/"]+)/', site(state))
    assert found, "the site names no branding"
    return found.group(1)


def branding_files(state: testing.State) -> dict[str, bytes]:
    """Every file of the branding directory that the site in the container names, by name."""
    directory = _mounted(state, BRANDING_DIR) / site_branding_version(state)
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def served_file(state: testing.State, url: str) -> bytes | None:
    """What nginx serves at `url` from the branding directory (`alias`), None if missing."""
    path = urlsplit(url).path
    prefix = "/_branding/"
    assert path.startswith(prefix), f"{url} is not a branding URL"
    file = _mounted(state, BRANDING_DIR) / path.removeprefix(prefix)
    return file.read_bytes() if file.is_file() else None


def page_assets(state: testing.State, site_text: str | None = None) -> dict[str, bytes | None]:
    """Every branding URL a page served with the site loads, with what nginx serves there.

    The stylesheet and script that the site injects into index.html, and the logo that the
    script names.
    """
    text = site(state) if site_text is None else site_text
    urls = re.findall(r'(?:href|src)="(/_branding/[^"]+)"', text)
    assets = {url: served_file(state, url) for url in urls}
    for url, content in list(assets.items()):
        if content is not None and urlsplit(url).path.endswith(".js"):
            logo = re.search(r'"logo": "(/_branding/[^"]+)"', content.decode())
            if logo:
                assets[logo.group(1)] = served_file(state, logo.group(1))
    return assets
