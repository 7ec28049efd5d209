# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""nginx in the ng-ui container: push a site, have nginx load it, know what it loaded.

A site is pushed in two steps that never touch what the running nginx serves: its
branding files into a directory of their own (`<branding dir>/<version>/`), then the
site file, which nginx reads only when it (re)starts or reloads. The record
(`LOADED_RECORD` in the container, gone with the container and its nginx) says which
site nginx has loaded: written only after nginx was started with the site on disk or
`nginx -s reload` accepted it. Until the record names the wanted site, every reconcile
retries the reload. A reconcile that finds the wanted site loaded already removes the
other branding directories: not the one that reloads, because a reload is asynchronous
(old workers finish their requests, pages fetched just before still load their assets).

No Juju here: functions take the container and the rendered `workload.Site`, and raise
Pebble's errors (`PEBBLE_FILE_ERRORS`) to the caller, except the reload's own, which
the record keeps.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass

import ops
from charms.osm_libs.v0.pebble_service import (
    PEBBLE_ERRORS,
    is_running,
    push_if_changed,
    sync_directory,
)
from literals import BRANDING_DIR, FILE_PERMISSIONS, LOADED_RECORD, SERVICE, SITE_CONFIG_PATH
from workload import RELOAD_COMMAND, Site

logger = logging.getLogger(__name__)

RELOAD_TIMEOUT = 30.0  # seconds; nginx answers a reload in milliseconds
MAX_ERROR_LENGTH = 160
# `nginx: [emerg] ...` before nginx opens its logs, `2026/11/25 10:00:00 [emerg] 41#41: ...`
# once it has (the site's error_log is stderr).
_COMPLAINT = re.compile(r"\[(?:emerg|alert|crit|error)\] (?:\d+#\d+: )?(.+)")


@dataclass(frozen=True)
class Record:
    """What nginx has loaded, and its last refusal.

    Attributes:
        loaded: the digest of the site nginx serves; None when unknown.
        rejected: the digest of the last site nginx refused to load, if any since.
        error: what nginx said when it refused `rejected`.
    """

    loaded: str | None = None
    rejected: str | None = None
    error: str = ""


def read_record(container: ops.Container) -> Record:
    """The record in the container; an empty one if absent or unreadable."""
    try:
        with container.pull(LOADED_RECORD) as file:
            data = json.load(file)
        return Record(
            loaded=_optional_str(data.get("loaded")),
            rejected=_optional_str(data.get("rejected")),
            error=str(data.get("error", "")),
        )
    except ops.pebble.PathError:
        return Record()
    except (ValueError, AttributeError):  # not JSON, or not an object
        logger.warning("ignoring the malformed %s", LOADED_RECORD)
        return Record()


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _write_record(container: ops.Container, record: Record) -> None:
    container.push(LOADED_RECORD, json.dumps(asdict(record)), make_dirs=True)


def push(container: ops.Container, site: Site) -> None:
    """Push the site's branding directory (unless complete already), then the site file."""
    directory = f"{BRANDING_DIR}/{site.branding_version}"
    present = (
        {info.name for info in container.list_files(directory)}
        if container.exists(directory)
        else set()
    )
    if not present >= set(site.branding_files):
        sync_directory(container, directory, site.branding_files, permissions=FILE_PERMISSIONS)
    push_if_changed(container, SITE_CONFIG_PATH, site.config, permissions=FILE_PERMISSIONS)


def settle(container: ops.Container, site: Site, started: bool) -> Record:
    """Make sure the running nginx serves `site`, record it, and prune old branding.

    Args:
        container: the ng-ui container, where `site` has been pushed and nginx planned.
        site: the wanted site.
        started: nginx was not running before it was planned: if it runs now, it
            started with `site`.
    """
    record = read_record(container)
    if not is_running(container, SERVICE):
        return record
    if started:
        settled = Record(loaded=site.digest)
    elif record.loaded == site.digest:
        settled = record
    else:
        error = reload(container)
        settled = (
            Record(loaded=site.digest)
            if error is None
            else Record(loaded=record.loaded, rejected=site.digest, error=error)
        )
    if settled != record:
        _write_record(container, settled)
    elif settled.loaded == site.digest:  # loaded before this reconcile
        prune_branding(container, keep=site.branding_version)
    return settled


def reload(container: ops.Container) -> str | None:
    """Have the running nginx load the site on disk; None when it did, else why not."""
    try:
        container.exec(list(RELOAD_COMMAND), timeout=RELOAD_TIMEOUT).wait_output()
    except ops.pebble.ExecError as error:
        stderr = error.stderr if isinstance(error.stderr, str) else ""
        reason = nginx_error(stderr) or f"exit status {error.exit_code}"
    except ops.pebble.TimeoutError:
        reason = f"no answer in {RELOAD_TIMEOUT:g} s"
    except PEBBLE_ERRORS as error:
        reason = f"pebble: {error}"
    else:
        logger.info("nginx reloaded with the new site")
        return None
    logger.error("nginx kept its previous site: %s", reason)
    return reason[:MAX_ERROR_LENGTH]


def nginx_error(stderr: str) -> str:
    """The first complaint in nginx's `stderr`, without its prefix (time, level, pid)."""
    complaint = _COMPLAINT.search(stderr)
    if complaint:
        return complaint.group(1).strip()
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1].removeprefix("nginx: ") if lines else ""


def prune_branding(container: ops.Container, keep: str) -> None:
    """Remove every branding directory (and stray file) but `keep`."""
    if not container.exists(BRANDING_DIR):
        return
    for stale in container.list_files(BRANDING_DIR):
        if stale.name != keep:
            container.remove_path(stale.path, recursive=True)
