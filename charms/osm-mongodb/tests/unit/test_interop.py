"""A client written with dpcharmlibs-interfaces, as Canonical's clients are, gets its URI."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import ops
from builders import APP, HOST, state
from charms.osm_libs.v0.data import interfaces
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
