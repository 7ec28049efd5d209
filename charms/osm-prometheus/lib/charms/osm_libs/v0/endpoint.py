# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The OSM-only host/port interfaces: `nbi`, `ro` and `prometheus`.

Upstream Charmed OSM publishes these in the provider's application databag as plain
strings: `host` (the Kubernetes service name, i.e. the application name) and `port`
for `nbi` and `ro`; `hostname` and `port` for `prometheus`. This library reads and
writes exactly those keys so that our charms relate to upstream ones both ways.

Neither class observes events: the charm calls `publish` / `get` from its single
reconcile path, which it runs on the requirer's `reconcile_events` (those of
`charms.osm_libs.v0.app_data.AppDataRequirer`, which `EndpointRequirer` is).
A provider whose service must be up to be of use publishes with `publish_while_ready`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import ops
from charms.osm_libs.v0.app_data import AppDataRequirer
from charms.osm_libs.v0.pebble_service import service_health

LIBID = "0e0e1a871b6946a5bd2d1274425e7b55"
LIBAPI = 0
LIBPATCH = 2

HOST_KEY = "host"
HOSTNAME_KEY = "hostname"
PORT_KEY = "port"


@dataclass(frozen=True)
class Endpoint:
    """Where a related OSM service listens."""

    host: str
    port: int

    @property
    def url(self) -> str:
        """The service's base HTTP URL."""
        return f"http://{self.host}:{self.port}"


class EndpointProvider:
    """Publishes this application's endpoint on every relation of `relation_name`."""

    def __init__(self, charm: ops.CharmBase, relation_name: str, host_key: str = HOST_KEY):
        self._charm = charm
        self._relation_name = relation_name
        self._host_key = host_key

    def publish(self, endpoint: Endpoint | None) -> None:
        """Write `endpoint` to every relation's app databag (leader only); None withdraws it."""
        if not self._charm.unit.is_leader():
            return
        for relation in self._charm.model.relations[self._relation_name]:
            databag = relation.data[self._charm.app]
            if endpoint is None:
                databag.pop(self._host_key, None)
                databag.pop(PORT_KEY, None)
            else:
                databag.update({self._host_key: endpoint.host, PORT_KEY: str(endpoint.port)})

    def publish_while_ready(
        self, container: ops.Container, service: str, ready_check: str, port: int
    ) -> None:
        """Publish the application (its name, `port`) while `service` is up, else withdraw it.

        Up means running with its readiness check passing; a Pebble that cannot be
        reached counts as down.
        """
        ready = service_health(container, service, ready_check) is None
        self.publish(Endpoint(host=self._charm.app.name, port=port) if ready else None)


def read_endpoint(databag: Mapping[str, str], host_key: str = HOST_KEY) -> Endpoint | None:
    """The endpoint in a provider's databag; None while it is absent or malformed."""
    host, port = databag.get(host_key), databag.get(PORT_KEY)
    if not host or not port or not port.isdigit():
        return None
    return Endpoint(host=host, port=int(port))


class EndpointRequirer(AppDataRequirer[Endpoint]):
    """Reads the related application's endpoint from relation `relation_name` (`limit: 1`)."""

    def __init__(self, charm: ops.CharmBase, relation_name: str, host_key: str = HOST_KEY):
        super().__init__(charm, relation_name, functools.partial(read_endpoint, host_key=host_key))
