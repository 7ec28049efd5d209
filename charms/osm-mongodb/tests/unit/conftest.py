"""Fixtures of osm-mongodb's unit tests (the state builders are in builders.py)."""

from __future__ import annotations

import pytest
from builders import APP
from charm import MongoDBCharm
from ops import testing


@pytest.fixture
def ctx() -> testing.Context[MongoDBCharm]:
    return testing.Context(MongoDBCharm, app_name=APP)
