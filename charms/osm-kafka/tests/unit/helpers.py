# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""What the tests read back from a State: the rendered server.properties, the plan."""

from __future__ import annotations

import dataclasses

from literals import CONTAINER, SERVER_PROPERTIES, SERVICE
from ops import testing


def properties(ctx: testing.Context, state: testing.State) -> dict[str, str]:
    """The server.properties pushed into the container, as a dict."""
    root = state.get_container(CONTAINER).get_filesystem(ctx)
    text = (root / SERVER_PROPERTIES.lstrip("/")).read_text()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def with_config(state: testing.State, **options: str | int | bool) -> testing.State:
    """`state` with these options set."""
    return dataclasses.replace(state, config=options)


def service_command(state: testing.State) -> str:
    """The planned Kafka service's command."""
    return state.get_container(CONTAINER).plan.services[SERVICE].command
