# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed charm configuration, mirroring the options of charmcraft.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Prometheus durations: units from years down to milliseconds, largest first ("1d12h").
_DURATION = re.compile(r"(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?")
_UNIT_MS = {"y": 365 * 86_400_000, "w": 7 * 86_400_000, "d": 86_400_000, "h": 3_600_000}
_UNIT_MS |= {"m": 60_000, "s": 1_000, "ms": 1}
# A Prometheus duration is a Go time.Duration: at most 2**63 - 1 ns (about 292 years).
_MAX_DURATION_MS = (2**63 - 1) // 1_000_000
# Prometheus sizes (`--storage.tsdb.retention.size`): powers of two, e.g. "512MB".
_SIZE = re.compile(r"[1-9]\d*(B|KB|MB|GB|TB|PB|EB)")
LOG_LEVELS = ("debug", "info", "warn", "error")


def _duration(option: str, value: str) -> str:
    """Return `value` as a non-zero Prometheus duration, or raise ValueError naming `option`."""
    duration = value.strip()
    if not _DURATION.fullmatch(duration) or not re.search("[1-9]", duration):
        raise ValueError(
            f"invalid {option} {value!r}: use a non-zero Prometheus duration such as 15d or 30s"
        )
    parts = re.findall(r"(\d+)(ms|[ywdhms])", duration)
    if sum(int(number) * _UNIT_MS[unit] for number, unit in parts) > _MAX_DURATION_MS:
        raise ValueError(f"invalid {option} {value!r}: Prometheus durations end at about 292y")
    return duration


def _size(value: str) -> str:
    """Return `value` as a Prometheus size ("" for no limit), or raise ValueError."""
    size = value.strip()
    if size and not _SIZE.fullmatch(size):
        raise ValueError(
            f"invalid retention-size {value!r}: use a size such as 512MB or 50GB, or leave empty"
        )
    return size


def _log_level(value: str) -> str:
    """Return `value` as a lower-case Prometheus log level, or raise ValueError."""
    level = value.strip().lower()
    if level not in LOG_LEVELS:
        raise ValueError(f"invalid log-level {value!r}: use one of {', '.join(LOG_LEVELS)}")
    return level


@dataclass(frozen=True)
class CharmConfig:
    """The charm's options, validated and normalised.

    Attributes:
        retention_time: how long the TSDB keeps samples (`retention-time`).
        retention_size: the most disk the TSDB may use, "" for no limit (`retention-size`).
        scrape_interval: how often targets are scraped (`scrape-interval`).
        log_level: Prometheus's log level, lower case (`log-level`).
    """

    retention_time: str = "15d"
    retention_size: str = ""
    scrape_interval: str = "30s"
    log_level: str = "info"

    def __post_init__(self) -> None:
        """Validate every option; raise ValueError with a message naming the option."""
        object.__setattr__(
            self, "retention_time", _duration("retention-time", self.retention_time)
        )
        object.__setattr__(self, "retention_size", _size(self.retention_size))
        object.__setattr__(
            self, "scrape_interval", _duration("scrape-interval", self.scrape_interval)
        )
        object.__setattr__(self, "log_level", _log_level(self.log_level))
