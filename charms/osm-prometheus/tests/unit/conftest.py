# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures of the osm-prometheus unit tests (the state builders are in builders.py)."""

from __future__ import annotations

import builders
import pytest
from charm import OsmPrometheusCharm
from ops import testing


@pytest.fixture
def ctx() -> testing.Context[OsmPrometheusCharm]:
    return testing.Context(OsmPrometheusCharm)


@pytest.fixture
def container() -> testing.Container:
    """The workload container, reachable, nothing planned yet."""
    return builders.container()
