# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""CharmConfig: defaults, normalisation and one clear error per bad option."""

from __future__ import annotations

import pytest
from config import CharmConfig


def test_defaults_are_valid():
    config = CharmConfig()

    assert config == CharmConfig(
        log_level="INFO",
        num_partitions=1,
        retention_hours=168,
        retention_ms=0,
        auto_create_topics=True,
        replication_factor=0,
        min_insync_replicas=0,
    )


@pytest.mark.parametrize(("given", "expected"), [("debug", "DEBUG"), (" Warn ", "WARN")])
def test_log_level_is_normalised(given: str, expected: str):
    assert CharmConfig(log_level=given).log_level == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"log_level": "verbose"}, "invalid log-level 'verbose'"),
        ({"num_partitions": 0}, "invalid num-partitions 0"),
        ({"retention_hours": 0}, "invalid retention-hours 0"),
        ({"retention_hours": -2}, "invalid retention-hours -2"),
        ({"retention_ms": -2}, "invalid retention-ms -2"),
        ({"replication_factor": -1}, "invalid replication-factor -1"),
        ({"min_insync_replicas": -1}, "invalid min-insync-replicas -1"),
        (
            {"replication_factor": 2, "min_insync_replicas": 3},
            "invalid min-insync-replicas 3: exceeds replication-factor 2",
        ),
    ],
)
def test_bad_option_names_the_option(options: dict, message: str):
    with pytest.raises(ValueError, match=message):
        CharmConfig(**options)


@pytest.mark.parametrize(
    "options",
    [
        {"retention_hours": -1},
        {"retention_ms": -1},
        {"retention_ms": 60000},
        {"replication_factor": 3, "min_insync_replicas": 3},
        {"replication_factor": 0, "min_insync_replicas": 5},
    ],
)
def test_accepted_edge_values(options: dict):
    config = CharmConfig(**options)

    assert {name: getattr(config, name) for name in options} == options
