# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed configuration of the osm-nbi charm, mirroring charmcraft.yaml's options."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ops
from charms.osm_libs.v0.status import normalise_log_level

# RFC 1123 subdomain, as Kubernetes requires for ingress hosts and secret names.
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS_SUBDOMAIN_MAX = 253


def _check_dns_subdomain(option: str, value: str, example: str) -> None:
    """Raise ValueError naming `option` unless `value` is empty or an RFC 1123 subdomain."""
    if not value:
        return
    if len(value) > _DNS_SUBDOMAIN_MAX or not _DNS_SUBDOMAIN.fullmatch(value):
        raise ValueError(
            f"invalid {option} {value!r}: use a lower-case DNS name such as {example}"
        )


@dataclass(frozen=True)
class CharmConfig:
    """The charm's options, validated; `log_level` is normalised to upper case."""

    log_level: str = "INFO"
    database_commonkey: ops.Secret | None = None
    external_hostname: str = ""
    max_body_size: int = 20
    tls_secret_name: str = ""

    def __post_init__(self) -> None:
        """Validate every option; raise ValueError with a message naming the option."""
        object.__setattr__(self, "log_level", normalise_log_level(self.log_level))
        if self.max_body_size < 0:
            raise ValueError(
                f"invalid max-body-size {self.max_body_size}: use megabytes, or 0 for no limit"
            )
        _check_dns_subdomain("external-hostname", self.external_hostname, "nbi.osm.example.com")
        _check_dns_subdomain("tls-secret-name", self.tls_secret_name, "nbi-tls")
