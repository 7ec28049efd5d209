# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""charms.osm_libs.v0.status: log levels and the conventions' messages."""

from __future__ import annotations

import pytest
from charms.osm_libs.v0.status import (
    LOG_LEVELS,
    missing_relations_message,
    normalise_log_level,
    python_log_level,
)


@pytest.mark.parametrize("level", LOG_LEVELS)
def test_python_log_level_maps_only_trace(level):
    expected = "DEBUG" if level == "TRACE" else level

    assert python_log_level(level) == expected


@pytest.mark.parametrize(("value", "level"), [("trace", "TRACE"), (" Warn ", "WARN")])
def test_log_levels_are_read_in_any_case(value, level):
    assert normalise_log_level(value) == level


def test_an_unknown_log_level_is_refused_naming_the_option():
    with pytest.raises(ValueError, match=r"^invalid log-level 'loud': use one of TRACE, DEBUG"):
        normalise_log_level("loud")


@pytest.mark.parametrize(
    ("missing", "message"),
    [(["kafka"], "need kafka relation"), (["mongodb", "kafka"], "need kafka, mongodb relations")],
)
def test_missing_relations_message(missing, message):
    assert missing_relations_message(missing) == message
