"""`distro.registry`: every OCI image of a distribution comes from one registry (air-gapped sites).

An image reference is read as the distribution (docker) reference library reads it: the part
before the first `/` is a registry host when it holds a `.` or a `:` or is `localhost`, else
the image is on Docker Hub (`mongo:7.0` is `docker.io/library/mongo:7.0`). An image complies
when its registry and path start with the setting (`registry.acme.example` or
`registry.acme.example/osm`). Each application's OCI-image resources are checked: the value
the bundle sets, else the charm's default image (`upstream-source`, from its metadata or the
catalog); a resource given as a Charmhub revision comes from Charmhub.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from distro_builder.compose import DistroInfo
from distro_builder.core import Diagnostic, NodePath, as_mapping
from distro_builder.juju import quote

from ._catalog import CharmIndex
from ._charms import OCI_IMAGE, OriginLookup
from ._meta_yaml import MetaError

DOCKER_HUB = "docker.io"
_REGISTRY = re.compile(
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"|\[[0-9a-fA-F:]+\])(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
)
_FILE = re.compile(r"\A(?:\.{0,2}/|~)|\.(?:ya?ml|json)\Z")


def qualified(image: str) -> str:
    """`image` with its registry spelled out and the host in lower case (`docker.io/mongo:7`)."""
    first, slash, rest = image.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        return f"{first.lower()}/{rest}"
    return f"{DOCKER_HUB}/{image}"


def image_registry_problem(image: str, registry: str) -> str | None:
    """Why `image` does not come from `registry`, or None when it does."""
    name = qualified(image)
    wanted = qualified(registry + "/x").removesuffix("/x")
    if name.startswith(wanted + "/"):
        return None
    return f"{quote(image)} does not come from {registry}"


def registry_problems(
    bundle: Mapping[str, object],
    provenance: OriginLookup,
    charms: CharmIndex,
    distro: DistroInfo,
) -> list[Diagnostic]:
    """An error for each OCI image of `bundle` that does not come from `distro.registry`."""
    registry = distro.registry
    if not registry:
        return []
    origin = distro.origins.get("registry")
    if not _REGISTRY.fullmatch(registry):
        message = (
            f"distro.registry {quote(registry)} is not a registry host[:port][/path] such as"
            " registry.example.com/osm"
        )
        return [Diagnostic(message, origin)]
    source = f"{registry} (distro.registry at {origin})" if origin else registry
    diagnostics: list[Diagnostic] = []
    for name, app in as_mapping(bundle.get("applications")).items():
        spec = as_mapping(app)
        reference = spec.get("charm")
        try:
            meta = charms.find(reference) if isinstance(reference, str) else None
        except MetaError:
            meta = None
        if meta is None:
            continue
        resources = as_mapping(spec.get("resources"))
        for resource, kind in meta.resources.items():
            value = resources.get(resource)
            default = meta.resource_defaults.get(resource)
            problem = _problem(value, default, registry, source) if kind == OCI_IMAGE else None
            if problem is None:
                continue
            path: NodePath = ("applications", name, "resources", resource)
            if value is None:  # where the resources are written, else the application
                path = path[:-1] if resources else ("applications", name)
            message = f"application {quote(name)} resource {quote(resource)} {problem}"
            diagnostics.append(Diagnostic(message, provenance.origin(path)))
    return diagnostics


def _problem(value: object, default: str | None, registry: str, source: str) -> str | None:
    """Why a resource's image (`value`, else the charm's `default`) is not from `registry`."""
    if value is None:
        if default and image_registry_problem(default, registry) is None:
            return None
        shown = f" {quote(default)}" if default else " (not recorded in its metadata)"
        return (
            f"is left at the charm's default image{shown}, which does not come from {source}:"
            " set the resource to a copy in that registry"
        )
    if isinstance(value, int) and not isinstance(value, bool):
        return f"is Charmhub revision {value}, served by Charmhub, not by {source}"
    if isinstance(value, str) and not _FILE.search(value):
        if image_registry_problem(value, registry) is None:
            return None
        return f"image {quote(value)} does not come from {source}"
    return None
