"""Juju's overlay merge (``ReadAndMergeBundleData``), recording who wrote what.

The rules, as Juju 3.x applies them to each document after the first:

- an application (or SAAS) set to null is removed with every relation that names it;
- a new application is added as written; an existing one is merged field by field: scalars
  and lists replace, map fields (options, resources, storage, annotations, ...) merge key by
  key, an entry replacing the whole entry of the same key (an offer's endpoints and acl
  together), and a null map clears the whole map (an empty ``{}`` map changes nothing);
- a map entry is deleted only when its value is Go's zero value of a non-scalar type
  (``mergeStructs``, juju/charm v13 ``overlay.go``:678-687; the same code in juju/juju 3.6
  ``internal/charm/overlay.go``): null in ``options``, ``resources``, ``offers``, and null or
  ``{}`` in ``exposed-endpoints`` (a struct). A null entry of a string map is "" (see
  ``_schema``) and is set, not deleted. An application added as written keeps its null
  entries: a null option stays null (the charm default at deploy), a null resource fails
  verification, and a null offer crashes Juju's verification (nil pointer), so we refuse it;
- relations are appended; ``machines`` replaces the base machines wholesale; ``series``
  replaces the bundle series; the other top-level fields of an overlay are ignored;
- after each document, relative charm paths become absolute against that document's
  directory, and ``include-file://`` / ``include-base64://`` values of options and
  annotations are replaced by the content of the file they name, relative to that directory.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distro_builder.core import (
    DIRECTORY_PATH,
    MAX_FILE_BYTES,
    WARNING,
    Diagnostic,
    Document,
    InputFileError,
    NodePath,
    Origin,
    Provenance,
    Recorder,
    display_path,
    is_inside,
    read_input,
)

from ._names import quote, quote_list
from ._schema import KUBERNETES, Part

INCLUDE_FILE = "include-file://"
INCLUDE_BASE64 = "include-base64://"
MAP_FIELDS = frozenset(
    {"resources", "options", "annotations", "storage", "devices", "bindings"}
    | {"exposed-endpoints", "offers"}
)
EXPOSED_ENDPOINTS = "exposed-endpoints"
OFFERS = "offers"
OVERLAY_IGNORED = ("bundle", "default-base", "description", "tags")
TOP_ORDER = (
    "description",
    "tags",
    "bundle",
    "series",
    "default-base",
    "saas",
    "applications",
    "machines",
    "relations",
)
APPLICATION_ORDER = (
    "charm",
    "channel",
    "revision",
    "base",
    "series",
    "num_units",
    "to",
    "trust",
    "expose",
    "exposed-endpoints",
    "constraints",
    "resources",
    "storage",
    "devices",
    "bindings",
    "options",
    "annotations",
    "offers",
    "plan",
)
MACHINE_ORDER = ("constraints", "base", "series", "annotations")
SAAS_ORDER = ("url",)
_SECTIONS = (
    ("applications", APPLICATION_ORDER),
    ("saas", SAAS_ORDER),
    ("machines", MACHINE_ORDER),
)
_ALIASES = {"num_units": "scale", "to": "placement"}
_TOP_FIELDS = ("bundle", "series", "default-base", "description", "tags")


@dataclass(slots=True)
class Relation:
    """One relation of the bundle with the positions of its entry and endpoints."""

    endpoints: list[str]
    origin: Origin
    endpoint_origins: list[Origin]

    def mentions(self, application: str) -> bool:
        """Juju's rule for dropping relations with an application: ``app`` or ``app:*``.

        A relation without exactly two endpoints is kept for verification to report
        (``removeRelations``, juju/charm v13 ``overlay.go``:604-619).
        """
        if len(self.endpoints) != 2:
            return False
        return any(ep == application or ep.startswith(f"{application}:") for ep in self.endpoints)


@dataclass(slots=True)
class MergedBundle:
    """The bundle being composed, with the provenance of each value."""

    top: dict[str, Any] = field(default_factory=dict)
    applications: dict[str, dict[str, Any]] = field(default_factory=dict)
    saas: dict[str, dict[str, Any]] = field(default_factory=dict)
    machines: dict[str, dict[str, Any]] | None = None
    relations: list[Relation] = field(default_factory=list)
    recorder: Recorder = field(default_factory=Recorder)
    includes: dict[Path, str] = field(default_factory=dict)

    @property
    def kubernetes(self) -> bool:
        """Whether this is a Kubernetes bundle."""
        return self.top.get("bundle") == KUBERNETES

    def remove(self, section: str, name: str) -> None:
        """Remove an application (or SAAS entry) and every relation naming it."""
        getattr(self, section).pop(name, None)
        self.recorder.drop((section, name))
        self.relations = [relation for relation in self.relations if not relation.mentions(name)]


def merge_part(bundle: MergedBundle, part: Part, *, first: bool) -> list[Diagnostic]:
    """Apply one decoded document: the base when `first`, else an overlay."""
    diagnostics: list[Diagnostic] = []
    document = part.document
    data = part.data
    if first:
        for key in _TOP_FIELDS:
            if key in data:
                bundle.top[key] = data[key]
                bundle.recorder.record((), (key,), document.origin((key,)))
    else:
        diagnostics.extend(_ignored_top_level(bundle, part))
        if data.get("series"):
            bundle.top["series"] = data["series"]
            bundle.recorder.record((), ("series",), document.origin(("series",)))
    _record_sections(bundle, part)
    for section in ("applications", "saas"):
        for name, spec in (data.get(section) or {}).items():
            diagnostics.extend(_merge_entity(bundle, document, section, name, spec, first))
    for index, endpoints in enumerate(data.get("relations") or []):
        origins = [document.origin(("relations", index, i)) for i in range(len(endpoints))]
        origin = document.origin(("relations", index))
        bundle.relations.append(Relation(list(endpoints), origin, origins))
    if data.get("machines") is not None:
        for name in list(bundle.machines or {}):
            bundle.recorder.drop(("machines", name))
        bundle.machines = {}
        for name, spec in data["machines"].items():
            diagnostics.extend(_add_entity(bundle, document, "machines", name, spec or {}))
    return diagnostics


def _record_sections(bundle: MergedBundle, part: Part) -> None:
    """Record where each section is written: a whole-section finding points at its key."""
    for section in ("applications", "saas", "machines"):
        if part.data.get(section) is not None:
            bundle.recorder.record((), (section,), part.document.origin((section,)))


def _ignored_top_level(bundle: MergedBundle, part: Part) -> Iterator[Diagnostic]:
    """Warn when an overlay sets a top-level field Juju ignores in overlays."""
    for key in OVERLAY_IGNORED:
        if key in part.data and part.data[key] != bundle.top.get(key, part.data[key]):
            value = part.data[key]
            shown = quote_list(value) if isinstance(value, list) else quote(value)
            message = f"{key} {shown} in an overlay is ignored by Juju"
            yield Diagnostic(message, part.document.origin((key,)), severity=WARNING)


def _merge_entity(
    bundle: MergedBundle,
    document: Document,
    section: str,
    name: str,
    spec: dict[str, Any] | None,
    first: bool,
) -> list[Diagnostic]:
    entities = bundle.applications if section == "applications" else bundle.saas
    if spec is None:
        if first and section == "applications":
            message = f"base application {quote(name)} has no body"
            return [Diagnostic(message, document.origin((section, name)))]
        bundle.remove(section, name)
        return []
    if name not in entities:
        return _add_entity(bundle, document, section, name, spec)
    scope = (section, name)
    target = entities[name]
    recorder = bundle.recorder
    recorder.record(scope, (), document.origin(scope))
    diagnostics: list[Diagnostic] = []
    for key, value in spec.items():
        path = _field_path(document, scope, key)
        recorder.record(scope, (key,), document.origin(path))
        if key not in MAP_FIELDS:
            target[key] = value
            continue
        if value is None:
            target[key] = {}
            recorder.drop(scope, (key,))
            recorder.record(scope, (key,), document.origin(path))
            continue
        merged = target.get(key) or {}
        target[key] = merged
        for item, item_value in value.items():
            if item_value is None or (key == EXPOSED_ENDPOINTS and not item_value):
                if item_value is not None:
                    diagnostics.append(_empty_endpoint_deletes(document, (*path, item)))
                merged.pop(item, None)
                recorder.drop(scope, (key, item))
            else:
                merged[item] = item_value
            recorder.record(scope, (key, item), document.origin((*path, item)))
    return diagnostics


def _empty_endpoint_deletes(document: Document, path: NodePath) -> Diagnostic:
    """Juju's zero ExposedEndpointSpec counts as null in mergeStructs: ``{}`` deletes."""
    message = (
        f"exposed endpoint {quote(str(path[-1]))} written {{}} is deleted by Juju, as if null "
        "(an empty exposed endpoint is the zero value)"
    )
    return Diagnostic(message, document.origin(path), severity=WARNING)


def _add_entity(
    bundle: MergedBundle, document: Document, section: str, name: str, spec: dict[str, Any]
) -> list[Diagnostic]:
    """Add an entity as written (``applyOverlay`` keeps its decoded spec); record who wrote it.

    A null offer is Juju's nil pointer, which its verification dereferences: refused.
    """
    scope = (section, name)
    entity: dict[str, Any] = {}
    recorder = bundle.recorder
    recorder.drop(scope)
    recorder.record(scope, (), document.origin(scope))
    diagnostics: list[Diagnostic] = []
    for key, value in spec.items():
        path = _field_path(document, scope, key)
        recorder.record(scope, (key,), document.origin(path))
        if isinstance(value, dict):
            for item, entry in value.items():
                recorder.record(scope, (key, item), document.origin((*path, item)))
                if entry is None and key == OFFERS:
                    diagnostics.append(_null_offer(document, (*path, item), name))
            if key == EXPOSED_ENDPOINTS:
                value = {item: entry or {} for item, entry in value.items()}
            else:
                value = dict(value)
        entity[key] = value
    getattr(bundle, section)[name] = entity
    return diagnostics


def _null_offer(document: Document, path: NodePath, application: str) -> Diagnostic:
    # juju/charm v13 bundledata.go:707-712 ranges over oSpec.Endpoints of every offer: a nil
    # offer (null in an application that is added, not merged) panics there.
    message = (
        f"offer {quote(str(path[-1]))} of application {quote(application)} is null: Juju 3 "
        "crashes verifying it (a nil offer); only an overlay merging into an existing "
        "application deletes an offer with null"
    )
    return Diagnostic(message, document.origin(path))


def _field_path(document: Document, scope: NodePath, key: str) -> NodePath:
    """The document path of a field, seeing through Juju's scale/placement normalisation."""
    path = (*scope, key)
    alias = _ALIASES.get(key)
    if alias and path not in document.origins:  # normalised from the alias
        return (*scope, alias)
    return path


def resolve_part(bundle: MergedBundle, part: Part, *, confine: bool) -> list[Diagnostic]:
    """Resolve relative charm paths and include directives against `part`'s directory.

    Juju rescans every application after each document; values resolved earlier hold no
    directive any more, so resolving only the entries this document wrote gives the same
    bundle in linear time. With `confine`, an include must stay inside the document's
    directory (distro-builder's rule for overlays; Juju itself reads any path).
    """
    directory = part.document.source.directory
    resolver = _IncludeResolver(bundle, directory, confine)
    diagnostics: list[Diagnostic] = []
    for name in part.data.get("applications") or {}:
        app = bundle.applications.get(name)
        if app is None:
            continue
        charm = app.get("charm")
        if isinstance(charm, str) and charm.startswith("."):
            app["charm"] = os.path.abspath(directory / charm)
        for key in ("options", "annotations"):
            what = "option" if key == "options" else "annotation"
            context = f"processing {what} {{}} for application {quote(name)}"
            scope = ("applications", name)
            diagnostics.extend(resolver.resolve_map(app.get(key), scope, key, context))
    if part.data.get("machines") is not None:
        for name, machine in (bundle.machines or {}).items():
            context = f"processing annotation {{}} for machine {quote(name)}"
            annotations = machine.get("annotations")
            scope = ("machines", name)
            diagnostics.extend(resolver.resolve_map(annotations, scope, "annotations", context))
    return diagnostics


class _IncludeResolver:
    """Replaces include directives in a map with file contents, one directory at a time."""

    def __init__(self, bundle: MergedBundle, directory: Path, confine: bool) -> None:
        self.bundle = bundle
        self.directory = directory
        self.confine = confine

    def resolve_map(
        self, values: dict[str, Any] | None, scope: NodePath, key: str, context: str
    ) -> Iterator[Diagnostic]:
        """Resolve the include directives among `values` (``scope + (key,)``) in place."""
        if values is None:
            return
        for name, value in values.items():
            if not isinstance(value, str):
                continue
            for directive, encode in _DIRECTIVES:
                if not value.startswith(directive):
                    continue
                try:
                    values[name] = encode(self._read(value[len(directive) :]))
                except _IncludeError as problem:
                    origin = self._origin(scope, (key, name))
                    yield Diagnostic(f"{context.format(quote(name))}: {problem}", origin)
                break

    def _origin(self, scope: NodePath, sub: NodePath) -> Origin | None:
        return self.bundle.recorder.last(scope, sub)

    def _read(self, relative: str) -> bytes:
        """Read an include; raises :class:`_IncludeError` with Juju's wording of a problem."""
        prefix = f"resolving include {quote(relative)}"
        path = Path(os.path.normpath(self.directory / relative))
        shown = quote(display_path(path))
        if self.confine and not is_inside(path, self.directory):
            where = display_path(self.directory)
            raise _IncludeError(
                f"{prefix}: include path escapes the directory of its file ({where})"
            )
        try:
            data = read_input(path, MAX_FILE_BYTES)
        except InputFileError as error:
            if error.missing:
                raise _IncludeError(f"{prefix}: include file {shown} not found") from None
            if error.reason == DIRECTORY_PATH:
                raise _IncludeError(
                    f"{prefix}: include path {shown} resolves to a folder"
                ) from None
            raise _IncludeError(f"{prefix}: include file {shown} {error.reason}") from None
        self.bundle.includes[path] = hashlib.sha256(data).hexdigest()
        return data


class _IncludeError(Exception):
    """An include that cannot be read (the message says why, in Juju's words)."""


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


_DIRECTIVES: tuple[tuple[str, Callable[[bytes], str]], ...] = (
    (INCLUDE_FILE, _text),
    (INCLUDE_BASE64, _base64),
)


def freeze(bundle: MergedBundle) -> tuple[dict[str, Any], Provenance]:
    """The bundle as it will be emitted (canonical order, zero values omitted) and its provenance.

    Kubernetes bundles spell the unit count ``scale``.
    """
    recorder = bundle.recorder
    if bundle.kubernetes:
        for name in bundle.applications:
            recorder.rename(("applications", name), "num_units", "scale")
    sections: dict[str, dict[str, Any]] = {}
    for section, order in _SECTIONS:
        entities = getattr(bundle, section) or {}
        names = sorted(entities, key=_natural) if section == "machines" else sorted(entities)
        sections[section] = {
            name: _ordered(entities[name], order, bundle.kubernetes) for name in names
        }
    relations = [list(relation.endpoints) for relation in bundle.relations]
    extra: dict[NodePath, list[Origin]] = {}
    for index, relation in enumerate(bundle.relations):
        extra[("relations", index)] = [relation.origin]
        for side, origin in enumerate(relation.endpoint_origins):
            extra[("relations", index, side)] = [origin]
    values = {**bundle.top, **sections, "relations": relations}
    result = {key: values[key] for key in TOP_ORDER if _present(values.get(key))}
    return result, recorder.freeze(extra)


def _ordered(spec: dict[str, Any], order: tuple[str, ...], kubernetes: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key in order:
        value = spec.get(key)
        if (key == "revision" and value is not None) or _present(value):
            name = "scale" if key == "num_units" and kubernetes else key
            result[name] = dict(sorted(value.items())) if isinstance(value, dict) else value
    return result


def _present(value: Any) -> bool:
    """Juju's omitempty: zero values (None, "", 0, false, empty list or map) are left out."""
    return (
        value is not None
        and value != ""
        and value is not False
        and value != 0
        and (not isinstance(value, (list, dict)) or len(value) > 0)
    )


def _natural(name: str) -> tuple[int, int | str]:
    return (0, int(name)) if name.isdigit() else (1, name)
