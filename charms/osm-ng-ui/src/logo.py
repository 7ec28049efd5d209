# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Decode and vet the `branding-logo` option: a base64 SVG or PNG.

The logo is served to every browser that opens the UI, so it is checked by
content, not by name: a PNG by its signature, an SVG by its root element. SVGs
that could run code or expand entities are refused rather than rewritten, so
what the browser gets is byte for byte what the vendor gave. Refused:

- a DTD or entity declaration (`<!DOCTYPE`, in any encoding) and any processing
  instruction other than the XML declaration (`<?xml-stylesheet ...?>`);
- the elements script, foreignObject, handler, iframe, embed and object, in any
  namespace and letter case;
- event-handler attributes (any attribute named `on...`) and animations of them
  (`attributeName="on..."`);
- in any attribute value and in `<style>` text, once normalised (character
  references and CSS escapes decoded, NFKC, every whitespace, control and format
  character removed, case-folded): `javascript:`, `vbscript:` and `livescript:`
  anywhere, and `data:` URLs other than PNG, JPEG, GIF or WebP images.

Standard library only: distro-builder loads this file to check overlays before
deployment (see distro_builder/charm_rules.yaml).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata
from dataclasses import dataclass

MAX_LOGO_BYTES = 128 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FORBIDDEN_SVG_ELEMENTS = frozenset(
    {"script", "foreignobject", "handler", "iframe", "embed", "object"}
)
SCRIPT_SCHEMES = ("javascript", "vbscript", "livescript")
DATA_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
_DATA_URL = re.compile(r"(?<![a-z0-9+.-])data:")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.))", re.DOTALL)
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
    """A tag or attribute name without its namespace (`uri name`) or prefix (`p:name`)."""
    return name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


def _css_unescape(text: str) -> str:
    """`text` with CSS escapes (a backslash, then hex digits or one character) decoded."""

    def decode(match: re.Match[str]) -> str:
        hex_digits, char = match.groups()
        if hex_digits is None:
            return char
        code = int(hex_digits, 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"

    return _CSS_ESCAPE.sub(decode, text)


def normalise(value: str) -> str:
    """`value` as the check compares it: references and escapes decoded, no blanks, folded.

    Character references are decoded until none is left (a reference encoded twice
    counts), then CSS escapes; NFKC folds look-alikes; every whitespace, control and
    format character is removed (browsers drop tabs and newlines inside URLs).
    """
    text = value
    for _ in range(4):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = unicodedata.normalize("NFKC", _css_unescape(text))
    kept = (
        char
        for char in text
        if not char.isspace() and unicodedata.category(char)[0] not in ("C", "Z")
    )
    return "".join(kept).casefold()


def check_text(text: str) -> None:
    """Raise ValueError if `text` (an attribute value, a stylesheet) holds a script URL."""
    folded = normalise(text)
    for scheme in SCRIPT_SCHEMES:
        if f"{scheme}:" in folded:
            raise _invalid(f"SVG contains a {scheme}: link")
    for match in _DATA_URL.finditer(folded):
        if not folded.startswith(DATA_IMAGE_TYPES, match.end()):
            raise _invalid("SVG contains a data: URL that is not a PNG, JPEG, GIF or WebP image")


class _SvgChecker:
    """Expat handlers that raise ValueError at the first thing that could run code."""

    def __init__(self) -> None:
        self.root_seen = False
        self.style_depth = 0
        self.style_text: list[str] = []

    def doctype(self, *_: object) -> None:
        raise _invalid("SVG with a DTD or entities is not accepted")

    def processing_instruction(self, target: str, _: str) -> None:
        raise _invalid(f"SVG contains a processing instruction ({target[:20]})")

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = _local_name(tag)
        if not self.root_seen:
            self.root_seen = True
            if tag not in (f"{SVG_NAMESPACE} svg", "svg"):
                raise _invalid("neither a PNG nor an SVG file (root element is not <svg>)")
        if name.lower() in FORBIDDEN_SVG_ELEMENTS:
            raise _invalid(f"SVG contains a <{name}> element")
        for attribute, value in attributes.items():
            attribute_name = _local_name(attribute)
            if attribute_name.lower().startswith("on"):
                raise _invalid(f"SVG contains an event handler ({attribute_name})")
            if attribute_name == "attributeName" and normalise(value).startswith("on"):
                raise _invalid(f"SVG contains an event handler ({value.strip()[:20]})")
            check_text(value)
        if name.lower() == "style":
            self.style_depth += 1

    def end(self, tag: str) -> None:
        if _local_name(tag).lower() == "style":
            self.style_depth -= 1
            if self.style_depth == 0:
                check_text("".join(self.style_text))
                self.style_text.clear()

    def text(self, data: str) -> None:
        if self.style_depth:
            self.style_text.append(data)


def check_svg(content: bytes) -> None:
    """Raise ValueError unless `content` is an SVG document that cannot run code."""
    # Imported here: only hooks that see an SVG logo pay for the XML parser.
    from xml.parsers import expat

    checker = _SvgChecker()
    parser = expat.ParserCreate(namespace_separator=" ")
    # A DTD is refused where it starts, before any entity is declared or expanded.
    parser.StartDoctypeDeclHandler = checker.doctype
    parser.EntityDeclHandler = checker.doctype
    parser.ProcessingInstructionHandler = checker.processing_instruction
    parser.StartElementHandler = checker.start
    parser.EndElementHandler = checker.end
    parser.CharacterDataHandler = checker.text
    try:
        parser.Parse(content, True)
    except expat.ExpatError:
        raise _invalid("neither a PNG nor a well-formed SVG file") from None
