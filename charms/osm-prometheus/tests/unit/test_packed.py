# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The charm as packed: importable and dispatching with nothing but its src/ and lib/."""

from pathlib import Path

from osm_charm_testing import dispatch_as_packed

CHARM_ROOT = Path(__file__).resolve().parents[2]


def test_the_packed_charm_imports_and_dispatches_install():
    assert dispatch_as_packed(CHARM_ROOT) == []


def test_the_entry_point_is_executable():
    assert (CHARM_ROOT / "src/charm.py").stat().st_mode & 0o111 == 0o111
