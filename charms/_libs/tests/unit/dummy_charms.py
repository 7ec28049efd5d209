"""Two minimal charms for the data-relation tests.

`ClientCharm` is an OSM component as the other charms use the library: one reconcile
for every event of `reconcile_events`. `LibraryProviderCharm` answers requests with
`dpcharmlibs-interfaces` directly, as Canonical's mongodb-k8s and kafka-k8s do.
"""

from __future__ import annotations

import ops
from charms.osm_libs.v0.data import KafkaRequirer, MongoDBRequirer, interfaces

CLIENT_META = {
    "name": "client",
    "requires": {
        "mongodb": {"interface": "mongodb_client", "limit": 1},
        "kafka": {"interface": "kafka_client", "limit": 1},
    },
}
POL_CLIENT_META = {"name": "pol", "requires": {"db": {"interface": "mongodb_client"}}}
PROVIDER_META = {"name": "mongodb", "provides": {"database": {"interface": "mongodb_client"}}}
PROVIDER_HOSTS = "mongodb-0.mongodb-endpoints:27017"
PROVIDER_PASSWORD = "provider-password"  # a test fixture


class ClientCharm(ops.CharmBase):
    """Requires mongodb and kafka; records what each reconcile saw."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.mongodb = MongoDBRequirer(self)
        self.kafka = KafkaRequirer(self)
        self.reconciled: list[str] = []
        for event in [*self.mongodb.reconcile_events, *self.kafka.reconcile_events]:
            framework.observe(event, self._reconcile)

    def _reconcile(self, event: ops.EventBase) -> None:
        self.reconciled.append(event.handle.kind)


class PolClientCharm(ops.CharmBase):
    """Requires its own database, with its own roles, on an endpoint of its own name."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.mongodb = MongoDBRequirer(self, "db", database="pol", extra_user_roles="readWrite")


class LibraryProviderCharm(ops.CharmBase):
    """Creates what is requested and answers with the library's provider handler."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.database = interfaces.ResourceProviderEventHandler(
            self, "database", interfaces.RequirerCommonModel
        )
        framework.observe(self.database.on.resource_requested, self._on_resource_requested)

    def _on_resource_requested(self, event: interfaces.ResourceRequestedEvent) -> None:
        request = event.request
        username = f"relation-{event.relation.id}"
        response = interfaces.ResourceProviderModel(
            salt=request.salt,
            request_id=request.request_id,
            resource=request.resource,
            username=username,
            password=PROVIDER_PASSWORD,
            endpoints=PROVIDER_HOSTS,
            uris=f"mongodb://{username}:{PROVIDER_PASSWORD}@{PROVIDER_HOSTS}/{request.resource}",
        )
        self.database.set_response(event.relation.id, response)
