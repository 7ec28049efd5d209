# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Status vocabulary and option checks shared by every OSM charm.

The messages match upstream Charmed OSM (integration tests and operators grep for
them), so every charm builds them here instead of spelling them out.
"""

from __future__ import annotations

from collections.abc import Iterable

LIBID = "c604a71669f149d88325f01522122a51"
LIBAPI = 0
LIBPATCH = 3

LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
# Python's logging knows every OSM level but TRACE.
_PYTHON_LOG_LEVELS = {"TRACE": "DEBUG"}

WAITING_FOR_PEBBLE = "waiting for pebble to start"


def missing_relations_message(missing: Iterable[str]) -> str:
    """Upstream's message for absent mandatory relations: `need kafka, mongodb relations`."""
    names = sorted(set(missing))
    noun = "relation" if len(names) == 1 else "relations"
    return f"need {', '.join(names)} {noun}"


def waiting_for_message(what: Iterable[str]) -> str:
    """Message for relations that exist but have not delivered their data yet."""
    return f"waiting for {', '.join(sorted(set(what)))} data"


def service_not_running_message(service: str) -> str:
    """Upstream's message for a Pebble service that is planned but not running."""
    return services_not_running_message([service])


def service_not_ready_message(service: str) -> str:
    """Message for a running service whose readiness check does not pass (yet)."""
    return services_not_ready_message([service])


def services_not_running_message(services: Iterable[str]) -> str:
    """`mon-server service is not running`, or `a, b services are not running` for more."""
    names = sorted(set(services))
    if len(names) == 1:
        return f"{names[0]} service is not running"
    return f"{', '.join(names)} services are not running"


def services_not_ready_message(services: Iterable[str]) -> str:
    """`x service is not ready: readiness check failing`; the plural for several services."""
    names = sorted(set(services))
    if len(names) == 1:
        return f"{names[0]} service is not ready: readiness check failing"
    return f"{', '.join(names)} services are not ready: readiness checks failing"


def normalise_log_level(value: str) -> str:
    """Return `value` as an upper-case OSM log level, or raise ValueError naming the option."""
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"invalid log-level {value!r}: use one of {', '.join(LOG_LEVELS)}")
    return level


def python_log_level(level: str) -> str:
    """The normalised OSM `level` as Python's logging knows it: TRACE becomes DEBUG."""
    return _PYTHON_LOG_LEVELS.get(level, level)
