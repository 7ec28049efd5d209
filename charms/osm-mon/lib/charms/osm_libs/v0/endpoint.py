# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The OSM-only host/port interfaces: `nbi`, `ro` and `prometheus`.

Upstream Charmed OSM publishes these in the provider's application databag as plain
strings: `host` (the Kubernetes service name, i.e. the application name) and `port`
for `nbi` and `ro`; `hostname` and `port` for `prometheus`. This library reads and
writes exactly those keys so that our charms relate to upstream ones both ways.

Neither class observes events: the charm calls `publish` / `get` from its single
reconcile path, which already runs on the relation events.
"""

from __future__ import annotations

from dataclasses import dataclass

import ops

LIBID = "0e0e1a871b6946a5bd2d1274425e7b55"
LIBAPI = 0
LIBPATCH = 1

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


class EndpointRequirer:
    """Reads the related application's endpoint from relation `relation_name`."""

    def __init__(self, charm: ops.CharmBase, relation_name: str, host_key: str = HOST_KEY):
        self._charm = charm
        self._relation_name = relation_name
        self._host_key = host_key

    @property
    def relation(self) -> ops.Relation | None:
        """The relation, if one exists (these endpoints have `limit: 1`)."""
        return self._charm.model.get_relation(self._relation_name)

    def get(self) -> Endpoint | None:
        """The remote endpoint, or None while it is absent or malformed."""
        relation = self.relation
        if relation is None or relation.app is None:
            return None
        databag = relation.data[relation.app]
        host, port = databag.get(self._host_key), databag.get(PORT_KEY)
        if not host or not port or not port.isdigit():
            return None
        return Endpoint(host=host, port=int(port))
