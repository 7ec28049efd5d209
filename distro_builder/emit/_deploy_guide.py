"""The "how to deploy" section of a distribution's README, from its lock data.

The emitter calls :func:`deploy_guide` with the data it writes to `distro.lock`; the text is
what the repository README's "From build to a running OSM" says, for that distribution. The
names of the common key secret live here, the floor below `deploy/`, which provisions it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COMMONKEY_OPTION = "database-commonkey"
COMMONKEY_CONTENT_KEY = "commonkey"
NBI_PORT = 9999
NG_UI_PORT = 80
COMMONKEY_APPS = ("nbi", "lcm", "ro", "mon")


def commonkey_label(distribution: str) -> str:
    """The name of a distribution's common key secret in its model."""
    return f"{distribution}-commonkey"


def deploy_guide(lock: Mapping[str, Any]) -> str:
    """Markdown: get the charms (if missing), deploy, check, and what you then have."""
    name = str(lock.get("name") or "osm")
    charms: Mapping[str, Mapping[str, Any]] = lock.get("charms") or {}
    missing = sorted(
        str(record.get("charm", app))
        for app, record in charms.items()
        if isinstance(record, Mapping) and record.get("missing") is True
    )
    label = commonkey_label(name)
    lines = ["## Deploy", ""]
    if missing:
        lines += [
            "This directory lacks packed charms, so it does not deploy yet: "
            + ", ".join(f"`{charm}`" for charm in missing)
            + ". Get them from the CI pack job (its `charm-*` artifacts) or with "
            "`distro-builder pack` on Ubuntu, then rebuild with `--charms-dir DIR`.",
            "",
        ]
    lines += [
        "With distro-builder (python-libjuju; creates the model and the common key secret, "
        "then waits until every application is active):",
        "",
        "```sh",
        f"uv run --extra deploy distro-builder deploy dist/{name} --model {name}",
        f"uv run --extra deploy distro-builder status dist/{name} --model {name}",
        f"uv run --extra deploy distro-builder deploy dist/{name} --model {name} --dry-run",
        "```",
        "",
        "With the Juju CLI alone, from this directory (it holds everything the bundle needs):",
        "",
        "```sh",
        f"juju add-model {name}",
        "juju deploy ./bundle.yaml --trust",
        f'juju add-secret {label} {COMMONKEY_CONTENT_KEY}="$(openssl rand -base64 32)"',
        f"juju grant-secret {label} {','.join(COMMONKEY_APPS)}",
        f"for app in {' '.join(COMMONKEY_APPS)}; do "
        f"juju config $app database-commonkey=secret:<id shown by add-secret>; done",
        "juju status --watch 5s",
        "```",
        "",
        "## Once it is active",
        "",
        f"- **NBI** (the OSM REST API) listens on `http://nbi:{NBI_PORT}/osm/` inside the "
        f"model; from your machine: `juju status nbi` gives the unit address "
        f"(`http://<address>:{NBI_PORT}/osm/`), or `kubectl -n {name} port-forward "
        f"svc/nbi {NBI_PORT}:{NBI_PORT}`. The first login is upstream's `admin`/`admin`: "
        "change that password at once.",
        f"- **NG-UI** (the web UI, with this distribution's branding) serves port {NG_UI_PORT}: "
        f"`kubectl -n {name} port-forward svc/ng-ui 8080:{NG_UI_PORT}`, then open "
        "<http://localhost:8080/>.",
        f"- **The common key** that encrypts OSM's stored secrets is the Juju user secret "
        f"`{label}` (content key `{COMMONKEY_CONTENT_KEY}`), readable by "
        f"{', '.join(COMMONKEY_APPS)} only; `juju show-secret {label}` shows who has it. "
        "It is in no file: back it up with the model.",
        "",
    ]
    return "\n".join(lines)
