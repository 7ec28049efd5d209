# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""charms.osm_libs.v0.status: the log level handed to Python's logging (shared library)."""

from __future__ import annotations

import pytest
from charms.osm_libs.v0.status import LOG_LEVELS, python_log_level


@pytest.mark.parametrize("level", LOG_LEVELS)
def test_python_log_level_maps_only_trace(level):
    expected = "DEBUG" if level == "TRACE" else level

    assert python_log_level(level) == expected
