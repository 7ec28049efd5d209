"""Juju's bundle schema: decode one YAML document into a typed :class:`Part`.

Decoding follows what Juju's YAML decoder (gopkg.in/yaml.v2 into ``charm.BundleData``) does:
any scalar reads as a string for a string field (``channel: 3.10`` is "3.10"), null gives the
field's zero value while still counting as present (an overlay can set ``trust: false``), and
``scale``/``placement`` are normalised into ``num_units``/``to`` per document. Where Juju only
warns (unknown fields) we warn; where it would silently drop a mistyped value we report an error.

Juju's types decide what a null entry of a map field is (juju/charm v13 ``bundledata.go``
:94-243, the same in juju/juju 3.6 ``internal/charm/bundledata.go``): ``options`` and
``resources`` are ``map[string]interface{}`` (null stays null), ``offers`` a map of pointers
(null stays nil), ``exposed-endpoints`` a map of structs (null is the empty struct), and
``annotations``, ``storage``, ``devices``, ``bindings`` (and machine annotations, an offer's
``acl``) are ``map[string]string``: yaml.v2 decodes null there as "", so the key stays, with
an empty value, and we warn at it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from distro_builder.core import WARNING, Diagnostic, Document, NodePath

from ._names import is_valid_application, quote

KUBERNETES = "kubernetes"
OVERLAY_ONLY_FIELDS = ("exposed-endpoints", "offers")


@dataclass(slots=True)
class Part:
    """One decoded bundle document: only the fields present in it, typed as Juju types them.

    ``data["applications"]`` maps each name to None (remove it) or a dict of present fields;
    a map field (options, resources, storage, annotations, ...) holds None for an entry
    written null: the merge deletes that key.
    """

    document: Document
    data: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def describe(value: object) -> str:
    """A short description of a decoded YAML value, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return quote(value)
    return str(value)


def _kind(value: object) -> str:
    """What sort of value `value` is, without showing it."""
    if isinstance(value, (dict, list)) or value is None:
        return describe(value)
    if isinstance(value, str):
        return "a string"
    return "a boolean" if isinstance(value, bool) else "a number"


def dotted(path: NodePath) -> str:
    """A node path as Juju prints it: ``applications.nbi.options``."""
    return ".".join(str(item) for item in path)


class _Decoder:
    """Decodes values of one document, collecting diagnostics."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.diagnostics: list[Diagnostic] = []

    def error(self, path: NodePath, expected: str, value: object) -> None:
        if path:
            message = f"{dotted(path)}: expected {expected}, got {describe(value)}"
        else:  # a whole file that is no bundle: say what it holds, never echo its text
            message = f"expected {expected}, got {_kind(value)}"
        self.diagnostics.append(Diagnostic(message, self.document.value_origin(path)))

    def warn(self, path: NodePath, message: str) -> None:
        self.diagnostics.append(Diagnostic(message, self.document.origin(path), severity=WARNING))

    def string(self, value: Any, path: NodePath) -> Any:
        if isinstance(value, (dict, list)):
            self.error(path, "a string", value)
            return _INVALID
        return self.document.text(path, value)

    def integer(self, value: Any, path: NodePath) -> Any:
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, "an integer", value)
            return _INVALID
        return value

    def revision(self, value: Any, path: NodePath) -> Any:
        return None if value is None else self.integer(value, path)

    def boolean(self, value: Any, path: NodePath) -> Any:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(path, "true or false", value)
            return _INVALID
        return value

    def strings(self, value: Any, path: NodePath) -> Any:
        return self._list(value, path, "a list of strings", self.string)

    def _list(
        self, value: Any, path: NodePath, expected: str, decode: Callable[[Any, NodePath], Any]
    ) -> Any:
        """A list decoded item by item (null is empty); invalid when it or any item is."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, expected, value)
            return _INVALID
        items = [decode(item, (*path, index)) for index, item in enumerate(value)]
        return _INVALID if any(item is _INVALID for item in items) else items

    def mapping(self, value: Any, path: NodePath) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, "a mapping", value)
            return None
        return value

    def string_map(self, value: Any, path: NodePath) -> Any:
        """A ``map[string]string`` field: an entry written null is "" (and keeps its key)."""
        if value is None:
            return None
        items = self.mapping(value, path)
        if items is None:
            return _INVALID
        decoded: dict[str, Any] = {}
        for key, item in items.items():
            decoded[key] = self.string(item, (*path, key))
            if item is None:
                self.warn((*path, key), _null_string_entry(path, key))
        return _INVALID if any(item is _INVALID for item in decoded.values()) else decoded

    def any_map(self, value: Any, path: NodePath) -> Any:
        if value is None:
            return None
        items = self.mapping(value, path)
        return _INVALID if items is None else dict(items)

    def exposed_endpoints(self, value: Any, path: NodePath) -> Any:
        """Exposed endpoints; a field written null is left out (Go's nil slice).

        An entry is then Juju's zero ``ExposedEndpointSpec`` exactly when it decodes to ``{}``.
        """
        decoded = self._struct_map(value, path, _EXPOSED_ENDPOINT_FIELDS, "exposed endpoint")
        if not isinstance(decoded, dict):
            return decoded
        for endpoint, spec in decoded.items():
            raw = value[endpoint]
            if isinstance(spec, dict) and isinstance(raw, dict):
                decoded[endpoint] = {k: item for k, item in spec.items() if raw[k] is not None}
        return decoded

    def offers(self, value: Any, path: NodePath) -> Any:
        return self._struct_map(value, path, _OFFER_FIELDS, "offer")

    def _struct_map(self, value: Any, path: NodePath, fields: _Fields, what: str) -> Any:
        if value is None:
            return None
        items = self.mapping(value, path)
        if items is None:
            return _INVALID
        return {
            key: self.struct(item, (*path, key), fields, f"{what} {quote(key)}")
            for key, item in items.items()
        }

    def struct(self, value: Any, path: NodePath, fields: _Fields, what: str) -> Any:
        """Decode a struct-valued entry: None stays None (Juju: delete/remove it)."""
        if value is None:
            return None
        items = self.mapping(value, path)
        if items is None:
            return _INVALID
        decoded: dict[str, Any] = {}
        for key, item in items.items():
            decode = fields.get(key)
            if decode is None:
                self.warn((*path, key), f"unknown field {quote(key)} in {what} (Juju ignores it)")
                continue
            result = decode(self, item, (*path, key))
            if result is not _INVALID:
                decoded[key] = result
        return decoded

    def relations(self, value: Any, path: NodePath) -> Any:
        return self._list(value, path, "a list of relations", self.strings)


def _null_string_entry(path: NodePath, key: str) -> str:
    field = path[-1]
    return (
        f'{dotted((*path, key))}: Juju keeps this key with the value "" (null in a string '
        f"map is an empty string, not a deletion; {quote(f'{field}: null')} clears the whole "
        "map)"
    )


class _Invalid:
    """Marker for a value that failed to decode (its error is already reported)."""


_INVALID: Any = _Invalid()
_Fields = dict[str, Callable[[_Decoder, Any, NodePath], Any]]
_EXPOSED_ENDPOINT_FIELDS: _Fields = {
    "expose-to-spaces": _Decoder.strings,
    "expose-to-cidrs": _Decoder.strings,
}
_OFFER_FIELDS: _Fields = {"endpoints": _Decoder.strings, "acl": _Decoder.string_map}
APPLICATION_FIELDS: _Fields = {
    "charm": _Decoder.string,
    "channel": _Decoder.string,
    "revision": _Decoder.revision,
    "series": _Decoder.string,
    "base": _Decoder.string,
    "resources": _Decoder.any_map,
    "num_units": _Decoder.integer,
    "scale": _Decoder.integer,
    "to": _Decoder.strings,
    "placement": _Decoder.string,
    "expose": _Decoder.boolean,
    "exposed-endpoints": _Decoder.exposed_endpoints,
    "options": _Decoder.any_map,
    "annotations": _Decoder.string_map,
    "constraints": _Decoder.string,
    "storage": _Decoder.string_map,
    "devices": _Decoder.string_map,
    "bindings": _Decoder.string_map,
    "offers": _Decoder.offers,
    "plan": _Decoder.string,
    "trust": _Decoder.boolean,
}
MACHINE_FIELDS: _Fields = {
    "constraints": _Decoder.string,
    "annotations": _Decoder.string_map,
    "series": _Decoder.string,
    "base": _Decoder.string,
}
SAAS_FIELDS: _Fields = {"url": _Decoder.string}
TOP_LEVEL_SCALARS: _Fields = {
    "bundle": _Decoder.string,
    "series": _Decoder.string,
    "default-base": _Decoder.string,
    "description": _Decoder.string,
    "tags": _Decoder.strings,
    "relations": _Decoder.relations,
}
_ENTITIES = {"applications": APPLICATION_FIELDS, "machines": MACHINE_FIELDS, "saas": SAAS_FIELDS}
_WHAT = {"applications": "application", "machines": "machine", "saas": "SAAS"}


def decode_part(document: Document, *, ignore: frozenset[str] = frozenset()) -> Part:
    """Decode a bundle document (top-level keys in `ignore` are someone else's, e.g. distro)."""
    decoder = _Decoder(document)
    part = Part(document)
    value = document.value
    if value is None:
        return part
    if not isinstance(value, dict):
        decoder.error((), "a bundle (a mapping)", value)
        part.diagnostics = decoder.diagnostics
        return part
    for key, item in value.items():
        if key in ignore:
            continue
        if key in _ENTITIES:
            entities = _entities(decoder, key, item)
            if entities is not _INVALID:
                part.data[key] = entities
        elif key in TOP_LEVEL_SCALARS:
            decoded = TOP_LEVEL_SCALARS[key](decoder, item, (key,))
            if decoded is not _INVALID:
                part.data[key] = decoded
        elif key == "services":
            # juju/charm dropped the legacy alias in v9 (commit 420891a, "Remove legacy
            # services"), before Juju 3.0: Juju 3 decodes it as an unknown field and ignores
            # it, in the base as in an overlay (applyOverlay's 'services' error, overlay.go
            # :526-528 in v13, can no longer trigger).
            message = (
                'unknown top-level field "services" (Juju 3 ignores it: the legacy alias of '
                '"applications" is gone)'
            )
            decoder.warn((key,), message)
        else:
            decoder.warn((key,), f"unknown top-level field {quote(key)} (Juju ignores it)")
    _normalise(decoder, part)
    part.diagnostics = decoder.diagnostics
    return part


def _entities(decoder: _Decoder, section: str, value: Any) -> Any:
    """Decode `applications`, `machines` or `saas`: name -> None (remove) or fields."""
    if value is None:
        return None if section == "machines" else {}
    items = decoder.mapping(value, (section,))
    if items is None:
        return _INVALID
    fields = _ENTITIES[section]
    decoded: dict[str, Any] = {}
    for name, entity in items.items():
        path = (section, name)
        if section == "applications" and not is_valid_application(name):
            message = (
                f"invalid application name {quote(name)}: use lower-case letters, digits "
                "and single hyphens, starting with a letter"
            )
            decoder.diagnostics.append(Diagnostic(message, decoder.document.origin(path)))
            continue
        what = f"{_WHAT[section]} {quote(name)}"
        result = decoder.struct(entity, path, fields, what)
        if result is not _INVALID:
            decoded[name] = result
    return decoded


def _normalise(decoder: _Decoder, part: Part) -> None:
    """Juju's per-document normalisation: ``scale`` into ``num_units``, ``placement`` into ``to``.

    As in Juju, ``scale: 0`` and ``placement`` in an overlay end up changing nothing.
    """
    kubernetes = part.data.get("bundle") == KUBERNETES
    for name, app in (part.data.get("applications") or {}).items():
        if not app:
            continue
        path = ("applications", name)
        origin = decoder.document.origin(path)
        scale = app.pop("scale", 0)
        if scale and app.get("num_units"):
            message = f"cannot specify both scale and num_units for application {quote(name)}"
            decoder.diagnostics.append(Diagnostic(message, origin))
        elif scale:
            app["num_units"] = scale
        placement = app.pop("placement", "")
        if not placement:
            continue
        if not kubernetes:
            message = (
                f"placement ({placement}) not valid for non-Kubernetes application {quote(name)}"
            )
            decoder.diagnostics.append(Diagnostic(message, origin))
        elif app.get("to"):
            message = f"cannot specify both placement and to for application {quote(name)}"
            decoder.diagnostics.append(Diagnostic(message, origin))
        else:
            app["to"] = [placement]


def overlay_only_fields(part: Part) -> list[Diagnostic]:
    """Juju's refusal of overlay-only fields (offers, exposed-endpoints) in the base bundle."""
    diagnostics: list[Diagnostic] = []
    document = part.document
    for name, app in (part.data.get("applications") or {}).items():
        for key in OVERLAY_ONLY_FIELDS:
            if not app or app.get(key) is None:
                continue
            path = ("applications", name, key)
            found: list[NodePath] = [path]
            for entry, spec in app[key].items():
                found.extend((*path, entry, sub) for sub, value in (spec or {}).items() if value)
            diagnostics.extend(
                Diagnostic(
                    f"{dotted(p)} can only appear in an overlay section", document.origin(p)
                )
                for p in found
            )
    return diagnostics
