# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""charms.osm_libs.v0.status: log levels and the conventions' messages."""

from __future__ import annotations

import pytest
from charms.osm_libs.v0.status import (
    LOG_LEVELS,
    missing_relations_message,
    normalise_log_level,
    python_log_level,
    service_not_ready_message,
    service_not_running_message,
    services_not_ready_message,
    services_not_running_message,
)


@pytest.mark.parametrize("level", LOG_LEVELS)
def test_python_log_level_maps_only_trace(level):
    expected = "DEBUG" if level == "TRACE" else level

    assert python_log_level(level) == expected


@pytest.mark.parametrize(("value", "level"), [("trace", "TRACE"), (" Warn ", "WARN")])
def test_log_levels_are_read_in_any_case(value, level):
    assert normalise_log_level(value) == level


def test_an_unknown_log_level_is_refused_naming_the_option():
    with pytest.raises(ValueError, match=r"^invalid log-level 'loud': use one of TRACE, DEBUG"):
        normalise_log_level("loud")


@pytest.mark.parametrize(
    ("missing", "message"),
    [(["kafka"], "need kafka relation"), (["mongodb", "kafka"], "need kafka, mongodb relations")],
)
def test_missing_relations_message(missing, message):
    assert missing_relations_message(missing) == message


def test_one_service_keeps_upstreams_singular_messages():
    assert services_not_running_message(["mon"]) == service_not_running_message("mon")
    assert service_not_running_message("mon") == "mon service is not running"
    assert services_not_ready_message(["mon"]) == service_not_ready_message("mon")
    assert service_not_ready_message("mon") == "mon service is not ready: readiness check failing"


def test_several_services_are_named_in_order_once():
    services = ["mon-server", "mon-collector", "mon-server"]

    assert services_not_running_message(services) == (
        "mon-collector, mon-server services are not running"
    )
    assert services_not_ready_message(services) == (
        "mon-collector, mon-server services are not ready: readiness checks failing"
    )
