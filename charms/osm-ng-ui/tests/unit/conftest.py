# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures for the osm-ng-ui unit tests: the charm context, its container and relation."""

from __future__ import annotations

from pathlib import Path

import pytest
from charm import OsmNgUiCharm
from literals import BRANDING_DIR, CONTAINER, NBI_RELATION, SITE_CONFIG_PATH
from ops import testing
from workload import RELOAD_COMMAND


@pytest.fixture
def ctx() -> testing.Context[OsmNgUiCharm]:
    return testing.Context(OsmNgUiCharm)


@pytest.fixture
def container(tmp_path: Path) -> testing.Container:
    """The ng-ui container, reachable, where `nginx -s reload` succeeds.

    The directories the charm writes to are mounts, so that what one event pushes is
    still there for the next, as in a real container.
    """
    mounts = {}
    for name, location in (("site", Path(SITE_CONFIG_PATH).parent), ("branding", BRANDING_DIR)):
        source = tmp_path / name
        source.mkdir()
        mounts[name] = testing.Mount(location=str(location), source=source)
    return testing.Container(
        CONTAINER,
        can_connect=True,
        mounts=mounts,
        execs={testing.Exec(RELOAD_COMMAND, return_code=0)},
    )


@pytest.fixture
def nbi() -> testing.Relation:
    """An nbi relation whose provider has published upstream's keys."""
    return testing.Relation(
        endpoint=NBI_RELATION,
        interface="nbi",
        remote_app_name="nbi",
        remote_app_data={"host": "nbi", "port": "9999"},
    )
