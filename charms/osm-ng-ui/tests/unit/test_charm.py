# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The osm-ng-ui charm end to end: events in, plan, files, reloads and status out."""

from __future__ import annotations

import dataclasses
import json

import ops
import pytest
from charms.osm_libs.v0.endpoint import EndpointRequirer
from helpers import (
    PNG_LOGO,
    SVG_LOGO,
    b64,
    branding_files,
    served_file,
    site,
    site_branding_version,
)
from literals import ALIVE_CHECK, CONTAINER, INVALID_NBI, READY_CHECK, SERVICE
from ops import testing
from osm_charm_testing import run_check_change
from workload_standins import RELOAD_COMMAND


def ready(ctx, container, nbi, **state_args) -> testing.State:
    """The state after pebble-ready with a working nbi relation."""
    state = testing.State(containers={container}, relations={nbi}, **state_args)
    return ctx.run(ctx.on.pebble_ready(container), state)


def reloads(ctx) -> int:
    """How many times the charm asked nginx to reload."""
    history = ctx.exec_history.get(CONTAINER, [])
    return sum(tuple(args.command) == RELOAD_COMMAND for args in history)


# --- relations and Pebble -------------------------------------------------------------------


@pytest.mark.parametrize("leader", [True, False])
def test_pebble_ready_with_nbi_plans_nginx_and_goes_active(ctx, container, nbi, leader):
    state_out = ready(ctx, container, nbi, leader=leader)

    plan = state_out.get_container(CONTAINER).plan
    service = plan.services[SERVICE]
    assert service.command == 'nginx -g "daemon off;"'
    assert service.startup == "enabled"
    assert service.on_check_failure == {ALIVE_CHECK: "restart"}
    assert plan.checks[READY_CHECK].level is ops.pebble.CheckLevel.READY
    assert plan.checks[READY_CHECK].http == {"url": "http://localhost:80/"}
    assert plan.checks[ALIVE_CHECK].level is ops.pebble.CheckLevel.ALIVE
    assert plan.checks[ALIVE_CHECK].tcp == {"port": 80}
    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.ACTIVE
    )
    assert state_out.opened_ports == {testing.TCPPort(80)}
    assert state_out.unit_status == testing.ActiveStatus()


def test_site_proxies_osm_to_the_related_nbi(ctx, container, nbi):
    state_out = ready(ctx, container, nbi)

    config = site(state_out)
    assert "listen 80 default_server;" in config
    assert "location /osm {\n        proxy_pass http://nbi:9999;" in config
    assert "client_max_body_size 50M;" in config
    assert "error_log /dev/stderr notice;" in config
    assert "try_files $uri $uri/ /index.html;" in config


def test_without_nbi_relation_blocks_and_plans_nothing(ctx, container):
    state_out = ctx.run(ctx.on.pebble_ready(container), testing.State(containers={container}))

    assert state_out.unit_status == testing.BlockedStatus("need nbi relation")
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


def test_nbi_relation_without_data_waits(ctx, container, nbi):
    empty = dataclasses.replace(nbi, remote_app_data={})

    state_out = ready(ctx, container, empty)

    assert state_out.unit_status == testing.WaitingStatus("waiting for nbi data")
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


@pytest.mark.parametrize("host", ["nbi;\n    root /etc", "nbi 9999", "-nbi"])
def test_nbi_host_that_could_inject_nginx_directives_is_refused(ctx, container, nbi, host):
    bad = dataclasses.replace(nbi, remote_app_data={"host": host, "port": "9999"})

    state_out = ready(ctx, container, bad)

    assert state_out.unit_status == testing.BlockedStatus(INVALID_NBI)
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


def test_nbi_moving_rewrites_the_proxy_and_reloads(ctx, container, nbi):
    state = ready(ctx, container, nbi)
    moved = dataclasses.replace(nbi, remote_app_data={"host": "nbi-2", "port": "9998"})
    state = dataclasses.replace(state, relations={moved})
    before = reloads(ctx)

    state_out = ctx.run(ctx.on.relation_changed(moved), state)

    assert "proxy_pass http://nbi-2:9998;" in site(state_out)
    assert reloads(ctx) == before + 1
    assert state_out.unit_status == testing.ActiveStatus()


def test_nbi_relation_broken_stops_nginx_and_blocks(ctx, container, nbi):
    state = ready(ctx, container, nbi)

    state_out = ctx.run(ctx.on.relation_broken(nbi), state)

    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.INACTIVE
    )
    assert state_out.unit_status == testing.BlockedStatus("need nbi relation")


def test_nbi_relation_broken_stops_nginx_even_with_invalid_config(ctx, container, nbi):
    state = ready(ctx, container, nbi)
    state = dataclasses.replace(state, config={"max-body-size": -1})

    state_out = ctx.run(ctx.on.relation_broken(nbi), state)

    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.INACTIVE
    )
    assert state_out.unit_status.message.startswith("invalid max-body-size -1")


def test_nbi_coming_back_restarts_nginx(ctx, container, nbi):
    state = ready(ctx, container, nbi)
    state = ctx.run(ctx.on.relation_broken(nbi), state)
    state = dataclasses.replace(state, relations={nbi})

    state_out = ctx.run(ctx.on.relation_changed(nbi), state)

    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.ACTIVE
    )
    assert state_out.unit_status == testing.ActiveStatus()


def test_pebble_unreachable_waits(ctx, nbi):
    container = testing.Container(CONTAINER, can_connect=False)

    state_out = ctx.run(
        ctx.on.config_changed(), testing.State(containers={container}, relations={nbi})
    )

    assert state_out.unit_status == testing.WaitingStatus("waiting for pebble to start")
    assert state_out.opened_ports == {testing.TCPPort(80)}


def test_planned_service_not_running_blocks(ctx, container, nbi):
    state = ready(ctx, container, nbi)
    stopped = dataclasses.replace(
        state.get_container(CONTAINER),
        service_statuses={SERVICE: ops.pebble.ServiceStatus.INACTIVE},
    )

    # leader-elected does not reconcile: the status says what Pebble says.
    state_out = ctx.run(ctx.on.leader_elected(), dataclasses.replace(state, containers={stopped}))

    assert state_out.unit_status == testing.BlockedStatus("ng-ui service is not running")


def test_failing_readiness_check_waits_and_recovery_goes_active(ctx, container, nbi):
    state = ready(ctx, container, nbi)

    failed = run_check_change(ctx, state, CONTAINER, READY_CHECK, ops.pebble.CheckStatus.DOWN)
    recovered = run_check_change(ctx, failed, CONTAINER, READY_CHECK, ops.pebble.CheckStatus.UP)

    assert failed.unit_status == testing.WaitingStatus(
        "ng-ui service is not ready: readiness check failing"
    )
    assert recovered.unit_status == testing.ActiveStatus()


def test_upgrade_charm_reapplies_the_configuration(ctx, container, nbi):
    state = testing.State(containers={container}, relations={nbi})

    state_out = ctx.run(ctx.on.upgrade_charm(), state)

    assert SERVICE in state_out.get_container(CONTAINER).plan.services
    assert "proxy_pass http://nbi:9999;" in site(state_out)


# --- configuration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "nginx_level"),
    [
        ("trace", "debug"),
        ("DEBUG", "info"),
        ("info", "notice"),
        ("warn", "warn"),
        ("ERROR", "error"),
        ("FATAL", "crit"),
    ],
)
def test_log_level_sets_nginx_error_log_level(ctx, container, nbi, level, nginx_level):
    state_out = ready(ctx, container, nbi, config={"log-level": level})

    assert f"error_log /dev/stderr {nginx_level};" in site(state_out)


@pytest.mark.parametrize(("size", "directive"), [(0, "0M"), (512, "512M")])
def test_max_body_size_sets_nginx_limit(ctx, container, nbi, size, directive):
    state_out = ready(ctx, container, nbi, config={"max-body-size": size})

    assert f"client_max_body_size {directive};" in site(state_out)


@pytest.mark.parametrize(
    ("option", "value", "message_start"),
    [
        ("log-level", "verbose", "invalid log-level 'verbose'"),
        ("max-body-size", -1, "invalid max-body-size -1"),
        ("branding-product-name", "  ", "invalid branding-product-name"),
        ("branding-product-name", "x" * 65, "invalid branding-product-name"),
        ("branding-product-name", "ACME\nOrchestrator", "invalid branding-product-name"),
        (
            "branding-primary-color",
            "red; } body { display: none",
            "invalid branding-primary-color",
        ),
        ("branding-primary-color", "#12345", "invalid branding-primary-color"),
        ("branding-logo", "not base64!", "invalid branding-logo: not base64"),
        ("branding-logo", b64(b"GIF89a...."), "invalid branding-logo: neither a PNG nor"),
        (
            "branding-logo",
            b64(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
            "invalid branding-logo: SVG contains a <script> element",
        ),
    ],
)
def test_invalid_option_blocks_naming_it(ctx, container, nbi, option, value, message_start):
    state = testing.State(containers={container}, relations={nbi}, config={option: value})

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert isinstance(state_out.unit_status, testing.BlockedStatus)
    assert state_out.unit_status.message.startswith(message_start)
    assert SERVICE not in state_out.get_container(CONTAINER).plan.services


def test_invalid_branding_keeps_the_running_ui_as_it_was(ctx, container, nbi):
    state = ready(ctx, container, nbi)
    before = site(state)
    bad = dataclasses.replace(state, config={"branding-primary-color": "not-a-colour"})

    state_out = ctx.run(ctx.on.config_changed(), bad)

    assert site(state_out) == before
    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.ACTIVE
    )
    assert state_out.unit_status.message.startswith("invalid branding-primary-color")


def test_invalid_logo_status_does_not_echo_the_value(ctx, container, nbi):
    secret_looking = b64(b"<svg onload='steal()'>" + b"A" * 64 + b"</svg>")

    state_out = ready(ctx, container, nbi, config={"branding-logo": secret_looking})

    assert secret_looking not in state_out.unit_status.message
    assert state_out.unit_status.message == (
        "invalid branding-logo: SVG contains an event handler (onload)"
    )


# --- branding -------------------------------------------------------------------------------


def test_default_branding_titles_the_page_and_keeps_osm_logo_and_colours(ctx, container, nbi):
    state_out = ready(ctx, container, nbi)

    files = branding_files(state_out)
    assert set(files) == {"branding.css", "branding.js"}
    assert b"--branding-primary" not in files["branding.css"]
    script = files["branding.js"].decode()
    assert '"productName": "Open Source MANO"' in script
    assert '"logo": null' in script


def test_branding_is_rendered_into_the_files_the_browser_gets(ctx, container, nbi):
    config = {
        "branding-product-name": "ACME Orchestrator",
        "branding-logo": b64(SVG_LOGO),
        "branding-primary-color": "#C8102E",
    }

    state_out = ready(ctx, container, nbi, config=config)

    version = site_branding_version(state_out)
    files = branding_files(state_out)
    assert files["logo.svg"] == SVG_LOGO
    assert ":root { --branding-primary: #c8102e; }" in files["branding.css"].decode()
    script = files["branding.js"].decode()
    settings = json.loads(script.split("var branding = ", 1)[1].split(";\n", 1)[0])
    assert settings["productName"] == "ACME Orchestrator"
    assert settings["logo"] == f"/_branding/{version}/logo.svg"
    assert served_file(state_out, settings["logo"]) == SVG_LOGO
    config_text = site(state_out)
    assert "location /_branding/ {\n        alias /srv/branding/;" in config_text
    head = (
        f'<link rel="stylesheet" href="/_branding/{version}/branding.css">'
        f'<script src="/_branding/{version}/branding.js"></script>'
    )
    assert f"sub_filter '</head>' '{head}</head>';" in config_text


def test_png_logo_replaces_an_svg_logo(ctx, container, nbi):
    state = ready(ctx, container, nbi, config={"branding-logo": b64(SVG_LOGO)})
    state = dataclasses.replace(state, config={"branding-logo": b64(PNG_LOGO)})

    state_out = ctx.run(ctx.on.config_changed(), state)

    files = branding_files(state_out)
    assert files["logo.png"] == PNG_LOGO
    assert "logo.svg" not in files
    assert "/logo.png" in files["branding.js"].decode()


def test_unsetting_the_logo_removes_it(ctx, container, nbi):
    state = ready(ctx, container, nbi, config={"branding-logo": b64(PNG_LOGO)})
    state = dataclasses.replace(state, config={})

    state_out = ctx.run(ctx.on.config_changed(), state)

    assert set(branding_files(state_out)) == {"branding.css", "branding.js"}


def test_branding_change_is_live_by_reload_without_restart(ctx, container, nbi):
    state = ready(ctx, container, nbi)
    plan_before = state.get_container(CONTAINER).plan
    before = reloads(ctx)
    rebranded = dataclasses.replace(state, config={"branding-product-name": "ACME Orchestrator"})

    state_out = ctx.run(ctx.on.config_changed(), rebranded)

    assert reloads(ctx) == before + 1
    assert state_out.get_container(CONTAINER).plan == plan_before
    assert state_out.get_container(CONTAINER).service_statuses[SERVICE] == (
        ops.pebble.ServiceStatus.ACTIVE
    )
    assert b"ACME Orchestrator" in branding_files(state_out)["branding.js"]
    assert state_out.unit_status == testing.ActiveStatus()


def test_unchanged_configuration_does_not_reload(ctx, container, nbi):
    state = ready(ctx, container, nbi)
    before = reloads(ctx)

    ctx.run(ctx.on.config_changed(), state)

    assert reloads(ctx) == before


def test_first_start_needs_no_reload(ctx, container, nbi):
    ready(ctx, container, nbi)

    assert reloads(ctx) == 0


# --- one shape: inputs read once, status only reads ------------------------------------------


@pytest.mark.parametrize("event", ["config_changed", "update_status"])
def test_a_dispatch_reads_the_nbi_relation_once(ctx, container, nbi, monkeypatch, event):
    state = ready(ctx, container, nbi)
    reads = []
    original = EndpointRequirer.get

    def counting_get(self):
        reads.append(self)
        return original(self)

    monkeypatch.setattr(EndpointRequirer, "get", counting_get)

    state_out = ctx.run(getattr(ctx.on, event)(), state)

    assert len(reads) == 1
    assert state_out.unit_status == testing.ActiveStatus()
