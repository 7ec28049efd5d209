# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Fixtures: the charm's Context and States with its relations in any combination."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from charm import OsmNbiCharm
from literals import CONTAINER
from ops import testing
from osm_charm_testing import data_state

StateFactory = Callable[..., testing.State]


@pytest.fixture
def ctx() -> testing.Context[OsmNbiCharm]:
    """The charm's context, metadata read from charmcraft.yaml."""
    return testing.Context(OsmNbiCharm)


@pytest.fixture
def make_state() -> StateFactory:
    """Builder of States (`data_state`): both data relations answered unless told otherwise.

    `mongodb`/`kafka`: True (answered), False (related, no answer yet) or None (absent).
    """

    def make(
        *,
        relations: Iterable[testing.RelationBase] = (),
        can_connect: bool = True,
        leader: bool = True,
        **state: Any,
    ) -> testing.State:
        state.setdefault("containers", {testing.Container(CONTAINER, can_connect=can_connect)})
        return data_state(*relations, leader=leader, **state)

    return make
