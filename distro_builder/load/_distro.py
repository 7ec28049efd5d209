"""The builder's own ``distro:`` section: metadata, extends, vars, branding, charms, relations.

This section never reaches the emitted bundle. Unlike Juju's sections it is strict: an unknown
key is an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from distro_builder.core import Diagnostic, Document, NodePath, Origin
from distro_builder.juju import describe, parse_charm_url, parse_endpoint, quote

from ._values import written

SECTION = "distro"
METADATA_KEYS = ("name", "version", "vendor", "description")
BRANDING_KEYS = ("product-name", "logo", "primary-color")
KNOWN_KEYS = (*METADATA_KEYS, "extends", "vars", "branding", "charms", "remove-relations")
KNOWN_KEYS += ("registry",)
VALID_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")  # fullmatch: "$" would allow a "\n"
VALID_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LOCAL = "local"
CHARMHUB = "charmhub"
CHARM_SOURCES = (LOCAL, CHARMHUB)
CHARMS_KEYS = ("source", "prefix", "channel", "revision")


class Setting(NamedTuple):
    """A value of the distro section and where it was written."""

    value: str
    origin: Origin


class CharmSourcing(NamedTuple):
    """``distro.charms``: where the distribution's charms of this repository come from.

    `local` (the default): packed into the distribution (``./charms/<file>.charm``);
    `charmhub`: the vendor's own Charmhub names, `prefix` + the charm's name, at `channel`
    and `revision`. `origins` holds the position of each field's value, `origin` the
    section's.
    """

    source: str = LOCAL
    prefix: str = ""
    channel: str | None = None
    revision: int | None = None
    origin: Origin | None = None
    origins: Mapping[str, Origin] = MappingProxyType({})


class RelationRemoval(NamedTuple):
    """A ``remove-relations`` entry: two endpoints (``app`` or ``app:endpoint``)."""

    endpoints: tuple[str, str]
    origin: Origin


@dataclass(slots=True)
class DistroSpec:
    """One layer's ``distro:`` section."""

    directory: Path
    origin: Origin | None = None
    metadata: dict[str, Setting] = field(default_factory=dict)
    extends: list[Setting] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    variable_origins: dict[str, Origin] = field(default_factory=dict)
    registry: Setting | None = None
    branding: dict[str, Setting] = field(default_factory=dict)
    charms: CharmSourcing | None = None
    remove_relations: list[RelationRemoval] = field(default_factory=list)


def split_distro(document: Document) -> tuple[Document, Any]:
    """Separate the ``distro:`` section from a document: (Juju document, raw section or None)."""
    value = document.value
    if not isinstance(value, dict) or SECTION not in value:
        return document, None
    rest = {key: item for key, item in value.items() if key != SECTION}
    juju = Document(
        source=document.source,
        index=document.index,
        value=rest,
        origins=document.origins,
        value_origins=document.value_origins,
        texts=document.texts,
    )
    return juju, value[SECTION]


def parse_distro(document: Document, raw: Any) -> tuple[DistroSpec, list[Diagnostic]]:
    """Parse the raw ``distro:`` section of `document`."""
    parser = _Parser(document)
    spec = DistroSpec(document.source.directory, document.origin((SECTION,)))
    if raw is None:
        return spec, []
    section = parser.mapping(raw, (SECTION,))
    for key, value in section.items():
        path = (SECTION, key)
        if key in METADATA_KEYS:
            setting = parser.scalar(value, path)
            if setting is not None:
                spec.metadata[key] = setting
        elif key == "extends":
            items = [value] if isinstance(value, str) else parser.sequence(value, path)
            for index, item in enumerate(items):
                item_path = path if isinstance(value, str) else (*path, index)
                setting = parser.scalar(item, item_path)
                if setting is not None:
                    spec.extends.append(setting)
        elif key in ("vars", "registry", "charms"):
            parser.settings(spec, key, value, path)
        elif key == "branding":
            spec.branding = parser.branding(value, path)
        elif key == "remove-relations":
            spec.remove_relations = parser.removals(value, path)
        else:
            known = ", ".join(KNOWN_KEYS)
            parser.error(path, f"unknown distro field {quote(key)} (known: {known})", key=True)
    name = spec.metadata.get("name")
    if name is not None and not VALID_NAME.fullmatch(name.value):
        message = (
            f"distro.name {quote(name.value)} must be 1-63 lower-case letters, digits, "
            "'.', '_' or '-' (it names the directory dist/<name>/)"
        )
        parser.diagnostics.append(Diagnostic(message, name.origin))
    return spec, parser.diagnostics


class _Parser:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.diagnostics: list[Diagnostic] = []

    def error(self, path: NodePath, message: str, *, key: bool = False) -> None:
        origin = self.document.origin(path) if key else self.document.value_origin(path)
        self.diagnostics.append(Diagnostic(message, origin))

    def expected(self, path: NodePath, what: str, value: Any) -> None:
        self.error(path, f"{'.'.join(map(str, path))}: expected {what}, got {describe(value)}")

    def mapping(self, value: Any, path: NodePath) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        if value is not None:
            self.expected(path, "a mapping", value)
        return {}

    def sequence(self, value: Any, path: NodePath) -> list[Any]:
        if isinstance(value, list):
            return value
        if value is not None:
            self.expected(path, "a list", value)
        return []

    def scalar(self, value: Any, path: NodePath) -> Setting | None:
        if value is None or isinstance(value, (dict, list)):
            self.expected(path, "a string", value)
            return None
        return Setting(self.document.text(path, value), self.document.value_origin(path))

    def settings(self, spec: DistroSpec, key: str, value: Any, path: NodePath) -> None:
        """`vars` (with their positions), `registry` or `charms` into `spec`."""
        if key == "vars":
            spec.variables, spec.variable_origins = self.variables(value, path)
        elif key == "charms":
            spec.charms = self.charms(value, path)
        else:
            spec.registry = self.scalar(value, path)

    def variables(self, value: Any, path: NodePath) -> tuple[dict[str, Any], dict[str, Origin]]:
        """The variables (numbers keeping their written text) and where each is set."""
        variables: dict[str, Any] = {}
        origins: dict[str, Origin] = {}
        for name, item in self.mapping(value, path).items():
            if not VALID_VARIABLE.fullmatch(name):
                message = f"variable name {quote(name)} must be a Python identifier"
                self.error((*path, name), message, key=True)
            variables[name] = written(item, self.document.text((*path, name), item))
            origins[name] = self.document.origin((*path, name))
        return variables, origins

    def branding(self, value: Any, path: NodePath) -> dict[str, Setting]:
        branding: dict[str, Setting] = {}
        for key, item in self.mapping(value, path).items():
            if key not in BRANDING_KEYS:
                known = ", ".join(BRANDING_KEYS)
                message = f"unknown branding field {quote(key)} (known: {known})"
                self.error((*path, key), message, key=True)
                continue
            setting = self.scalar(item, (*path, key))
            if setting is not None:
                branding[key] = setting
        return branding

    def charms(self, value: Any, path: NodePath) -> CharmSourcing:
        fields: dict[str, Any] = {}
        origins: dict[str, Origin] = {}
        for key, item in self.mapping(value, path).items():
            item_path = (*path, key)
            if key not in CHARMS_KEYS:
                known = ", ".join(CHARMS_KEYS)
                message = f"unknown distro.charms field {quote(str(key))} (known: {known})"
                self.error(item_path, message, key=True)
                continue
            origin = self.document.value_origin(item_path)
            if origin is not None:
                origins[key] = origin
            problem = _charms_field_problem(key, item)
            if problem is not None:
                self.error(item_path, f"distro.charms.{key}: {problem}")
                continue
            fields[key] = item if key == "revision" else self.document.text(item_path, item)
        sourcing = CharmSourcing(
            **fields, origin=self.document.origin(path), origins=MappingProxyType(origins)
        )
        if sourcing.source == LOCAL:
            for key in ("prefix", "channel", "revision"):
                if key in fields:
                    self.error((*path, key), f"distro.charms.{key}: only with source: charmhub")
        elif not sourcing.prefix and "source" in fields:
            self.error(
                path,
                'distro.charms: source charmhub needs a prefix (such as "acme-" for '
                "acme-osm-nbi): the bare names of this repository's charms belong to upstream "
                "OSM's charms on Charmhub",
                key=True,
            )
        elif sourcing.revision is not None and sourcing.channel is None:
            self.error(
                (*path, "revision"),
                "distro.charms.revision: a revision needs a channel (Juju keeps it for "
                "upgrades): add distro.charms.channel",
            )
        return sourcing

    def removals(self, value: Any, path: NodePath) -> list[RelationRemoval]:
        removals: list[RelationRemoval] = []
        for index, item in enumerate(self.sequence(value, path)):
            item_path = (*path, index)
            if not isinstance(item, list) or len(item) != 2:
                self.expected(item_path, "two endpoints like [pol:mysql, mariadb:mysql]", item)
                continue
            endpoints = [self.scalar(end, (*item_path, i)) for i, end in enumerate(item)]
            valid = True
            for side, setting in enumerate(endpoints):
                if setting is not None and parse_endpoint(setting.value) is None:
                    self.error(
                        (*item_path, side), f"invalid relation syntax {quote(setting.value)}"
                    )
                    valid = False
            first, second = endpoints
            if valid and first is not None and second is not None:
                origin = self.document.origin(item_path)
                removals.append(RelationRemoval((first.value, second.value), origin))
        return removals


def _charms_field_problem(key: str, value: Any) -> str | None:
    """What is wrong with the value of ``distro.charms.<key>`` (None: nothing)."""
    if key == "revision":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"expected a revision number (0 or more), got {describe(value)}"
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or value == "":
        return f"expected a string, got {describe(value)}"
    text = str(value)
    if key == "source" and text not in CHARM_SOURCES:
        return f'expected "{LOCAL}" or "{CHARMHUB}", got {quote(text)}'
    if key == "prefix":
        url, _ = parse_charm_url(text + "osm")
        if url is None or url.name != text + "osm" or url.revision is not None:
            return (
                f"{quote(text)} does not make valid charm names: use lower-case letters, "
                'digits and dashes, such as "acme-"'
            )
    return None
