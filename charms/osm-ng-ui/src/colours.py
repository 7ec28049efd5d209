# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""CSS colour values accepted for `branding-primary-color`.

Accepted: `#rgb`, `#rrggbb`, `rgb(r, g, b)` with integer channels 0-255, and the
CSS Color Level 4 named colours. The value ends up inside a stylesheet, so
anything else (and with it any way to break out of the declaration) is refused.

Standard library only: distro-builder loads this file to check overlays before
deployment (see distro_builder/charm_rules.yaml).
"""

from __future__ import annotations

import re

_HEX = re.compile(r"#(?:[0-9a-f]{3}|[0-9a-f]{6})")
_RGB = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)")

_NAMES = """
    aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
    crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
    darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
    dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite
    gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
    lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
    lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
    lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
    magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
    mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
    mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
    palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
    powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
    seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
    steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
    yellowgreen
"""
NAMED_COLOURS = frozenset(_NAMES.split())


def normalise_colour(value: str) -> str:
    """Return `value` as a canonical lower-case CSS colour, or raise ValueError."""
    colour = value.strip().lower()
    if _HEX.fullmatch(colour) or colour in NAMED_COLOURS:
        return colour
    rgb = _RGB.fullmatch(colour)
    if rgb and all(int(channel) <= 255 for channel in rgb.groups()):
        return "rgb({}, {}, {})".format(*(int(channel) for channel in rgb.groups()))
    raise ValueError(
        f"invalid branding-primary-color {value!r}: use #rgb, #rrggbb, rgb(r, g, b) "
        "or a CSS colour name"
    )
