"""Compose layers into one distribution (pure: no file is written, nothing global changes).

The order is Juju's: decode every document, verify the base document alone, refuse
overlay-only fields in it, then merge document after document (resolving relative charm
paths and includes against each document's directory). The distro extensions apply on top:
each layer's ``remove-relations`` after its documents, the chain's branding at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from distro_builder.core import (
    WARNING,
    Diagnostic,
    InputError,
    Origin,
    Provenance,
    did_you_mean,
    raise_if_errors,
)
from distro_builder.juju import (
    MergedBundle,
    Part,
    decode_part,
    freeze,
    merge_part,
    overlay_only_fields,
    quote,
    resolve_part,
    verify_base_part,
)
from distro_builder.load import (
    CharmSourcing,
    DistroSpec,
    Layer,
    Project,
    TemplateVariables,
    build_inputs,
    parse_settings,
    plain,
)

from ._branding import apply_branding, merged_branding
from ._relations import RemovedRelation, remove_relations


class DistroInfo(NamedTuple):
    """What a distribution is: metadata, chain, branding, template variables, charm sourcing.

    Attributes:
        vars: the template variables the build used (a number as its written text).
        registry: the registry every OCI image must come from ("" when not required).
        charms: where this repository's charms come from (``distro.charms``).
        origins: where each metadata field (`vendor`, `registry`...) and variable
            (`vars.NAME`) was set; None for a variable from ``--set``.
    """

    name: str = ""
    version: str = ""
    vendor: str = ""
    description: str = ""
    chain: tuple[str, ...] = ()
    branding: Mapping[str, str] = MappingProxyType({})
    vars: Mapping[str, Any] = MappingProxyType({})
    registry: str = ""
    origins: Mapping[str, Origin | None] = MappingProxyType({})
    charms: CharmSourcing = CharmSourcing()


class Composition(NamedTuple):
    """The composed bundle (as it will be emitted), who set what, and what went in.

    `variable_sources` tells where each template variable got its value, and
    `removed_relations` which relations ``remove-relations`` entries removed (for notes).
    """

    bundle: dict[str, Any]
    provenance: Provenance
    distro: DistroInfo
    inputs: list[tuple[str, str]]
    warnings: Sequence[Diagnostic] = ()
    variable_sources: TemplateVariables = TemplateVariables()
    removed_relations: Sequence[RemovedRelation] = ()


def compose(
    layers: Sequence[Layer],
    *,
    verify_base: bool = True,
    confine_includes: bool = False,
    name_unknown_applications: bool = False,
    variables: Mapping[str, Any] | None = None,
    variable_origins: Mapping[str, Origin | None] | None = None,
    root: Path | None = None,
) -> Composition:
    """Merge `layers` in order; raise :class:`InputError` with every problem of a failed stage.

    With `name_unknown_applications`, an overlay entry without a charm for an application
    the bundle composed so far lacks (a typo, usually) is an error that says so, where Juju
    only finds an "empty charm path" (unless a later layer gives it a charm).
    """
    diagnostics: list[Diagnostic] = []
    parts: list[tuple[Layer, Part]] = []
    for layer in layers:
        for document in layer.documents:
            part = decode_part(document)
            diagnostics.extend(part.diagnostics)
            parts.append((layer, part))
    if not parts:
        raise InputError([Diagnostic("malformed bundle: bundle is empty")])
    raise_if_errors(diagnostics)
    base = parts[0][1]
    if verify_base:
        diagnostics.extend(verify_base_part(base))
        raise_if_errors(diagnostics)
    diagnostics.extend(overlay_only_fields(base))
    raise_if_errors(diagnostics)

    bundle = MergedBundle()
    unknown: dict[str, Diagnostic] = {}
    removed: list[RemovedRelation] = []
    for index, (layer, part) in enumerate(parts):
        if name_unknown_applications and index > 0:
            unknown.update(_unknown_applications(bundle, part))
        if index:
            diagnostics.extend(_zero_scales(bundle, part))
        diagnostics.extend(merge_part(bundle, part, first=index == 0))
        diagnostics.extend(resolve_part(bundle, part, confine=confine_includes))
        last_of_layer = index + 1 == len(parts) or parts[index + 1][0] is not layer
        if last_of_layer and layer.spec is not None:
            diagnostics.extend(remove_relations(bundle, layer.spec.remove_relations, removed))
    diagnostics.extend(
        diagnostic
        for name, diagnostic in unknown.items()
        if name in bundle.applications and not bundle.applications[name].get("charm")
    )
    specs = [layer.spec for layer in layers if layer.spec is not None]
    branding = merged_branding(specs)
    diagnostics.extend(apply_branding(bundle, branding))
    raise_if_errors(diagnostics)

    emitted, provenance = freeze(bundle)
    info = _distro_info(
        layers,
        specs,
        {k: v.setting.value for k, v in branding.items()},
        variables or {},
        variable_origins or {},
    )
    return Composition(
        bundle=emitted,
        provenance=provenance,
        distro=info,
        inputs=_inputs(layers, bundle, root),
        warnings=diagnostics,
        removed_relations=removed,
    )


def _unknown_applications(bundle: MergedBundle, part: Part) -> dict[str, Diagnostic]:
    """The entries of `part` that add an application without a charm, by name."""
    found: dict[str, Diagnostic] = {}
    for name, spec in (part.data.get("applications") or {}).items():
        if spec is None or spec.get("charm") or name in bundle.applications:
            continue
        message = (
            f"application {quote(name)} does not exist in the bundle composed so far"
            f"{did_you_mean(name, bundle.applications)}: an overlay entry without a charm can"
            " only change an existing application"
        )
        found[name] = Diagnostic(message, part.document.origin(("applications", name)))
    return found


def _zero_scales(bundle: MergedBundle, part: Part) -> list[Diagnostic]:
    """Warn where an overlay writes `scale: 0` for an existing application (Juju ignores it)."""
    diagnostics: list[Diagnostic] = []
    document = part.document
    written = document.value.get("applications") if isinstance(document.value, dict) else None
    for name, spec in (written if isinstance(written, dict) else {}).items():
        scale = spec.get("scale") if isinstance(spec, dict) else None
        if scale == 0 and not isinstance(scale, bool) and name in bundle.applications:
            message = (
                f'"scale: 0" for application {quote(name)} changes nothing in an overlay (Juju'
                " reads a zero scale as unset): write num_units: 0 to remove its units"
            )
            origin = document.origin(("applications", name, "scale"))
            diagnostics.append(Diagnostic(message, origin, severity=WARNING))
    return diagnostics


def _distro_info(
    layers: Sequence[Layer],
    specs: Sequence[DistroSpec],
    branding: dict[str, str],
    variables: Mapping[str, Any],
    variable_origins: Mapping[str, Origin | None],
) -> DistroInfo:
    metadata: dict[str, str] = {}
    origins: dict[str, Origin | None] = {}
    for spec in specs:
        metadata.update({key: setting.value for key, setting in spec.metadata.items()})
        origins.update({key: setting.origin for key, setting in spec.metadata.items()})
        if spec.registry is not None:
            metadata["registry"] = spec.registry.value
            origins["registry"] = spec.registry.origin
    origins.update({f"vars.{name}": variable_origins.get(name) for name in variables})
    chain = tuple(layer.name for layer in layers[1:])
    charms = next(
        (spec.charms for spec in reversed(specs) if spec.charms is not None), CharmSourcing()
    )
    return DistroInfo(
        **metadata,
        chain=chain,
        branding=branding,
        vars={name: plain(value) for name, value in sorted(variables.items())},
        origins=origins,
        charms=charms,
    )


def _inputs(
    layers: Sequence[Layer], bundle: MergedBundle, root: Path | None
) -> list[tuple[str, str]]:
    """Every file that went into the composition with its sha256, in the order first used."""
    digests: dict[Path, str] = {}
    for layer in layers:
        for source in layer.sources:
            digests.setdefault(source.path, source.sha256)
    for path, digest in bundle.includes.items():
        digests.setdefault(path, digest)
    return [(_shown(path, root), digest) for path, digest in digests.items()]


def _shown(path: Path, root: Path | None) -> str:
    """`path` relative to `root` (POSIX separators) when inside it, else absolute."""
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return path.as_posix()


def compose_distribution(
    project: Project, overlays: Sequence[str], settings: Sequence[str]
) -> Composition:
    """Compose the base with `overlays` (their chains) and ``--set`` assignments."""
    inputs = build_inputs(project, overlays, parse_settings(settings))
    used = {name: inputs.variables[name] for name in inputs.used}
    try:
        composition = compose(
            inputs.layers,
            confine_includes=True,
            name_unknown_applications=True,
            variables=used,
            variable_origins=inputs.origins,
            root=project.root,
        )
    except InputError as error:
        raise InputError(inputs.sources.annotate(error.diagnostics)) from None
    return composition._replace(variable_sources=inputs.sources)
