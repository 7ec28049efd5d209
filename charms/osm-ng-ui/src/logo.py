# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Decode and vet the `branding-logo` option: a base64 SVG or PNG.

The logo is served to every browser that opens the UI, so it is checked by
content, not by name: a PNG by its signature, an SVG by its root element. SVGs
that could run code (scripts, foreignObject, event handlers, `javascript:`
links) or expand entities (any DTD) are refused rather than rewritten, so what
the browser gets is byte for byte what the vendor gave.

Standard library only: distro-builder loads this file to check overlays before
deployment (see distro_builder/charm_rules.yaml).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

MAX_LOGO_BYTES = 128 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FORBIDDEN_SVG_ELEMENTS = frozenset({"script", "foreignobject"})
_JAVASCRIPT_URL = re.compile(r"^\s*javascript:", re.IGNORECASE)
_OPTION = "branding-logo"


@dataclass(frozen=True)
class Logo:
    """A vetted logo image."""

    content: bytes
    extension: str  # "svg" or "png"


def _invalid(reason: str) -> ValueError:
    return ValueError(f"invalid {_OPTION}: {reason}")


def decode_logo(value: str) -> Logo | None:
    """The logo encoded in `value` (None when empty), or raise ValueError naming the option."""
    encoded = "".join(value.split())
    if not encoded:
        return None
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid("not base64 (encode the file with `base64 -w0`)") from None
    if len(content) > MAX_LOGO_BYTES:
        raise _invalid(f"{len(content)} bytes, more than the {MAX_LOGO_BYTES} allowed")
    if content.startswith(PNG_SIGNATURE):
        return Logo(content=content, extension="png")
    check_svg(content)
    return Logo(content=content, extension="svg")


def _local_name(name: str) -> str:
    """`{namespace}tag` or `prefix:tag` without its namespace."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def check_svg(content: bytes) -> None:
    """Raise ValueError unless `content` is an SVG document that cannot run code."""
    # Imported here: only hooks that see an SVG logo pay for the XML parser.
    from xml.etree import ElementTree

    upper = content.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise _invalid("SVG with a DTD or entities is not accepted")
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError:
        raise _invalid("neither a PNG nor a well-formed SVG file") from None
    if root.tag not in (f"{{{SVG_NAMESPACE}}}svg", "svg"):
        raise _invalid("neither a PNG nor an SVG file (root element is not <svg>)")
    for element in root.iter():
        name = _local_name(str(element.tag))
        if name.lower() in FORBIDDEN_SVG_ELEMENTS:
            raise _invalid(f"SVG contains a <{name}> element")
        for attribute, text in element.attrib.items():
            attribute_name = _local_name(attribute)
            if attribute_name.lower().startswith("on"):
                raise _invalid(f"SVG contains an event handler ({attribute_name})")
            if _JAVASCRIPT_URL.match(text):
                raise _invalid("SVG contains a javascript: link")
