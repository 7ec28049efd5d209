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


# Written so that a naive check misses them; a browser still runs them (or may).
EVASIONS = [
    # character references, decoded by the XML parser
    b"<a href='jav&#x0A;ascript:alert(1)'><rect/></a>",
    b"<a href='jav&#10;ascript:alert(1)'><rect/></a>",
    b"<a href='jav&#x09;ascript:alert(1)'><rect/></a>",
    b"<a href='java&#x0D;script:alert(1)'><rect/></a>",
    b"<a href='&#x6A;avascript:alert(1)'><rect/></a>",
    b"<a href='&#106;&#97;&#118;&#97;script:alert(1)'><rect/></a>",
    b"<a href='javascript&#x3A;alert(1)'><rect/></a>",
    b"<a href='&#x20;&#x0A;javascript:alert(1)'><rect/></a>",
    # literal whitespace and case
    b"<a href='java\tscript:alert(1)'><rect/></a>",
    b"<a href='JaVaScRiPt:alert(1)'><rect/></a>",
    b"<a xlink:href='\n javascript:alert(1)'><rect/></a>",
    # references encoded twice, and Unicode look-alikes folded by NFKC
    b"<a href='jav&amp;#x0A;ascript:alert(1)'><rect/></a>",
    b"<a href='\xef\xbd\x8aavascript:alert(1)'><rect/></a>",
    # inside a value list rather than at its start
    b"<a><animate attributeName='href' values='#a;javascript:alert(1)'/><rect/></a>",
    b"<a><set attributeName='href' to='#a' from='x' by=' jav\tascript:alert(1)'/></a>",
    # in CSS
    b"<rect style='fill:url(javascript:alert(1))'/>",
    b"<style>rect { fill: url('\\6a avascript:alert(1)') }</style>",
]


@pytest.mark.parametrize("body", EVASIONS)
def test_javascript_urls_are_refused_however_they_are_written(body):
    with pytest.raises(ValueError, match="SVG contains a javascript: link"):
        decode_logo(svg(body))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<a href='vbscript:msgbox(1)'><rect/></a>", "SVG contains a vbscript: link"),
        (b"<a href='VB&#x0A;Script:msgbox(1)'><rect/></a>", "SVG contains a vbscript: link"),
        (
            b"<a href='data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;'><rect/></a>",
            "SVG contains a data: URL that is not a PNG, JPEG, GIF or WebP image",
        ),
        (
            b"<image href='DATA:image/svg+xml;base64,PHN2Zz4='/>",
            "SVG contains a data: URL that is not a PNG, JPEG, GIF or WebP image",
        ),
        (b"<set attributeName='onclick' to='alert(1)'/>", "event handler (onclick)"),
        (b"<handler>alert(1)</handler>", "<handler> element"),
        (b"<iframe src='https://example.com'/>", "<iframe> element"),
    ],
)
def test_other_code_carrying_svg_is_refused(body, reason):
    with pytest.raises(ValueError, match=r"^invalid branding-logo: ") as error:
        decode_logo(svg(body))

    assert reason in str(error.value)


def test_a_processing_instruction_is_refused():
    content = b'<?xml-stylesheet type="text/xsl" href="#x"?>' + SVG_OPEN + b"</svg>"

    with pytest.raises(ValueError, match="SVG contains a processing instruction"):
        decode_logo(b64(content))


def test_a_dtd_is_refused_in_any_encoding():
    document = '<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>'

    with pytest.raises(ValueError, match="SVG with a DTD or entities is not accepted"):
        decode_logo(b64(document.encode("utf-16")))


@pytest.mark.parametrize(
    "body",
    [
        b"<a href='https://acme.example/'><rect/></a>",
        b"<use href='#shape'/><rect id='shape'/>",
        b"<image href='data:image/png;base64,iVBORw0KGgo='/>",
        b"<image xlink:href='data:image/jpeg;base64,/9j/4AAQ'/>",
        b"<rect style='fill:url(#gradient)'/>",
        b"<style>.a { fill: #c8102e }</style><text>javascript: the language</text>",
        b"<metadata id='metadata:1'/><rect class='database'/>",
    ],
)
def test_ordinary_svg_features_are_accepted(body):
    assert decode_logo(svg(body)) is not None


def test_the_xml_declaration_is_accepted():
    content = b'<?xml version="1.0" encoding="UTF-8"?>' + SVG_OPEN + b"</svg>"

    assert decode_logo(b64(content)) == Logo(content=content, extension="svg")
