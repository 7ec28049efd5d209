# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures for the osm-pol unit tests: the charm context and its container."""

from __future__ import annotations

from pathlib import Path

import pytest
from charm import OsmPolCharm
from literals import CONTAINER, STORAGE_MOUNT
from ops import testing


@pytest.fixture
def ctx() -> testing.Context[OsmPolCharm]:
    return testing.Context(OsmPolCharm)


@pytest.fixture
def container(tmp_path: Path) -> testing.Container:
    """The pol container, reachable, with the `database` storage mounted."""
    return testing.Container(
        CONTAINER,
        can_connect=True,
        mounts={"database": testing.Mount(location=STORAGE_MOUNT, source=tmp_path)},
    )
