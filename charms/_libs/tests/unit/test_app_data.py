# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""charms.osm_libs.v0.app_data: reading the related application's databag."""

from __future__ import annotations

from collections.abc import Mapping

import ops
import pytest
from charms.osm_libs.v0.app_data import AppDataRequirer
from ops import testing

META = {"name": "reader", "requires": {"source": {"interface": "source", "limit": 1}}}


def read_greeting(databag: Mapping[str, str]) -> str | None:
    """The test reader: the `greeting` key, None while it is absent."""
    return databag.get("greeting")


class ReaderCharm(ops.CharmBase):
    """Records what the requirer read on every event of its `reconcile_events`."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.source = AppDataRequirer(self, "source", read_greeting)
        self.seen: list[tuple[bool, str | None]] = []
        for event in self.source.reconcile_events:
            framework.observe(event, self._record)

    def _record(self, _: ops.EventBase) -> None:
        self.seen.append((self.source.relation is not None, self.source.get()))


@pytest.fixture
def ctx() -> testing.Context[ReaderCharm]:
    return testing.Context(ReaderCharm, meta=META)


@pytest.mark.parametrize(
    ("remote_app_data", "expected"), [({"greeting": "hello"}, "hello"), ({}, None)]
)
def test_relation_changed_reads_the_remote_application_databag(ctx, remote_app_data, expected):
    relation = testing.Relation("source", remote_app_data=remote_app_data)

    with ctx(ctx.on.relation_changed(relation), testing.State(relations={relation})) as manager:
        manager.run()
        seen = manager.charm.seen

    assert seen == [(True, expected)]


def test_without_a_relation_there_is_nothing_to_read(ctx):
    with ctx(ctx.on.update_status(), testing.State()) as manager:
        requirer = manager.charm.source

        assert (requirer.relation, requirer.get()) == (None, None)


def test_relation_broken_reads_nothing_any_more(ctx):
    relation = testing.Relation("source", remote_app_data={"greeting": "hello"})

    with ctx(ctx.on.relation_broken(relation), testing.State(relations={relation})) as manager:
        manager.run()
        seen = manager.charm.seen

    assert seen == [(False, None)]
