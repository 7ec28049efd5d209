"""The README generated into each distribution directory, and the note on missing charms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from distro_builder import __version__
from distro_builder.check import CharmPlan
from distro_builder.compose import Composition
from distro_builder.juju import BUNDLE_FILE, units
from distro_builder.load import CHARMHUB

from ._names import DIST_DIR, LOCK_FILE

PRODUCT_NAME = "product-name"
NBI = "nbi"
NBI_PORT = 9999
COMMON_KEY_USERS = ("nbi", "lcm", "ro", "mon")
GET_CHARMS = (
    "get them with `distro-builder pack --output DIR` on Ubuntu (charmcraft) or from the CI "
    "pack job's artifact, then build again with `--charms-dir DIR`"
)


def render_readme(
    composition: Composition,
    *,
    bundle: Mapping[str, Any],
    charms: CharmPlan,
    sections: Sequence[str] = (),
) -> str:
    """What the distribution contains and how to deploy it; `sections` are appended.

    `bundle` is the bundle as written (charm references relative to the distribution).
    """
    distro = composition.distro
    title = distro.branding.get(PRODUCT_NAME) or distro.name
    overlays = ", ".join(distro.chain) if distro.chain else "none (the upstream-like base)"
    lines = [
        f"# {title}",
        "",
        f"Distribution `{distro.name}` version {distro.version or 'unversioned'}"
        + (f" by {distro.vendor}" if distro.vendor else "")
        + ".",
        "",
    ]
    if distro.description:
        lines += [distro.description.strip(), ""]
    lines += [
        f"Built by distro-builder {__version__} from the base OSM bundle with the overlays: "
        f"{overlays}.",
        "",
        deploy_instructions(composition, bundle=bundle, charms=charms).rstrip("\n"),
        "",
        "## Applications",
        "",
        "| application | charm | channel | units | images |",
        "|---|---|---|---|---|",
    ]
    missing = {f"./{file}" for file in charms.missing}
    for name, app in (bundle.get("applications") or {}).items():
        images = ", ".join(
            f"`{value}`"
            for value in (app.get("resources") or {}).values()
            if isinstance(value, str)
        )
        charm = app.get("charm", "")
        shown = f"`{charm}`" + (" (missing)" if charm in missing else "")
        channel = app.get("channel", "")
        lines.append(f"| {name} | {shown} | {channel} | {units(app)} | {images} |")
    lines += ["", "## Relations", ""]
    lines += [f"- `{a}` with `{b}`" for a, b in _pairs(bundle.get("relations") or [])]
    lines += [
        "",
        "## Files",
        "",
        f"- `{BUNDLE_FILE}`: the Juju bundle (deploy it as above).",
        f"- `{LOCK_FILE}`: the overlay chain, every input file with its sha256 and git state, "
        "the source commit, the charms (with the sha256 of each packed one) and the images.",
    ]
    if charms.files:
        lines.append("- `charms/`: the packed charms of this repository that it deploys.")
    lines.append("")
    lines += [section.rstrip("\n") + "\n" for section in sections]
    return "\n".join(lines)


def deploy_instructions(
    composition: Composition, *, bundle: Mapping[str, Any], charms: CharmPlan
) -> str:
    """How to deploy this distribution: its charms, the commands, first login, the common key.

    Markdown, from a ``## Deploy`` heading on.
    """
    name = composition.distro.name
    applications = bundle.get("applications") or {}
    lines = ["## Deploy", "", *_charms_paragraph(composition, charms), ""]
    lines += [
        "On a Juju 3.6 controller backed by Kubernetes (microk8s for a lab), from the "
        "directory holding `dist/`:",
        "",
        "```sh",
        f"distro-builder deploy {DIST_DIR}/{name}",
        "```",
        "",
        "or with Juju alone, from this directory:",
        "",
        "```sh",
        f"juju add-model {name}",
        f"juju deploy ./{BUNDLE_FILE} --trust",
        "juju status --watch 5s",
        "```",
        "",
    ]
    if NBI in applications:
        lines += [
            "### First login",
            "",
            f"NBI, OSM's REST API, listens on port {NBI_PORT} of the `{NBI}` application "
            f"(`http://{NBI}:{NBI_PORT}/osm/` inside the model; `juju status {NBI}` shows its "
            "address). With NBI's internal user backend the first login is `admin` with "
            "password `admin`; change the password at once:",
            "",
            "```sh",
            f"curl -s -X POST http://NBI_ADDRESS:{NBI_PORT}/osm/admin/v1/tokens \\",
            "  -H 'Content-Type: application/json' -H 'Accept: application/json' \\",
            """  -d '{"username": "admin", "password": "admin"}'""",
            "```",
            "",
            "The web UI (`ng-ui`, port 80) takes the same account. With a `keystone` "
            "relation, users come from Keystone instead.",
            "",
        ]
    users = [app for app in COMMON_KEY_USERS if app in applications]
    if users:
        listed = ",".join(users)
        lines += [
            "### The database common key",
            "",
            f"{_listing(users)} encrypt what OSM keeps in MongoDB with one common key. It "
            "lives in a Juju user secret of the model, never in this directory: "
            "`distro-builder deploy` creates it (random, 32 bytes), grants it to "
            f"{_listing(users)} and sets their `database-commonkey` option to its URI "
            "(`juju secrets` lists it). With Juju alone, do the same:",
            "",
            "```sh",
            'juju add-secret osm-commonkey commonkey="$(openssl rand -hex 32)"',
            f"juju grant-secret osm-commonkey {listed}",
            f"for app in {' '.join(users)}; do",
            "  juju config $app database-commonkey=secret:ID   # the ID add-secret printed",
            "done",
            "```",
            "",
        ]
    return "\n".join(lines)


def charms_note(missing: Sequence[str], shown: str) -> str:
    """One line saying which packed charms a distribution lacks and how to get them."""
    names = ", ".join(file.rsplit("/", 1)[-1] for file in missing)
    plural = "s are" if len(missing) > 1 else " is"
    return (
        f"{len(missing)} packed charm{plural} missing from {shown}/charms/ ({names}): {GET_CHARMS}"
    )


def _charms_paragraph(composition: Composition, charms: CharmPlan) -> list[str]:
    """Where the charms are: packed here, missing (and how to get them), or on Charmhub."""
    sourcing = composition.distro.charms
    paragraphs: list[str] = []
    included = [file for file in charms.files if file not in charms.missing]
    if included:
        files = ", ".join(f"`{file}`" for file in included)
        paragraphs.append(
            f"The packed charms it deploys are in this directory, each with its sha256 in "
            f"`{LOCK_FILE}`: {files}."
        )
    if charms.missing:
        files = ", ".join(f"`{file}`" for file in charms.missing)
        overlays = [f"--overlay {overlay}" for overlay in composition.distro.chain]
        build = " ".join(["distro-builder build", *overlays, "--charms-dir DIR"])
        paragraphs.append(
            f"**Missing charms**: {files} are not in this directory yet, and Juju cannot "
            f"deploy the bundle without them: {GET_CHARMS} (`{build}`)."
        )
    if sourcing.source == CHARMHUB:
        channel = f", channel `{sourcing.channel}`" if sourcing.channel else ""
        paragraphs.append(
            "This repository's charms come from Charmhub under the vendor's names "
            f"(`{sourcing.prefix}<charm>`{channel})."
        )
    return "\n\n".join(paragraphs).split("\n")


def _listing(names: Sequence[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _pairs(relations: list[list[str]]) -> list[tuple[str, str]]:
    return [(relation[0], relation[1]) for relation in relations if len(relation) == 2]
