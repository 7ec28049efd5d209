# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""CharmConfig: defaults, normalisation and the errors that name the option."""

from __future__ import annotations

import pytest
from config import CharmConfig


def test_defaults_are_valid():
    config = CharmConfig()

    assert (config.log_level, config.max_body_size) == ("INFO", 20)
    assert config.database_commonkey is None
    assert config.external_hostname == config.tls_secret_name == ""


@pytest.mark.parametrize(("given", "level"), [("trace", "TRACE"), (" Warn ", "WARN")])
def test_log_level_is_normalised(given, level):
    assert CharmConfig(log_level=given).log_level == level


@pytest.mark.parametrize(
    "hostname", ["nbi", "nbi.osm.example.com", "osm-nbi.example.com", "a" * 63 + ".example.com"]
)
def test_valid_external_hostnames(hostname):
    assert CharmConfig(external_hostname=hostname).external_hostname == hostname


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("external_hostname", "http://nbi.example.com"),
        ("external_hostname", "nbi.example.com/osm"),
        ("external_hostname", "NBI.example.com"),
        ("external_hostname", "-nbi.example.com"),
        ("external_hostname", "nbi..example.com"),
        ("external_hostname", ("a" * 63 + ".") * 4 + "com"),
        ("tls_secret_name", "nbi_tls"),
        ("tls_secret_name", "nbi-tls-"),
    ],
)
def test_invalid_dns_names_name_the_option(option, value):
    with pytest.raises(ValueError, match=f"invalid {option.replace('_', '-')} "):
        CharmConfig(**{option: value})


@pytest.mark.parametrize("size", [0, 1, 1024])
def test_max_body_size_accepts_zero_and_positive_sizes(size):
    assert CharmConfig(max_body_size=size).max_body_size == size


def test_negative_max_body_size_names_the_option():
    with pytest.raises(ValueError, match="invalid max-body-size -5"):
        CharmConfig(max_body_size=-5)


def test_bad_log_level_names_the_option():
    with pytest.raises(ValueError, match="invalid log-level 'chatty'"):
        CharmConfig(log_level="chatty")
