"""The README generated into each distribution directory, and the note on missing charms.

Its "Deploy" section is `deploy_guide`'s, from the lock's data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from distro_builder import __version__
from distro_builder.check import CharmPlan
from distro_builder.compose import Composition
from distro_builder.juju import BUNDLE_FILE, units
from distro_builder.load import CHARMHUB

from ._deploy_guide import deploy_guide
from ._names import LOCK_FILE

PRODUCT_NAME = "product-name"
GET_CHARMS = (
    "get them with `distro-builder pack` on Ubuntu (it writes build/charms/) or from the CI "
    "pack job's artifact, then build again with `--charms-dir DIR`"
)


def render_readme(
    composition: Composition,
    *,
    bundle: Mapping[str, Any],
    charms: CharmPlan,
    lock: Mapping[str, Any],
    sections: Sequence[str] = (),
) -> str:
    """What the distribution contains and how to deploy it; `sections` are appended.

    `bundle` is the bundle as written (charm references relative to the distribution),
    `lock` the lock's data (its `charms:` say which packed charms are missing).
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
        *_charms_paragraph(composition, charms),
        deploy_guide(lock).rstrip("\n"),
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
    if charms.copies:
        lines.append("- `charms/`: the packed charms of this repository that it deploys.")
    lines.append("")
    lines += [section.rstrip("\n") + "\n" for section in sections]
    return "\n".join(lines)


def charms_note(missing: Sequence[str], shown: str) -> str:
    """One line saying which packed charms a distribution lacks and how to get them."""
    names = ", ".join(file.rsplit("/", 1)[-1] for file in missing)
    plural = "s are" if len(missing) > 1 else " is"
    return (
        f"{len(missing)} packed charm{plural} missing from {shown}/charms/ ({names}): {GET_CHARMS}"
    )


def _charms_paragraph(composition: Composition, charms: CharmPlan) -> list[str]:
    """Where this repository's charms come from: packed here, or the vendor's Charmhub names."""
    sourcing = composition.distro.charms
    if sourcing.source == CHARMHUB:
        channel = f", channel `{sourcing.channel}`" if sourcing.channel else ""
        return [
            "This repository's charms come from Charmhub under the vendor's names "
            f"(`{sourcing.prefix}<charm>`{channel}).",
            "",
        ]
    if charms.copies:
        return [
            "The packed charms it deploys are in `charms/`, each with its sha256 in "
            f"`{LOCK_FILE}`: copy this directory to any host with Juju to deploy it.",
            "",
        ]
    return []


def _pairs(relations: list[list[str]]) -> list[tuple[str, str]]:
    return [(relation[0], relation[1]) for relation in relations if len(relation) == 2]
