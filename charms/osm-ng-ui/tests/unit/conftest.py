# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures for the osm-ng-ui unit tests: the charm context, its container and relation."""

from __future__ import annotations

from pathlib import Path

import pytest
from charm import OsmNgUiCharm
from literals import NBI_RELATION
from ops import testing
from workload_standins import ng_ui_container


@pytest.fixture
def ctx() -> testing.Context[OsmNgUiCharm]:
    return testing.Context(OsmNgUiCharm)


@pytest.fixture
def container(tmp_path: Path) -> testing.Container:
    """The ng-ui container, reachable, where `nginx -s reload` succeeds."""
    return ng_ui_container(tmp_path / "ng-ui")


@pytest.fixture
def nbi() -> testing.Relation:
    """An nbi relation whose provider has published upstream's keys."""
    return testing.Relation(
        endpoint=NBI_RELATION,
        interface="nbi",
        remote_app_name="nbi",
        remote_app_data={"host": "nbi", "port": "9999"},
    )
