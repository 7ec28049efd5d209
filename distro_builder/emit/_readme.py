"""The README generated into each distribution directory."""

from __future__ import annotations

from collections.abc import Sequence

from distro_builder import __version__
from distro_builder.compose import Composition
from distro_builder.juju import BUNDLE_FILE, units

from ._names import LOCK_FILE

PRODUCT_NAME = "product-name"


def render_readme(composition: Composition, *, sections: Sequence[str] = ()) -> str:
    """What the distribution contains and how to deploy it; `sections` are appended."""
    distro = composition.distro
    bundle = composition.bundle
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
        "## Deploy",
        "",
        "On a Juju 3.6 controller backed by Kubernetes:",
        "",
        "```sh",
        "juju add-model osm",
        "juju deploy ./bundle.yaml --trust",
        "juju status --watch 5s",
        "```",
        "",
        "## Applications",
        "",
        "| application | charm | channel | units | images |",
        "|---|---|---|---|---|",
    ]
    for name, app in (bundle.get("applications") or {}).items():
        images = ", ".join(
            f"`{value}`"
            for value in (app.get("resources") or {}).values()
            if isinstance(value, str)
        )
        channel = app.get("channel", "")
        lines.append(
            f"| {name} | `{app.get('charm', '')}` | {channel} | {units(app)} | {images} |"
        )
    lines += ["", "## Relations", ""]
    lines += [f"- `{a}` with `{b}`" for a, b in _pairs(bundle.get("relations") or [])]
    lines += [
        "",
        "## Files",
        "",
        f"- `{BUNDLE_FILE}`: the Juju bundle (deploy it as above).",
        f"- `{LOCK_FILE}`: the overlay chain, every input file with its sha256, the source "
        "commit, and the charms and images used.",
        "",
    ]
    lines += [section.rstrip("\n") + "\n" for section in sections]
    return "\n".join(lines)


def _pairs(relations: list[list[str]]) -> list[tuple[str, str]]:
    return [(relation[0], relation[1]) for relation in relations if len(relation) == 2]
