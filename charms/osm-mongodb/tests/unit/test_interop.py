"""A client written with dpcharmlibs-interfaces, as Canonical's clients are, gets its URI."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import ops
from builders import APP, HOST, state
from charms.osm_libs.v0.data import MongoDBRequirer, interfaces
from ops import testing

CLIENT_META = {"name": "client", "requires": {"mongodb": {"interface": "mongodb_client"}}}


class ClientCharm(ops.CharmBase):
    """Asks for database `osm` with the `admin` role; keeps the URI it is given."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        request = interfaces.RequirerCommonModel(resource="osm", extra_user_roles="admin")
        self.database = interfaces.ResourceRequirerEventHandler(
            self, "mongodb", [request], interfaces.ResourceProviderModel
        )
        self.uris: list[str | None] = []
        framework.observe(self.database.on.resource_created, self._on_created)

    def _on_created(self, event: interfaces.ResourceCreatedEvent) -> None:
        self.uris.append(event.response.uris)


def test_a_library_client_receives_a_working_uri(ctx):
    client_ctx = testing.Context(ClientCharm, meta=CLIENT_META)
    client_side = testing.Relation("mongodb", "mongodb_client", remote_app_name=APP)
    asked = client_ctx.run(
        client_ctx.on.relation_created(client_side),
        testing.State(relations={client_side}, leader=True),
    )
    request = dict(asked.get_relation(client_side.id).local_app_data)
    server_side = testing.Relation(
        "database", "mongodb_client", remote_app_name="client", remote_app_data=request
    )

    answered = ctx.run(
        ctx.on.relation_changed(server_side, remote_unit=0), state(relations=[server_side])
    )

    answer = dict(answered.get_relation(server_side.id).local_app_data)
    [user_secret] = [s for s in answered.secrets if s.label != "mongodb-credentials"]
    granted = testing.Secret(tracked_content=user_secret.latest_content, id=user_secret.id)
    client_side = dataclasses.replace(client_side, local_app_data=request, remote_app_data=answer)
    with client_ctx(
        client_ctx.on.relation_changed(client_side, remote_unit=0),
        testing.State(relations={client_side}, secrets={granted}, leader=True),
    ) as manager:
        manager.run()
        [uri] = manager.charm.uris
    assert uri is not None
    assert uri.startswith(f"mongodb://relation-{server_side.id}-")
    assert uri.endswith(f"@{HOST[0]}/osm?replicaSet={APP}&authSource=admin")


class OsmClientCharm(ops.CharmBase):
    """An OSM component as `charms.osm_libs.v0.data` serves it: one reconcile, `uri()`."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.mongodb = MongoDBRequirer(self)
        self.uris: list[str | None] = []
        for event in self.mongodb.reconcile_events:
            framework.observe(event, self._reconcile)

    def _reconcile(self, _: ops.EventBase) -> None:
        self.uris.append(self.mongodb.uri())


def test_a_rotation_reaches_the_osm_requirer(ctx):
    """Client asks, the charm answers, then rotates: the client follows.

    The client's next URI has the new password, read at the secret's new revision, with
    or without its consumer label.
    """
    client_ctx = testing.Context(OsmClientCharm, meta=CLIENT_META)
    client_side = testing.Relation("mongodb", "mongodb_client", remote_app_name=APP)
    asked = client_ctx.run(
        client_ctx.on.relation_created(client_side),
        testing.State(relations={client_side}, leader=True),
    )
    request = dict(asked.get_relation(client_side.id).local_app_data)
    server_side = testing.Relation(
        "database", "mongodb_client", remote_app_name="client", remote_app_data=request
    )
    answered = ctx.run(
        ctx.on.relation_changed(server_side, remote_unit=0), state(relations=[server_side])
    )
    [owned] = [s for s in answered.secrets if s.label != "mongodb-credentials"]
    client_side = dataclasses.replace(
        client_side,
        local_app_data=request,
        remote_app_data=dict(answered.get_relation(server_side.id).local_app_data),
    )
    granted = testing.Secret(tracked_content=owned.latest_content, id=owned.id)
    seen = client_ctx.run(
        client_ctx.on.relation_changed(client_side, remote_unit=0),
        testing.State(relations={client_side}, secrets={granted}, leader=True),
    )
    [before] = seen.secrets
    assert before.label  # the library's consumer label, given on first reading

    rotated = ctx.run(ctx.on.secret_rotate(answered.get_secret(id=owned.id)), answered)

    latest = rotated.get_secret(id=owned.id).latest_content
    assert latest is not None and latest["password"] != (owned.latest_content or {})["password"]
    for label in (before.label, None):
        new_revision = dataclasses.replace(before, latest_content=latest, label=label)
        with client_ctx(
            client_ctx.on.secret_changed(new_revision),
            dataclasses.replace(seen, secrets={new_revision}),
        ) as manager:
            out = manager.run()
            assert set(manager.charm.uris) == {latest["uris"]}
        [tracked] = out.secrets
        assert tracked.tracked_content == latest


def test_importing_the_charm_emits_no_warnings():
    charm_dir = Path(__file__).parents[2]
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import charm"],
        env={**os.environ, "PYTHONPATH": f"{charm_dir / 'src'}:{charm_dir / 'lib'}"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
