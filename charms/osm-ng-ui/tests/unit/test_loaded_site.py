# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""What nginx has loaded: reloads retried until one succeeds, branding switched atomically."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path, PurePosixPath

import ops
import pytest
from helpers import PNG_LOGO, SVG_LOGO, b64, branding_versions, page_assets, site
from literals import CONTAINER, LOADED_RECORD, SERVICE, SITE_NOT_LOADED, SITE_REJECTED
from ops import testing
from workload_standins import (
    RELOAD_ACCEPTED,
    RELOAD_COMMAND,
    RELOAD_REJECTED,
    answering_reload,
)

MOVED_NBI = {"host": "nbi-2", "port": "9998"}


def record_file(state: testing.State) -> Path:
    """The charm's record of what nginx has loaded, on the test's disk."""
    mount = state.get_container(CONTAINER).mounts["record"]
    return Path(mount.source) / PurePosixPath(LOADED_RECORD).name


def ready(ctx, container, nbi, **state_args) -> testing.State:
    """The state after pebble-ready with a working nbi relation."""
    state = testing.State(containers={container}, relations={nbi}, **state_args)
    return ctx.run(ctx.on.pebble_ready(container), state)


def reloads(ctx) -> int:
    """How many times the charm asked nginx to reload."""
    history = ctx.exec_history.get(CONTAINER, [])
    return sum(tuple(args.command) == RELOAD_COMMAND for args in history)


def move_nbi(
    state: testing.State, nbi: testing.Relation
) -> tuple[testing.State, testing.Relation]:
    """`state` with the NBI published at a new address."""
    moved = dataclasses.replace(nbi, remote_app_data=MOVED_NBI)
    return dataclasses.replace(state, relations={moved}), moved


def assert_blocked_naming_the_failure(status: ops.StatusBase) -> None:
    assert isinstance(status, testing.BlockedStatus), status
    assert 'host not found in upstream "nbi-2"' in status.message


# --- a rejected reload is retried -----------------------------------------------------------


def test_rejected_reload_blocks_saying_what_failed(ctx, container, nbi):
    state = answering_reload(ready(ctx, container, nbi), RELOAD_REJECTED)
    state, moved = move_nbi(state, nbi)

    state_out = ctx.run(ctx.on.relation_changed(moved), state)

    assert_blocked_naming_the_failure(state_out.unit_status)


def test_next_hook_retries_the_reload_and_stays_blocked_while_nginx_rejects_it(
    ctx, container, nbi
):
    state = answering_reload(ready(ctx, container, nbi), RELOAD_REJECTED)
    state, moved = move_nbi(state, nbi)
    state = ctx.run(ctx.on.relation_changed(moved), state)
    before = reloads(ctx)

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert reloads(ctx) == before + 1
    assert_blocked_naming_the_failure(state_out.unit_status)


@pytest.mark.parametrize("event", ["config_changed", "update_status"])
def test_reload_is_retried_until_nginx_accepts_it_then_active(ctx, container, nbi, event):
    state = answering_reload(ready(ctx, container, nbi), RELOAD_REJECTED)
    state, moved = move_nbi(state, nbi)
    state = ctx.run(ctx.on.relation_changed(moved), state)
    state = answering_reload(state, RELOAD_ACCEPTED)
    before = reloads(ctx)

    state_out = ctx.run(getattr(ctx.on, event)(), state)

    assert reloads(ctx) == before + 1
    assert "proxy_pass http://nbi-2:9998;" in site(state_out)
    assert state_out.unit_status == testing.ActiveStatus()


def test_once_loaded_the_next_hooks_do_not_reload(ctx, container, nbi):
    state = answering_reload(ready(ctx, container, nbi), RELOAD_REJECTED)
    state, moved = move_nbi(state, nbi)
    state = ctx.run(ctx.on.relation_changed(moved), state)
    state = ctx.run(ctx.on.config_changed(), answering_reload(state, RELOAD_ACCEPTED))
    before = reloads(ctx)

    state_out = ctx.run(ctx.on.update_status(), ctx.run(ctx.on.config_changed(), state))

    assert reloads(ctx) == before
    assert state_out.unit_status == testing.ActiveStatus()


def test_pebble_restarting_nginx_loads_the_site_and_needs_no_reload(ctx, container, nbi):
    state = answering_reload(ready(ctx, container, nbi), RELOAD_REJECTED)
    state, moved = move_nbi(state, nbi)
    state = ctx.run(ctx.on.relation_changed(moved), state)
    stopped = dataclasses.replace(
        state.get_container(CONTAINER),
        service_statuses={SERVICE: ops.pebble.ServiceStatus.INACTIVE},
    )
    before = reloads(ctx)

    state_out = ctx.run(ctx.on.config_changed(), dataclasses.replace(state, containers={stopped}))

    assert reloads(ctx) == before
    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.ACTIVE
    )
    assert state_out.unit_status == testing.ActiveStatus()


def test_a_hook_that_does_not_reconcile_reports_the_recorded_refusal(ctx, container, nbi):
    state = answering_reload(ready(ctx, container, nbi), RELOAD_REJECTED)
    state, moved = move_nbi(state, nbi)
    state = ctx.run(ctx.on.relation_changed(moved), state)
    before = reloads(ctx)

    state_out = ctx.run(ctx.on.leader_elected(), state)

    assert reloads(ctx) == before
    assert_blocked_naming_the_failure(state_out.unit_status)


def test_without_a_record_a_running_nginx_is_reloaded_once(ctx, container, nbi):
    state = ready(ctx, container, nbi)
    record_file(state).unlink()  # as after an upgrade from a charm that kept no record
    waiting = ctx.run(ctx.on.leader_elected(), state)
    before = reloads(ctx)

    state_out = ctx.run(ctx.on.update_status(), waiting)

    assert waiting.unit_status == testing.MaintenanceStatus(SITE_NOT_LOADED)
    assert reloads(ctx) == before + 1
    assert state_out.unit_status == testing.ActiveStatus()


@pytest.mark.parametrize("content", ["not json", "[]", '{"loaded": 7}'])
def test_a_malformed_record_counts_as_none(ctx, container, nbi, content):
    state = ready(ctx, container, nbi)
    record_file(state).write_text(content)
    before = reloads(ctx)

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert reloads(ctx) == before + 1
    assert json.loads(record_file(state_out).read_text())["loaded"] is not None
    assert state_out.unit_status == testing.ActiveStatus()


def test_a_reload_that_fails_without_a_word_reports_its_exit_status(ctx, container, nbi):
    silent = testing.Exec(RELOAD_COMMAND, return_code=2)
    state = answering_reload(ready(ctx, container, nbi), silent)
    state, moved = move_nbi(state, nbi)

    state_out = ctx.run(ctx.on.relation_changed(moved), state)

    assert state_out.unit_status == testing.BlockedStatus(
        SITE_REJECTED.format(error="exit status 2")
    )


def test_the_nbi_going_away_stops_nginx_and_the_next_start_loads_the_site(ctx, container, nbi):
    state = ready(ctx, container, nbi)
    state = ctx.run(ctx.on.relation_broken(nbi), state)
    state = dataclasses.replace(answering_reload(state, RELOAD_REJECTED), relations={nbi})
    before = reloads(ctx)

    state_out = ctx.run(ctx.on.relation_changed(nbi), state)

    assert reloads(ctx) == before  # started, not reloaded
    assert state_out.unit_status == testing.ActiveStatus()


# --- the branding switches atomically -------------------------------------------------------


def test_svg_to_png_keeps_what_the_loaded_site_serves_until_nginx_loads_the_new_site(
    ctx, container, nbi
):
    state = ready(ctx, container, nbi, config={"branding-logo": b64(SVG_LOGO)})
    loaded_site = site(state)
    loaded = page_assets(state)
    assert SVG_LOGO in loaded.values()
    state = answering_reload(state, RELOAD_REJECTED)
    state = dataclasses.replace(state, config={"branding-logo": b64(PNG_LOGO)})

    state_out = ctx.run(ctx.on.config_changed(), state)

    # nginx still runs the old site: every URL an open page uses still serves what it did.
    assert page_assets(state_out, loaded_site) == loaded
    assert site(state_out) != loaded_site


def test_after_the_reload_the_new_branding_is_served_and_the_old_one_pruned_next(
    ctx, container, nbi
):
    state = ready(ctx, container, nbi, config={"branding-logo": b64(SVG_LOGO)})
    old_site = site(state)
    old_assets = page_assets(state)
    state = dataclasses.replace(state, config={"branding-logo": b64(PNG_LOGO)})

    reloaded = ctx.run(ctx.on.config_changed(), state)
    # nginx's old workers may still hand out the old index.html: its assets stay a while.
    assert page_assets(reloaded, old_site) == old_assets
    state_out = ctx.run(ctx.on.update_status(), reloaded)

    served = page_assets(state_out)
    assert PNG_LOGO in served.values()
    assert None not in served.values()
    assert set(page_assets(state_out, old_site).values()) == {None}
    assert len(branding_versions(state_out)) == 1


def test_branding_files_of_a_rejected_site_are_kept_for_the_retry(ctx, container, nbi):
    state = ready(ctx, container, nbi, config={"branding-logo": b64(SVG_LOGO)})
    state = answering_reload(state, RELOAD_REJECTED)
    state = dataclasses.replace(state, config={"branding-logo": b64(PNG_LOGO)})
    state = ctx.run(ctx.on.config_changed(), state)

    state_out = ctx.run(ctx.on.update_status(), answering_reload(state, RELOAD_ACCEPTED))

    served = page_assets(state_out)
    assert PNG_LOGO in served.values()
    assert None not in served.values()
    assert state_out.unit_status == testing.ActiveStatus()
