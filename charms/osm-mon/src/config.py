# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed configuration of the osm-mon charm, mirroring charmcraft.yaml's options."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import ops
from charms.osm_libs.v0.status import normalise_log_level

_HTTP_SCHEMES = ("http", "https")


def _check_positive(option: str, value: int) -> None:
    """Raise ValueError naming `option` unless `value` is a positive number of seconds."""
    if value <= 0:
        raise ValueError(f"invalid {option} {value}: use a positive number of seconds")


def _is_http_url(url: str) -> bool:
    """Whether `url` is http(s)://host[:port][/path] with a valid port."""
    try:
        parts = urlsplit(url)
        return parts.scheme in _HTTP_SCHEMES and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a malformed port or IPv6 address
        return False


def _http_url(option: str, value: str) -> str:
    """`value` as an HTTP(S) base URL without trailing slash ("" stays ""), or ValueError.

    A URL with credentials is refused: the charm would have to show it in plain text.
    """
    url = value.strip().rstrip("/")
    if not url:
        return url
    if not _is_http_url(url):
        # Never echo what may be a password (`user:password@`).
        shown = "" if "@" in url else f" {value!r}"
        raise ValueError(f"invalid {option}{shown}: use http(s)://host[:port][/path]")
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"invalid {option}: credentials do not belong in the URL")
    return url


@dataclass(frozen=True)
class CharmConfig:
    """The charm's options, validated; `log_level` is upper case, URLs lose a trailing `/`.

    The intervals and timeouts are in seconds. `grafana_password` and
    `database_commonkey` are user secrets (`type: secret` options).
    """

    log_level: str = "INFO"
    database_commonkey: ops.Secret | None = None
    openstack_default_granularity: int = 300
    global_request_timeout: int = 10
    collector_interval: int = 30
    evaluator_interval: int = 30
    vm_infra_metrics: bool = True
    grafana_url: str = "http://grafana:3000"
    grafana_user: str = "admin"
    grafana_password: ops.Secret | None = None
    prometheus_url: str = ""

    def __post_init__(self) -> None:
        """Validate every option; raise ValueError with a message naming the option."""
        object.__setattr__(self, "log_level", normalise_log_level(self.log_level))
        for option, value in (
            ("openstack-default-granularity", self.openstack_default_granularity),
            ("global-request-timeout", self.global_request_timeout),
            ("collector-interval", self.collector_interval),
            ("evaluator-interval", self.evaluator_interval),
        ):
            _check_positive(option, value)
        object.__setattr__(self, "grafana_url", _http_url("grafana-url", self.grafana_url))
        if not self.grafana_url:
            raise ValueError("invalid grafana-url '': use http(s)://host[:port][/path]")
        object.__setattr__(self, "grafana_user", self.grafana_user.strip())
        if not self.grafana_user:
            raise ValueError("invalid grafana-user '': give the Grafana user name")
        object.__setattr__(
            self, "prometheus_url", _http_url("prometheus-url", self.prometheus_url)
        )
