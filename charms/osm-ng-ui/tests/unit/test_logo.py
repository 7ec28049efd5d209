# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Vetting of `branding-logo`: base64, size, PNG signature, SVG root and SVG safety."""

from __future__ import annotations

import pytest
from helpers import PNG_LOGO, SVG_LOGO, b64
from logo import MAX_LOGO_BYTES, Logo, decode_logo

SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def svg(body: bytes) -> str:
    return b64(SVG_OPEN + body + b"</svg>")


@pytest.mark.parametrize("value", ["", "   ", "\n"])
def test_empty_means_no_logo(value):
    assert decode_logo(value) is None


def test_svg_logo_is_kept_byte_for_byte():
    assert decode_logo(b64(SVG_LOGO)) == Logo(content=SVG_LOGO, extension="svg")


def test_svg_without_namespace_is_an_svg():
    assert decode_logo(b64(b"<svg><circle r='1'/></svg>")) == Logo(
        content=b"<svg><circle r='1'/></svg>", extension="svg"
    )


def test_png_logo_is_recognised_by_its_signature():
    assert decode_logo(b64(PNG_LOGO)) == Logo(content=PNG_LOGO, extension="png")


def test_base64_wrapped_over_lines_is_accepted():
    encoded = b64(PNG_LOGO)
    wrapped = "\n".join(encoded[i : i + 10] for i in range(0, len(encoded), 10))

    assert decode_logo(wrapped) == Logo(content=PNG_LOGO, extension="png")


def test_logo_at_the_size_limit_is_accepted():
    content = PNG_LOGO + b"\x00" * (MAX_LOGO_BYTES - len(PNG_LOGO))

    assert decode_logo(b64(content)) == Logo(content=content, extension="png")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("%%%not-base64%%%", "not base64"),
        ("QUJ", "not base64"),
        (b64(PNG_LOGO + b"\x00" * MAX_LOGO_BYTES), "more than the 131072 allowed"),
        (b64(b"GIF89a\x01\x00"), "neither a PNG nor a well-formed SVG file"),
        (b64(b"\xff\xd8\xff\xe0JFIF"), "neither a PNG nor a well-formed SVG file"),
        (b64(b"<html><body/></html>"), "root element is not <svg>"),
        (b64(b"<svg><unclosed></svg>"), "neither a PNG nor a well-formed SVG file"),
    ],
)
def test_not_a_png_or_svg_is_refused(value, reason):
    with pytest.raises(ValueError, match=r"^invalid branding-logo: ") as error:
        decode_logo(value)

    assert reason in str(error.value)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<script>alert(1)</script>", "SVG contains a <script> element"),
        (b"<svg:script xmlns:svg='http://www.w3.org/2000/svg'/>", "<script> element"),
        (b"<foreignObject><div/></foreignObject>", "<foreignObject> element"),
        (b"<rect onclick='alert(1)'/>", "event handler (onclick)"),
        (b"<rect ONLOAD='alert(1)'/>", "event handler (ONLOAD)"),
        (b"<a href='javascript:alert(1)'><rect/></a>", "javascript: link"),
        (b"<a xlink:href=' JavaScript:alert(1)'><rect/></a>", "javascript: link"),
        (b"<set attributeName='href' to='javascript:alert(1)'/>", "javascript: link"),
    ],
)
def test_svg_that_could_run_code_is_refused(body, reason):
    with pytest.raises(ValueError, match=r"^invalid branding-logo: ") as error:
        decode_logo(svg(body))

    assert reason in str(error.value)


def test_svg_with_entities_is_refused_before_parsing():
    billion_laughs = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><svg>&lol2;</svg>'
    )

    with pytest.raises(ValueError, match="SVG with a DTD or entities is not accepted"):
        decode_logo(b64(billion_laughs))
