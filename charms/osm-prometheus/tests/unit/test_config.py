# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import pytest
from config import CharmConfig


def test_defaults_are_valid():
    config = CharmConfig()

    assert (config.retention_time, config.retention_size) == ("15d", "")
    assert (config.scrape_interval, config.log_level) == ("30s", "info")


@pytest.mark.parametrize("value", ["15d", "1y", "2w3d", "1d12h", "90m", "500ms", "1h30m15s"])
def test_retention_time_accepts_prometheus_durations(value: str):
    assert CharmConfig(retention_time=f" {value} ").retention_time == value


@pytest.mark.parametrize("value", ["", "0d", "0s0ms", "15", "15 days", "15D", "-1d", "1h1d"])
def test_retention_time_rejects_anything_else(value: str):
    with pytest.raises(ValueError, match=r"^invalid retention-time"):
        CharmConfig(retention_time=value)


@pytest.mark.parametrize("value", ["bad", "0s", ""])
def test_scrape_interval_is_validated(value: str):
    with pytest.raises(ValueError, match=r"^invalid scrape-interval"):
        CharmConfig(scrape_interval=value)


@pytest.mark.parametrize("value", ["", "512MB", "50GB", "1TB", "100B"])
def test_retention_size_accepts_sizes_or_empty(value: str):
    assert CharmConfig(retention_size=value).retention_size == value


@pytest.mark.parametrize("value", ["512", "1.5GB", "0GB", "10gb", "10 GB", "10GiB"])
def test_retention_size_rejects_anything_else(value: str):
    with pytest.raises(ValueError, match=r"^invalid retention-size"):
        CharmConfig(retention_size=value)


@pytest.mark.parametrize(("value", "level"), [("DEBUG", "debug"), (" Warn ", "warn")])
def test_log_level_is_case_insensitive(value: str, level: str):
    assert CharmConfig(log_level=value).log_level == level


def test_invalid_log_level_names_the_option_and_the_choices():
    with pytest.raises(ValueError, match=r"invalid log-level 'TRACE': use one of debug, info"):
        CharmConfig(log_level="TRACE")


@pytest.mark.parametrize("option", ["retention_time", "scrape_interval"])
def test_a_duration_prometheus_cannot_hold_is_refused(option):
    # Prometheus durations are Go's: at most about 292 years.
    with pytest.raises(ValueError, match=f"invalid {option.replace('_', '-')} '99999999999y'"):
        CharmConfig(**{option: "99999999999y"})
