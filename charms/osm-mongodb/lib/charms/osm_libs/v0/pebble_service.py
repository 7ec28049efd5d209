# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The Pebble services of an OSM component: define them, plan them, stop them, judge them.

`service_layer` builds the layer most component charms plan: one service (`override:
replace`, enabled, restarted when one of its liveness checks fails) and its readiness and
liveness checks, made with `http_check`, `tcp_check`, `exec_check` or `process_check` (a daemon
without a port: its process runs, found without `ps`). A workload of several
processes (MON) plans one service per process with `services_layer`, each with its own
checks; `stop_services` and `services_health` then take every service at once.

`apply_layer` adds the charm's layer and replans, so an unchanged layer restarts nothing.
`stop_service` is for a mandatory relation that went away: it stops the service and the
container's checks with it, lest a failing liveness check has Pebble restart the service or
Kubernetes restart the container; `apply_layer` starts them again. `service_status` turns
the service and its readiness check into the conventions' status (Blocked `<svc> service
is not running`, Waiting `<svc> service is not ready: ...`), or None when the service runs
and its readiness check is up; `services_status` does so for several services, naming
every one that is down. Pebble errors are left to the caller (catch `PEBBLE_ERRORS`
and report Waiting for Pebble; `PEBBLE_FILE_ERRORS` where files are pushed, pulled or
listed too), except in `service_health` and `services_health`, which report them so.

The workload's files: `push_if_changed` writes a configuration file and says whether it
changed (so that the charm reloads the service only then); `sync_directory` makes a
directory hold exactly the given files.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import ops
from charms.osm_libs.v0.status import (
    WAITING_FOR_PEBBLE,
    services_not_ready_message,
    services_not_running_message,
)

LIBID = "ad308ade22c44e649c5780b320781d6a"
LIBAPI = 0
LIBPATCH = 5

logger = logging.getLogger(__name__)

PEBBLE_ERRORS = (ops.pebble.ConnectionError, ops.pebble.APIError, ops.pebble.ChangeError)
# Pushing, pulling, listing and making files adds PathError to what Pebble can raise.
PEBBLE_FILE_ERRORS = (*PEBBLE_ERRORS, ops.pebble.PathError)
READY = "ready"
ALIVE = "alive"


def _check(level: str, period: str, threshold: int, timeout: str | None) -> ops.pebble.CheckDict:
    """The check's common fields; Pebble's default timeout unless `timeout` is given."""
    check: ops.pebble.CheckDict = {
        "override": "replace",
        "level": level,
        "period": period,
        "threshold": threshold,
    }
    if timeout is not None:
        check["timeout"] = timeout
    return check


def http_check(
    level: str, url: str, *, period: str, threshold: int, timeout: str | None = None
) -> ops.pebble.CheckDict:
    """A `level` check that passes while `url` answers with a success status."""
    return {**_check(level, period, threshold, timeout), "http": {"url": url}}


def tcp_check(
    level: str, port: int, *, period: str, threshold: int, timeout: str | None = None
) -> ops.pebble.CheckDict:
    """A `level` check that passes while something accepts connections on local `port`."""
    return {**_check(level, period, threshold, timeout), "tcp": {"port": port}}


def exec_check(
    level: str,
    command: str,
    service: str,
    *,
    period: str,
    threshold: int,
    timeout: str | None = None,
) -> ops.pebble.CheckDict:
    """A `level` check running `command` in `service`'s context (user, environment...)."""
    probe: ops.pebble.ExecDict = {"command": command, "service-context": service}
    return {**_check(level, period, threshold, timeout), "exec": probe}


@dataclass(frozen=True)
class Service:
    """One service of a layer: how Pebble runs it, and the checks that judge it."""

    definition: ops.pebble.ServiceDict
    checks: Mapping[str, ops.pebble.CheckDict] = field(default_factory=dict)


# Whether a process runs `program`, without `ps` (which images without procps lack): grep
# (-z: one record per NUL-ended argument; -x: a whole argument) over every process's
# /proc/<pid>/cmdline for the program or a path ending in it. The pattern cannot match
# the check's own arguments, so the check never finds itself; sh and grep are in every
# Debian or Ubuntu image (both Essential).
_PROCESS_RUNNING = "/bin/sh -c \"grep -qszxE '(.*/)?{program}' /proc/[0-9]*/cmdline\""


def process_check(
    level: str,
    program: str,
    service: str,
    *,
    period: str,
    threshold: int,
    timeout: str | None = None,
) -> ops.pebble.CheckDict:
    """A `level` exec check (in `service`'s context) passing while a process runs `program`.

    `program` is a command name such as a console script (`osm-mon-server`), matched as
    an argument of a running process, alone or as the last part of a path; it may hold
    letters, digits, `-`, `_` and `.` (a literal dot here).
    """
    if not program or not all(char.isalnum() or char in "-_." for char in program):
        raise ValueError(f"not a program name: {program!r}")
    command = _PROCESS_RUNNING.format(program=program.replace(".", "\\\\."))
    return exec_check(level, command, service, period=period, threshold=threshold, timeout=timeout)


def service_layer(
    summary: str,
    service: str,
    definition: ops.pebble.ServiceDict,
    checks: Mapping[str, ops.pebble.CheckDict],
) -> ops.pebble.LayerDict:
    """A layer running `service` as `definition` says, with `checks`.

    The service replaces any earlier definition, starts with the container, and restarts
    whenever one of its liveness (`alive`) checks fails.
    """
    return services_layer(summary, {service: Service(definition, checks)})


def services_layer(summary: str, services: Mapping[str, Service]) -> ops.pebble.LayerDict:
    """A layer running every service of `services`, each with its own checks.

    As `service_layer` for each service: a service restarts when one of its own liveness
    checks fails, never another service's.
    """
    alive = (ALIVE, ops.pebble.CheckLevel.ALIVE)
    planned: dict[str, ops.pebble.ServiceDict] = {}
    checks: dict[str, ops.pebble.CheckDict] = {}
    for name, service in services.items():
        restart_on = {
            check: "restart"
            for check, definition in service.checks.items()
            if definition.get("level") in alive
        }
        planned[name] = {
            "override": "replace",
            "startup": "enabled",
            **service.definition,
            "on-check-failure": restart_on,
        }
        checks.update(service.checks)
    return {"summary": summary, "services": planned, "checks": checks}


def apply_layer(container: ops.Container, label: str, layer: ops.pebble.LayerDict) -> None:
    """Combine `layer` into the plan under `label`, replan, and (re)start the plan's checks."""
    container.add_layer(label, layer, combine=True)
    container.replan()
    _start_or_stop_checks(container, start=True)


def is_running(container: ops.Container, service: str) -> bool:
    """Whether `service` is in the plan and running."""
    info = container.get_services(service).get(service)
    return info is not None and info.is_running()


def stop_service(container: ops.Container, service: str) -> None:
    """Stop `service` and the plan's checks; the plan is kept for the next `apply_layer`."""
    stop_services(container, [service])


def stop_services(container: ops.Container, services: Collection[str]) -> None:
    """Stop every running one of `services`, and the plan's checks (as `stop_service`)."""
    # get_services() with no name would list every service: ask only for the given ones.
    infos = container.get_services(*services) if services else {}
    running = [name for name, info in infos.items() if info.is_running()]
    if running:
        container.stop(*running)
    _start_or_stop_checks(container, start=False)


def _start_or_stop_checks(container: ops.Container, start: bool) -> None:
    """Start (or stop) every check in the plan; a Pebble without that API is left alone."""
    names = list(container.get_plan().checks)
    if not names:
        return
    try:
        if start:
            container.start_checks(*names)
        else:
            container.stop_checks(*names)
    except ops.pebble.APIError as error:  # a Pebble older than Juju 3.6.4's
        logger.debug("cannot %s the checks: %s", "start" if start else "stop", error.message)


def is_ready(container: ops.Container, check: str) -> bool:
    """Whether the readiness `check` is planned and up."""
    info = container.get_checks(check).get(check)
    return info is not None and info.status == ops.pebble.CheckStatus.UP


def service_status(container: ops.Container, service: str, check: str) -> ops.StatusBase | None:
    """Blocked if `service` is not running, Waiting if `check` is not up, else None."""
    return services_status(container, {service: check})


def services_status(
    container: ops.Container, services: Mapping[str, str]
) -> ops.StatusBase | None:
    """As `service_status` for every service (mapped to its readiness check) at once.

    Blocked names every service that is not running; else Waiting names every service
    whose readiness check is not up; None when all run and are ready.
    """
    if not services:
        return None
    infos = container.get_services(*services)
    stopped = [name for name in services if name not in infos or not infos[name].is_running()]
    if stopped:
        return ops.BlockedStatus(services_not_running_message(stopped))
    checks = container.get_checks(*services.values())
    unready = [
        name
        for name, check in services.items()
        if check not in checks or checks[check].status != ops.pebble.CheckStatus.UP
    ]
    if unready:
        return ops.WaitingStatus(services_not_ready_message(unready))
    return None


def service_health(container: ops.Container, service: str, check: str) -> ops.StatusBase | None:
    """As `service_status`, with a Pebble that fails to answer reported as Waiting for it."""
    return services_health(container, {service: check})


def services_health(
    container: ops.Container, services: Mapping[str, str]
) -> ops.StatusBase | None:
    """As `services_status`, with a Pebble that fails to answer reported as Waiting for it."""
    try:
        return services_status(container, services)
    except PEBBLE_ERRORS:
        return ops.WaitingStatus(WAITING_FOR_PEBBLE)


def push_if_changed(
    container: ops.Container, path: str, content: str, *, permissions: int | None = None
) -> bool:
    """Push `content` to `path` unless the file holds it already; return whether it changed."""
    try:
        with container.pull(path) as current:
            if current.read() == content:
                return False
    except ops.pebble.PathError:
        pass  # not written yet
    container.push(path, content, make_dirs=True, permissions=permissions)
    return True


def sync_directory(
    container: ops.Container,
    directory: str,
    files: Mapping[str, bytes | str],
    *,
    permissions: int,
    user: str | None = None,
    group: str | None = None,
) -> None:
    """Make `directory` hold exactly `files` (content by file name), owned as given."""
    for name, content in files.items():
        container.push(
            f"{directory}/{name}",
            content,
            make_dirs=True,
            permissions=permissions,
            user=user,
            group=group,
        )
    if not container.exists(directory):
        return
    for stale in container.list_files(directory):
        if stale.name not in files:
            container.remove_path(stale.path, recursive=True)
