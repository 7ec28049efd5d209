"""``distro.lock``: what a distribution was built from, to rebuild or audit it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from distro_builder import __version__
from distro_builder.check import CharmPlan, SourcedCharm
from distro_builder.compose import Composition
from distro_builder.juju import BUNDLE_FILE

FILES_KEY = "files"
CHARMS_KEY = "charms"
HEADER = "# distro.lock: written by distro-builder; records what this distribution is made of.\n"


def lock_data(
    composition: Composition,
    *,
    bundle: Mapping[str, Any],
    charms: CharmPlan,
    files: Mapping[str, str],
    commit: str | None,
    input_states: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """The lock as data: identity, builder, source commit, inputs, charms, images, files.

    Args:
        composition: what was composed (identity, chain, variables, inputs).
        bundle: the bundle as written (charm references relative to the distribution).
        charms: where each application's charm comes from.
        files: every other file of the distribution with its sha256 (the packed charms
            included): the bundle's is also `bundle-sha256`, and the list tells which files
            this tool wrote (and may replace).
        commit: the source commit of the checkout.
        input_states: each input's git state (committed, modified, uncommitted; None:
            unknown), by path.
    """
    distro = composition.distro
    states = input_states or {}
    applications = bundle.get("applications") or {}
    charm_records: dict[str, Any] = {}
    images: dict[str, Any] = {}
    missing = set(charms.missing)
    for name, app in applications.items():
        sourced = charms.applications.get(name) or SourcedCharm(
            charm="", source="charmhub", channel=app.get("channel"), revision=app.get("revision")
        )
        charm_records[name] = {
            "charm": app.get("charm", ""),
            "source": sourced.source,
            "channel": sourced.channel,
            "revision": sourced.revision,
            "sha256": files.get(sourced.file) if sourced.file else None,
            "missing": sourced.file in missing,
        }
        resources = {
            key: value
            for key, value in (app.get("resources") or {}).items()
            if isinstance(value, str)
        }
        if resources:
            images[name] = resources
    return {
        "name": distro.name,
        "version": distro.version,
        "vendor": distro.vendor,
        "builder": f"distro-builder {__version__}",
        "source-commit": commit,
        "overlays": list(distro.chain),
        "variables": dict(sorted(distro.vars.items())),
        "inputs": [
            {"path": path, "sha256": digest, "git": states.get(path)}
            for path, digest in composition.inputs
        ],
        "bundle-sha256": files.get(BUNDLE_FILE),
        CHARMS_KEY: charm_records,
        "images": images,
        FILES_KEY: dict(sorted(files.items())),
    }
