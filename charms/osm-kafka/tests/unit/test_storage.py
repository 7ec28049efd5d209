# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kafka's data on the Juju storage: where it lives, and formatting a node only once.

A node that the peer data says was formatted before is never formatted again silently.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

import ops
import pytest
import yaml
from charm import KafkaCharm
from conftest import (
    CLUSTER_ID,
    DATA_DIR,
    FORMATTED_KEY,
    KAFKA_STORAGE,
    LEGACY_DATA_DIR,
    OTHER_CLUSTER_ID,
    node_state,
    write_meta,
)
from helpers import properties, service_command
from literals import (
    CLUSTER_ID_KEY,
    CONTAINER,
    IMAGE_CHECKED,
    IMAGE_VOLUMES,
    PEER_RELATION,
    SERVICE,
)
from ops import testing

Context = testing.Context[KafkaCharm]
CHARM_ROOT = Path(__file__).resolve().parents[2]
LOST = "node 0 lost its data: it was formatted before"


def within(path: str, directory: str) -> bool:
    """Whether `path` is `directory` or under it."""
    return PurePosixPath(directory) in (PurePosixPath(path), *PurePosixPath(path).parents)


def unit_data(state: testing.State) -> dict[str, str]:
    return dict(state.get_relations(PEER_RELATION)[0].local_unit_data)


def formatted(ctx: Context) -> list[list[str]]:
    """The `kafka-storage.sh format` commands the charm ran."""
    history = ctx.exec_history.get(CONTAINER, [])
    return [list(run.command) for run in history if run.command[0] == KAFKA_STORAGE]


def charmcraft() -> dict:
    return yaml.safe_load((CHARM_ROOT / "charmcraft.yaml").read_text())


def test_the_image_volumes_were_read_for_the_image_the_charm_uses():
    image = charmcraft()["resources"]["kafka-image"]["upstream-source"]

    assert image == IMAGE_CHECKED, (
        f"read the VOLUME list of {image}'s Dockerfile into literals.IMAGE_VOLUMES, "
        "then set IMAGE_CHECKED"
    )


def test_every_data_directory_is_on_the_storage_and_in_no_image_volume(
    ctx: Context, state: testing.State
):
    metadata = charmcraft()
    mounts = {mount["location"] for mount in metadata["containers"]["kafka"]["mounts"]}
    assert mounts == {metadata["storage"]["data"]["location"]}

    rendered = properties(ctx, ctx.run(ctx.on.config_changed(), state))

    directories = [*rendered["log.dirs"].split(","), rendered["metadata.log.dir"]]
    for directory in directories:
        assert any(within(directory, mount) for mount in mounts), directory
        volumes = [volume for volume in IMAGE_VOLUMES if within(directory, volume)]
        # in no image volume, or in one that is exactly the storage's mount point
        assert set(volumes) <= mounts, f"{directory} is in the image's volume {volumes}"


def test_a_new_node_is_formatted_once_and_recorded(ctx: Context, new_state: testing.State):
    state_out = ctx.run(ctx.on.config_changed(), new_state)

    assert formatted(ctx) == [
        [
            KAFKA_STORAGE,
            "format",
            "--ignore-formatted",
            "--cluster-id",
            CLUSTER_ID,
            "--config",
            "/etc/kafka/osm/server.properties",
        ]
    ]
    assert ctx.exec_history[CONTAINER][0].user == "appuser"
    assert unit_data(state_out)[FORMATTED_KEY] == CLUSTER_ID
    assert "kafka-storage.sh" not in service_command(state_out)
    assert state_out.unit_status == testing.ActiveStatus()


@pytest.mark.parametrize("event", ["config-changed", "pebble-ready", "upgrade-charm"])
def test_a_formatted_node_runs_on_its_data_without_formatting(
    ctx: Context, state: testing.State, event: str
):
    trigger = {
        "config-changed": ctx.on.config_changed(),
        "pebble-ready": ctx.on.pebble_ready(state.get_container(CONTAINER)),
        "upgrade-charm": ctx.on.upgrade_charm(),
    }[event]

    state_out = ctx.run(trigger, state)

    assert formatted(ctx) == []
    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.ACTIVE
    )
    assert state_out.unit_status == testing.ActiveStatus()


def test_a_node_that_lost_its_data_is_never_formatted_again(
    ctx: Context, lost_state: testing.State
):
    state_out = ctx.run(ctx.on.config_changed(), lost_state)

    assert formatted(ctx) == []
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services
    assert isinstance(state_out.unit_status, testing.BlockedStatus)
    assert state_out.unit_status.message.startswith(LOST)
    assert "restore its volume, or run the format-storage action" in (
        state_out.unit_status.message
    )
    assert unit_data(state_out)[FORMATTED_KEY] == CLUSTER_ID


def test_losing_the_data_under_a_running_kafka_stops_it(
    ctx: Context, state: testing.State, storage: Path
):
    running = ctx.run(ctx.on.config_changed(), state)
    (storage / DATA_DIR / "meta.properties").unlink()  # a new, empty volume

    state_out = ctx.run(ctx.on.config_changed(), running)

    assert formatted(ctx) == []
    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.INACTIVE
    )
    assert state_out.unit_status.message.startswith(LOST)


def test_a_reattached_volume_of_this_node_is_recorded_not_formatted(
    ctx: Context, new_state: testing.State, storage: Path
):
    write_meta(storage, node_id=0)

    state_out = ctx.run(ctx.on.config_changed(), new_state)

    assert formatted(ctx) == []
    assert unit_data(state_out)[FORMATTED_KEY] == CLUSTER_ID
    assert state_out.unit_status == testing.ActiveStatus()


@pytest.mark.parametrize(
    ("node_id", "cluster_id", "found"),
    [
        (1, CLUSTER_ID, f"node 1 of cluster {CLUSTER_ID}"),
        (0, OTHER_CLUSTER_ID, f"node 0 of cluster {OTHER_CLUSTER_ID}"),
    ],
    ids=["another-node", "another-cluster"],
)
def test_another_nodes_volume_blocks_without_touching_it(
    ctx: Context, state: testing.State, storage: Path, node_id: int, cluster_id: str, found: str
):
    write_meta(storage, node_id=node_id, cluster_id=cluster_id)

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert formatted(ctx) == []
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services
    assert state_out.unit_status == testing.BlockedStatus(
        f"the data storage holds {found}, not node 0 of cluster {CLUSTER_ID}: "
        "attach this unit's own volume"
    )
    assert f"cluster.id={cluster_id}" in (storage / DATA_DIR / "meta.properties").read_text()


def test_a_new_unit_joining_a_running_cluster_is_formatted_with_its_id(storage: Path):
    ctx = testing.Context(KafkaCharm, app_name="kafka", unit_id=2)
    peers = testing.PeerRelation(
        PEER_RELATION,
        local_app_data={CLUSTER_ID_KEY: CLUSTER_ID},
        peers_data={0: {FORMATTED_KEY: CLUSTER_ID}, 1: {FORMATTED_KEY: CLUSTER_ID}},
    )
    container = testing.Container(
        CONTAINER,
        can_connect=True,
        mounts={"data": testing.Mount(location="/var/lib/kafka", source=storage)},
        execs={testing.Exec([KAFKA_STORAGE, "format"], return_code=0)},
    )

    state_in = node_state(container, peers, planned_units=3)

    state_out = ctx.run(ctx.on.relation_joined(peers, remote_unit=1), state_in)

    assert [command[4] for command in formatted(ctx)] == [CLUSTER_ID]
    assert unit_data(state_out)[FORMATTED_KEY] == CLUSTER_ID
    assert properties(ctx, state_out)["node.id"] == "2"


def test_an_earlier_revisions_data_is_moved_over_not_formatted(
    ctx: Context, new_state: testing.State, storage: Path
):
    # The container of an earlier revision still runs: its data is in the image volume.
    write_meta(storage, node_id=0, where=LEGACY_DATA_DIR)

    state_out = ctx.run(ctx.on.config_changed(), new_state)

    assert formatted(ctx) == []
    assert "cp -a /var/lib/kafka/data/meta.properties" in service_command(state_out)
    assert FORMATTED_KEY not in unit_data(state_out)  # recorded once Kafka has it in place


def test_waits_for_the_storage(ctx: Context, new_state: testing.State):
    state_out = ctx.run(ctx.on.config_changed(), dataclasses.replace(new_state, storages=set()))

    assert formatted(ctx) == []
    assert state_out.unit_status == testing.WaitingStatus(
        "waiting for the data storage to be attached"
    )


def test_a_failed_format_records_nothing_and_plans_nothing(ctx: Context, new_state: testing.State):
    container = dataclasses.replace(
        new_state.get_container(CONTAINER),
        execs={testing.Exec([KAFKA_STORAGE, "format"], return_code=1, stderr="disk full")},
    )

    state_out = ctx.run(
        ctx.on.config_changed(), dataclasses.replace(new_state, containers={container})
    )

    assert FORMATTED_KEY not in unit_data(state_out)
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services
    assert state_out.unit_status == testing.BlockedStatus("kafka service is not running")


def test_an_unreadable_storage_waits(
    ctx: Context, state: testing.State, monkeypatch: pytest.MonkeyPatch
):
    def refuse(*_: object, **__: object) -> None:
        raise ops.pebble.APIError({}, 500, "Internal Server Error", "cannot pull")

    monkeypatch.setattr(ops.Container, "pull", refuse)

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert formatted(ctx) == []
    assert state_out.unit_status == testing.WaitingStatus(
        "waiting to read the node's meta.properties from pebble"
    )


def test_format_storage_action_rejoins_a_node_that_lost_its_data(
    ctx: Context, lost_state: testing.State
):
    state_out = ctx.run(ctx.on.action("format-storage"), lost_state)

    assert [command[4] for command in formatted(ctx)] == [CLUSTER_ID]
    assert unit_data(state_out)[FORMATTED_KEY] == CLUSTER_ID
    assert ctx.action_results == {"node": "0"}
    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.ACTIVE
    )
    assert state_out.unit_status == testing.ActiveStatus()


@pytest.mark.parametrize("fixture", ["state", "new_state"])
def test_format_storage_action_refuses_a_node_that_did_not_lose_its_data(
    ctx: Context, request: pytest.FixtureRequest, fixture: str
):
    state: testing.State = request.getfixturevalue(fixture)

    with pytest.raises(testing.ActionFailed) as failure:
        ctx.run(ctx.on.action("format-storage"), state)

    assert failure.value.message == (
        "nothing to format: format-storage is for a node that lost its data"
    )
    assert formatted(ctx) == []


def test_format_storage_action_that_fails_keeps_the_node_blocked(
    ctx: Context, lost_state: testing.State
):
    container = dataclasses.replace(
        lost_state.get_container(CONTAINER),
        execs={testing.Exec([KAFKA_STORAGE, "format"], return_code=1)},
    )
    state = dataclasses.replace(lost_state, containers={container})

    with pytest.raises(testing.ActionFailed) as failure:
        ctx.run(ctx.on.action("format-storage"), state)

    assert failure.value.message == "could not format the storage: see juju debug-log"


def test_a_formatted_unit_keeps_its_record_across_dispatches(ctx: Context, state: testing.State):
    first = ctx.run(ctx.on.config_changed(), state)
    second = ctx.run(ctx.on.update_status(), first)

    assert unit_data(second) == unit_data(state) == {FORMATTED_KEY: CLUSTER_ID}
    assert formatted(ctx) == []
    assert second.unit_status == testing.ActiveStatus()
