# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The `nginx-route` interface, requirer side: the route the NBI asks an ingress for.

The requirer writes plain keys in its application databag (the nginx-ingress-integrator
charm's option names); the provider answers nothing. Upstream osm-nbi sends the same
`service-hostname`, `service-name`, `service-port`, `max-body-size` and
`tls-secret-name`; `service-namespace` tells the integrator where the service lives.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RouteRequest:
    """What the NBI asks the ingress for."""

    hostname: str
    service: str
    namespace: str
    port: int
    max_body_size: int
    tls_secret_name: str = ""

    def databag(self) -> dict[str, str]:
        """The request as the interface's application databag content."""
        data = {
            "service-hostname": self.hostname,
            "service-name": self.service,
            "service-namespace": self.namespace,
            "service-port": str(self.port),
            "max-body-size": str(self.max_body_size),
        }
        if self.tls_secret_name:
            data["tls-secret-name"] = self.tls_secret_name
        return data
