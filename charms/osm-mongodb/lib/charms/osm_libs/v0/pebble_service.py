# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""One Pebble service per OSM component: plan it, stop it, and tell how healthy it is.

`apply_layer` adds the charm's layer (with `override: replace`) and replans, so an unchanged
layer restarts nothing. `stop_service` is for a mandatory relation that went away.
`service_status` turns the service and its readiness check into the conventions' status
(Blocked `<svc> service is not running`, Waiting `<svc> service is not ready: ...`), or None
when the service runs and its readiness check is up. Pebble errors are left to the caller:
catch `PEBBLE_ERRORS` and report Waiting for Pebble.
"""

from __future__ import annotations

import ops
from charms.osm_libs.v0.status import service_not_ready_message, service_not_running_message

LIBID = "ad308ade22c44e649c5780b320781d6a"
LIBAPI = 0
LIBPATCH = 1

PEBBLE_ERRORS = (ops.pebble.ConnectionError, ops.pebble.APIError, ops.pebble.ChangeError)


def apply_layer(container: ops.Container, label: str, layer: ops.pebble.LayerDict) -> None:
    """Combine `layer` into the plan under `label` and replan (a no-op when nothing changed)."""
    container.add_layer(label, layer, combine=True)
    container.replan()


def is_running(container: ops.Container, service: str) -> bool:
    """Whether `service` is in the plan and running."""
    info = container.get_services(service).get(service)
    return info is not None and info.is_running()


def stop_service(container: ops.Container, service: str) -> None:
    """Stop `service` if it runs; the plan is kept, so the next replan starts it again."""
    if is_running(container, service):
        container.stop(service)


def is_ready(container: ops.Container, check: str) -> bool:
    """Whether the readiness `check` is planned and up."""
    info = container.get_checks(check).get(check)
    return info is not None and info.status == ops.pebble.CheckStatus.UP


def service_status(container: ops.Container, service: str, check: str) -> ops.StatusBase | None:
    """Blocked if `service` is not running, Waiting if `check` is not up, else None."""
    if not is_running(container, service):
        return ops.BlockedStatus(service_not_running_message(service))
    if not is_ready(container, check):
        return ops.WaitingStatus(service_not_ready_message(service))
    return None
