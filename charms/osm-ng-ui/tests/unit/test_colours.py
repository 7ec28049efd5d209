# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Validation of `branding-primary-color`."""

from __future__ import annotations

import pytest
from colours import NAMED_COLOURS, normalise_colour


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#c8102e", "#c8102e"),
        ("#C8102E", "#c8102e"),
        ("#c12", "#c12"),
        (" teal ", "teal"),
        ("RebeccaPurple", "rebeccapurple"),
        ("rgb(200, 16, 46)", "rgb(200, 16, 46)"),
        ("RGB( 0,0 ,255 )", "rgb(0, 0, 255)"),
        ("rgb(255,255,255)", "rgb(255, 255, 255)"),
    ],
)
def test_css_colours_are_accepted_and_normalised(value, expected):
    assert normalise_colour(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "#12345",
        "#gggggg",
        "c8102e",
        "rgb(256, 0, 0)",
        "rgb(1, 2)",
        "rgba(1, 2, 3, 0.5)",
        "notacolour",
        "transparent",
        "red; } body { display: none",
        "red !important",
        "",
    ],
)
def test_anything_else_is_refused_naming_the_option(value):
    with pytest.raises(ValueError, match=r"^invalid branding-primary-color"):
        normalise_colour(value)


def test_named_colours_are_the_css_level_4_set():
    assert len(NAMED_COLOURS) == 148
    assert {"aliceblue", "rebeccapurple", "yellowgreen"} <= NAMED_COLOURS
