"""A composed bundle as the simulator needs it: charms found, endpoints resolved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from distro_builder.check import (
    CHARMCRAFT_YAML,
    CharmIndex,
    CharmMeta,
    OriginLookup,
    resolve_relations,
)
from distro_builder.juju import units
from distro_builder.simulate._model import (
    AppSpec,
    Deployment,
    EndpointSpec,
    ProvidedData,
    RelationSpec,
)


def deployment_from_bundle(
    bundle: dict[str, Any],
    provenance: OriginLookup,
    root: Path,
    *,
    base_dir: Path | None = None,
    model: str = "osm",
) -> Deployment:
    """The applications and resolved relations of `bundle`, for the simulator.

    `base_dir` is where the bundle's relative charm paths start (a distribution directory);
    a packed charm of this repository (`./charms/osm-nbi_amd64.charm`) runs as the charm
    directory it was packed from.
    """
    index = CharmIndex(root)
    applications = {}
    for name, app in sorted((bundle.get("applications") or {}).items()):
        reference = _repo_charm_name(str(app.get("charm", "")), root)
        meta = index.find(reference, base_dir=base_dir or root)
        applications[name] = _app_spec(name, app, meta, root)
    facts = resolve_relations(bundle, provenance, index)
    relations = tuple(
        RelationSpec(_split(first), _split(second))
        for _, (first, second) in sorted(facts.endpoints.items())
    )
    return Deployment(applications, relations, model)


def _app_spec(name: str, app: dict[str, Any], meta: CharmMeta | None, root: Path) -> AppSpec:
    charm = str(app.get("charm", ""))
    if meta is None:
        return AppSpec(name, charm, {}, units(app), provided=None)
    endpoints = {
        endpoint.name: EndpointSpec(endpoint.role, endpoint.interface)
        for endpoint in meta.endpoints.values()
    }
    charm_root = root / "charms" / meta.name
    if meta.external or not (charm_root / CHARMCRAFT_YAML).is_file():
        return AppSpec(
            name, meta.name, endpoints, units(app), provided=_provided(meta), trust=False
        )
    return AppSpec(
        name,
        meta.name,
        endpoints,
        units(app),
        config=dict(app.get("options") or {}),
        trust=bool(app.get("trust", False)),
        charm_root=charm_root,
        containers=tuple(meta.containers),
        storages=tuple(meta.storage),
    )


def _provided(meta: CharmMeta) -> dict[str, ProvidedData] | None:
    """What an external charm's descriptor documents it writes (None: not documented)."""
    if not meta.provided:
        return None
    return {
        endpoint: ProvidedData(app_data=bags["app-data"], unit_data=bags["unit-data"])
        for endpoint, bags in meta.provided.items()
    }


def _repo_charm_name(reference: str, root: Path) -> str:
    """`osm-nbi` for a packed charm file of this repository (`<name>_<platform>.charm`).

    Any other reference is returned as it is.
    """
    path = Path(reference)
    if path.suffix == ".charm":
        name = path.stem.split("_", 1)[0]
        if (root / "charms" / name / CHARMCRAFT_YAML).is_file():
            return name
    return reference


def _split(end: str) -> tuple[str, str]:
    app, _, endpoint = end.partition(":")
    return app, endpoint
