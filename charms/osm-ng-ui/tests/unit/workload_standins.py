# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Stand-ins for the ng-ui workload, in one place (an offline simulator reuses them).

- For ops.testing: the `ng-ui` container with the directories the charm writes as mounts
  (what one event pushes is still there for the next, as in a real container) and the
  answers of `nginx -s reload` in it. The rejected answer is what Debian's nginx prints
  for a site whose NBI host does not resolve (test_real_nginx.py checks it against the
  real program).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

from literals import BRANDING_DIR, CONTAINER, LOADED_RECORD, SITE_CONFIG_PATH
from ops import testing
from workload import RELOAD_COMMAND

# The container directories the charm writes to: nginx's site, the branding, its record of
# what nginx has loaded.
WRITTEN_DIRECTORIES = {
    "site": str(PurePosixPath(SITE_CONFIG_PATH).parent),
    "branding": BRANDING_DIR,
    "record": str(PurePosixPath(LOADED_RECORD).parent),
}

# `nginx -s reload` sent the signal: nginx prints nothing.
RELOAD_ACCEPTED = testing.Exec(RELOAD_COMMAND, return_code=0)
# nginx parses the site before it signals the master, and refuses one it cannot load.
RELOAD_REJECTED_STDERR = (
    'nginx: [emerg] host not found in upstream "nbi-2" in /etc/nginx/sites-enabled/default:10\n'
)
RELOAD_REJECTED = testing.Exec(RELOAD_COMMAND, return_code=1, stderr=RELOAD_REJECTED_STDERR)


def ng_ui_container(
    root: Path, reload: testing.Exec = RELOAD_ACCEPTED, *, can_connect: bool = True
) -> testing.Container:
    """The ng-ui container whose written directories live under `root` on the test's disk."""
    mounts = {}
    for name, location in WRITTEN_DIRECTORIES.items():
        source = root / name
        source.mkdir(parents=True, exist_ok=True)
        mounts[name] = testing.Mount(location=location, source=source)
    return testing.Container(CONTAINER, can_connect=can_connect, mounts=mounts, execs={reload})


def answering_reload(state: testing.State, reload: testing.Exec) -> testing.State:
    """`state` with nginx answering `nginx -s reload` with `reload` from now on."""
    container = dataclasses.replace(state.get_container(CONTAINER), execs={reload})
    return dataclasses.replace(state, containers={container})
