# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The skeleton the OSM sidecar charms share: their events, their services, their status.

A component charm reads config, secrets and relations once per dispatch into `Inputs`,
then routes every event of `reconcile_events(...)` to one reconcile method that calls
`reconcile_service(...)`, and reports in collect-unit-status with `add_statuses(...)`:

    def _reconcile(self, _: ops.EventBase) -> None:
        inputs = self._inputs
        layer = workload.layer(inputs.settings) if inputs.settings else None
        component.reconcile_service(self._container, SERVICE, LAYER, layer, inputs.stop)

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        component.add_statuses(event, self._container, SERVICE, READY_CHECK, self._inputs)

A workload of several processes (MON: one Pebble service per process) calls the plural
forms with every service, each mapped to its readiness check:

    component.reconcile_services(self._container, SERVICES, LAYER, layer, inputs.stop)
    component.add_services_statuses(event, self._container, READY_CHECKS, self._inputs)

`relation_problems` turns the charm's relations into the conventions' statuses.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import ops
from charms.osm_libs.v0.pebble_service import (
    PEBBLE_ERRORS,
    apply_layer,
    is_running,
    services_health,
    stop_services,
)
from charms.osm_libs.v0.status import (
    WAITING_FOR_PEBBLE,
    missing_relations_message,
    waiting_for_message,
)

LIBID = "94229b8b85fc4cb5911434e2727fc977"
LIBAPI = 0
LIBPATCH = 2

logger = logging.getLogger(__name__)

_Config = TypeVar("_Config")
_Settings = TypeVar("_Settings")


@dataclass(frozen=True)
class Inputs(Generic[_Config, _Settings]):
    """What one dispatch found in config, secrets and relations.

    Attributes:
        config: the charm's options; None while one is invalid.
        settings: everything the workload is built from; None while anything is missing.
        stop: the service must not run (a mandatory input is gone). Without `settings` and
            without `stop` the service is left as it is: a typo in an option does not take
            a running workload down.
        problems: what the user must fix or what is awaited, most urgent first.
        note: the message of the Active status (such as an insecure default in use).
    """

    config: _Config | None = None
    settings: _Settings | None = None
    stop: bool = False
    problems: tuple[ops.StatusBase, ...] = ()
    note: str = ""


def reconcile_events(
    charm: ops.CharmBase, container: str, *more: ops.BoundEvent
) -> list[ops.BoundEvent]:
    """The events a sidecar charm reconciles on, each once.

    They are the container's `pebble_ready`, `pebble_check_failed` and
    `pebble_check_recovered`, `config_changed`, `upgrade_charm`, then `more` (relation
    and library events, which may repeat one another).
    """
    pebble = charm.on[container]
    events = [
        pebble.pebble_ready,
        pebble.pebble_check_failed,
        pebble.pebble_check_recovered,
        charm.on.config_changed,
        charm.on.upgrade_charm,
        *more,
    ]
    unique = {(event.emitter, event.event_kind): event for event in events}
    return list(unique.values())


def relation_problems(
    relations: Mapping[str, tuple[ops.Relation | None, object | None]],
    optional: Collection[str] = (),
) -> tuple[ops.StatusBase, ...]:
    """What the relations lack, as the conventions' status (empty when nothing).

    Args:
        relations: for each relation name, the relation (None when absent) and the data
            read from it (None until it has arrived).
        optional: the names that may be absent; every other one is mandatory.

    Returns:
        Blocked `need kafka, mongodb relations` while mandatory relations are absent, else
        Waiting `waiting for kafka data` while related applications have not answered.
    """
    missing = [
        name
        for name, (relation, _) in relations.items()
        if relation is None and name not in optional
    ]
    if missing:
        return (ops.BlockedStatus(missing_relations_message(missing)),)
    waiting = [
        name
        for name, (relation, data) in relations.items()
        if relation is not None and data is None
    ]
    if waiting:
        return (ops.WaitingStatus(waiting_for_message(waiting)),)
    return ()


def reconcile_service(
    container: ops.Container,
    service: str,
    label: str,
    layer: ops.pebble.LayerDict | None,
    stop: bool,
) -> None:
    """Plan `layer` under `label`, or stop `service` when `stop`, or leave it as it is.

    Nothing happens while Pebble cannot be reached; a Pebble error is logged, not raised
    (the status reports the service's state).
    """
    reconcile_services(container, [service], label, layer, stop)


def reconcile_services(
    container: ops.Container,
    services: Collection[str],
    label: str,
    layer: ops.pebble.LayerDict | None,
    stop: bool,
) -> None:
    """As `reconcile_service` for a layer of several `services`, stopped all together."""
    if not container.can_connect():
        return
    names = ", ".join(services)
    try:
        if layer is not None:
            apply_layer(container, label, layer)
        elif stop:
            if any(is_running(container, service) for service in services):
                logger.info("stopping %s: its relations or their data are missing", names)
            stop_services(container, services)
    except PEBBLE_ERRORS as error:
        logger.warning("could not configure the %s service: %s", names, error)


def add_statuses(
    event: ops.CollectStatusEvent,
    container: ops.Container,
    service: str,
    ready_check: str,
    inputs: Inputs[Any, Any],
) -> None:
    """Report `inputs.problems`, then Pebble, then the service's health, then Active.

    The service's health counts only when the service should run (`inputs.settings`);
    the Active status carries `inputs.note`.
    """
    add_services_statuses(event, container, {service: ready_check}, inputs)


def add_services_statuses(
    event: ops.CollectStatusEvent,
    container: ops.Container,
    services: Mapping[str, str],
    inputs: Inputs[Any, Any],
) -> None:
    """As `add_statuses` for several services, each mapped to its readiness check.

    The health status names every service that is not running (or, when all run, every
    one that is not ready). Only reads: nothing here changes the workload.
    """
    for problem in inputs.problems:
        event.add_status(problem)
    if not container.can_connect():
        event.add_status(ops.WaitingStatus(WAITING_FOR_PEBBLE))
    elif inputs.settings is not None and (health := services_health(container, services)):
        event.add_status(health)
    event.add_status(ops.ActiveStatus(inputs.note))
