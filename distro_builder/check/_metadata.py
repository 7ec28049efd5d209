"""Charm metadata: the facts about a charm that a bundle is checked against.

A charm's facts are its endpoints (interface, role, `limit`, `optional`), config options
(type, default), resources, storage and containers, read from any of the places a charm
describes itself:

- `charmcraft.yaml` (with `metadata.yaml` / `config.yaml` beside it when the charm still uses
  them, merged as charmcraft does);
- `metadata.yaml` (+ `config.yaml` beside it);
- a packed `.charm` file (a zip with `metadata.yaml` and `config.yaml`, or `charmcraft.yaml`).

What a charm cannot say in those files (charmcraft refuses unknown keys) lives beside them as
builder-side rules (see `distro_builder.check._rules`): value constraints for options and
whether the charm runs as a single unit.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from distro_builder.core import file_problem, is_dir, is_file, open_regular, quote

from ._meta_yaml import (
    MAX_METADATA_BYTES,
    MetaError,
    decode_text,
    expect_mapping,
    parse_yaml,
    read_yaml_file,
)
from ._rules import CharmRules

Role = Literal["provides", "requires", "peers"]
ROLES: tuple[Role, ...] = ("provides", "requires", "peers")
OPTION_TYPES = ("string", "int", "float", "boolean", "secret")
DEFAULT_OPTION_TYPE = "string"
DEFAULT_RESOURCE_TYPE = "file"
DEFAULT_STORAGE_TYPE = "filesystem"
UPSTREAM_SOURCE = "upstream-source"

CHARMCRAFT_YAML = "charmcraft.yaml"
METADATA_YAML = "metadata.yaml"
CONFIG_YAML = "config.yaml"
CHARM_SUFFIX = ".charm"
_ENCRYPTED = 0x1  # zip general-purpose flag: the member is encrypted
EMPTY: Mapping[str, Any] = MappingProxyType({})  # the default of CharmMeta's mappings


class Endpoint(NamedTuple):
    """One relation endpoint of a charm.

    `optional` is None when the charm does not say (Juju then treats the endpoint as
    informational only, and so do we).
    """

    name: str
    role: Role
    interface: str
    limit: int | None = None
    optional: bool | None = None


class ConfigOption(NamedTuple):
    """One config option: its Juju type and default."""

    name: str
    type: str
    default: object = None


class CharmMeta(NamedTuple):
    """Everything distro-builder knows about one charm.

    Attributes:
        name: the charm's name (`osm-nbi`, `mongodb-k8s`).
        source: where the facts were read, for messages.
        endpoints: relation endpoints by name, across provides, requires and peers.
        options: config options by name.
        resources: resource types (`oci-image`, `file`) by resource name.
        resource_defaults: the image an OCI-image resource runs when a bundle sets none
            (`upstream-source`), by resource name, where the charm says.
        storage: storage types (`filesystem`, `block`) by storage name.
        containers: the resource each container runs, by container name.
        subordinate: whether the charm is a subordinate.
        rules: builder-side declarations (value constraints, single unit).
        channel: the Charmhub channel the facts describe, when known.
        revision: the Charmhub revision the facts describe, when known.
        external: whether the charm comes from outside this repository (the catalog).
        provided: for an external charm, what it writes on its provider endpoints (by
            endpoint: `app-data` and `unit-data` maps), as its descriptor documents it for
            `distro-builder simulate`; empty when undocumented.
        platforms: the keys of charmcraft.yaml's `platforms:`, which name its packed files.
    """

    name: str
    source: str
    endpoints: Mapping[str, Endpoint] = EMPTY
    options: Mapping[str, ConfigOption] = EMPTY
    resources: Mapping[str, str] = EMPTY
    resource_defaults: Mapping[str, str] = EMPTY
    storage: Mapping[str, str] = EMPTY
    containers: Mapping[str, str | None] = EMPTY
    subordinate: bool = False
    rules: CharmRules = CharmRules()
    channel: str | None = None
    revision: int | None = None
    external: bool = False
    provided: Mapping[str, Mapping[str, Mapping[str, str]]] = EMPTY
    platforms: tuple[str, ...] = ()


def parse_charm_metadata(data: object, source: str) -> CharmMeta:
    """Build a CharmMeta from charmcraft.yaml-shaped data (metadata keys + `config.options`).

    Args:
        data: the parsed YAML document.
        source: where it came from, for messages.

    Raises:
        MetaError: when a required fact is missing or has the wrong shape.
    """
    document = expect_mapping(data, source, "the document")
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise MetaError(source, 'missing the charm "name"')
    config = expect_mapping(document.get("config") or {}, source, "config")
    return CharmMeta(
        name=name,
        source=source,
        endpoints=_endpoints(document, source),
        options=_options(config.get("options") or {}, source),
        resources=_typed_names(document, "resources", DEFAULT_RESOURCE_TYPE, source),
        resource_defaults=_upstream_sources(document),
        storage=_typed_names(document, "storage", DEFAULT_STORAGE_TYPE, source),
        containers=_containers(document, source),
        subordinate=document.get("subordinate") is True,
        platforms=tuple(
            map(str, expect_mapping(document.get("platforms") or {}, source, "platforms"))
        ),
    )


def read_charm_source(path: Path) -> dict[str, object]:
    """Read a charm's self-description into one charmcraft.yaml-shaped mapping.

    Args:
        path: a packed `.charm`, a `charmcraft.yaml`, a `metadata.yaml` or a charm directory.

    Raises:
        MetaError: when the path holds no charm metadata or it is not valid YAML.
    """
    if is_dir(path):
        for candidate in (CHARMCRAFT_YAML, METADATA_YAML):
            if is_file(path / candidate):
                return read_charm_source(path / candidate)
        raise MetaError(str(path), f"no {CHARMCRAFT_YAML} or {METADATA_YAML} in directory")
    if path.suffix == CHARM_SUFFIX:
        return _read_packed(path)
    return _merge_documents(
        read_yaml_file(path),
        read_yaml_file(path.with_name(METADATA_YAML), missing_ok=True)
        if path.name == CHARMCRAFT_YAML
        else None,
        read_yaml_file(path.with_name(CONFIG_YAML), missing_ok=True),
        str(path),
    )


def _read_packed(path: Path) -> dict[str, object]:
    """Read metadata.yaml + config.yaml (or charmcraft.yaml) from a packed charm.

    Raises:
        MetaError: for anything but a readable zip archive holding charm metadata (a special
            file, an unsupported compression method, an encrypted member, text that is not
            UTF-8 or not YAML).
    """
    try:
        with open_regular(path) as handle, zipfile.ZipFile(handle) as archive:
            members = {info.filename: info for info in archive.infolist()}

            def member(name: str) -> object:
                info = members.get(name)
                if info is None:
                    return None
                where = f"{path}!{name}"
                if info.file_size > MAX_METADATA_BYTES:
                    raise MetaError(where, "is too large for charm metadata")
                if info.flag_bits & _ENCRYPTED:
                    raise MetaError(where, "is encrypted")
                data = archive.open(info).read(MAX_METADATA_BYTES + 1)
                return parse_yaml(decode_text(data, where), where)

            main = member(METADATA_YAML) or member(CHARMCRAFT_YAML)
            if main is None:
                raise MetaError(str(path), f"has no {METADATA_YAML} or {CHARMCRAFT_YAML}")
            return _merge_documents(main, None, member(CONFIG_YAML), str(path))
    except OSError as error:
        reason = file_problem(error) or f"cannot be read: {error.strerror or error}"
        raise MetaError(str(path), reason) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as error:
        raise MetaError(str(path), f"is not a readable charm archive: {error}") from None
    except (EOFError, ValueError, zlib.error) as error:
        message = f"is not a readable charm archive: {error or type(error).__name__}"
        raise MetaError(str(path), message) from None


def _merge_documents(
    main: object, metadata: object, config: object, source: str
) -> dict[str, object]:
    """Merge split metadata files into one mapping, the way charmcraft does."""
    merged = dict(expect_mapping(main, source, "the document"))
    if metadata is not None:
        for key, value in expect_mapping(metadata, source, METADATA_YAML).items():
            merged.setdefault(key, value)
    if config is not None and "config" not in merged:
        merged["config"] = config
    return merged


def _endpoints(document: Mapping[str, object], source: str) -> dict[str, Endpoint]:
    endpoints: dict[str, Endpoint] = {}
    for role in ROLES:
        for name, spec in expect_mapping(document.get(role) or {}, source, role).items():
            where = f"{role}.{name}"
            if name in endpoints:
                raise MetaError(source, f"{where}: endpoint is declared twice")
            body = (
                {"interface": spec}
                if isinstance(spec, str)
                else expect_mapping(spec, source, where)
            )
            interface, limit, optional = (
                body.get("interface"),
                body.get("limit"),
                body.get("optional"),
            )
            if not isinstance(interface, str) or not interface:
                raise MetaError(source, f'{where}: missing "interface"')
            if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
                raise MetaError(source, f'{where}: "limit" must be an integer')
            if optional is not None and not isinstance(optional, bool):
                raise MetaError(source, f'{where}: "optional" must be true or false')
            endpoints[name] = Endpoint(
                name=name, role=role, interface=interface, limit=limit, optional=optional
            )
    return endpoints


def _options(options: object, source: str) -> dict[str, ConfigOption]:
    parsed: dict[str, ConfigOption] = {}
    for name, spec in expect_mapping(options, source, "config.options").items():
        body = expect_mapping(spec or {}, source, f"config.options.{name}")
        option_type = body.get("type", DEFAULT_OPTION_TYPE)
        if option_type not in OPTION_TYPES:
            raise MetaError(
                source,
                f"config.options.{name}: unknown type {quote(str(option_type))}"
                f" (use one of {', '.join(OPTION_TYPES)})",
            )
        parsed[name] = ConfigOption(name, str(option_type), body.get("default"))
    return parsed


def _typed_names(
    document: Mapping[str, object], key: str, default_type: str, source: str
) -> dict[str, str]:
    names: dict[str, str] = {}
    for name, spec in expect_mapping(document.get(key) or {}, source, key).items():
        body = expect_mapping(spec or {}, source, f"{key}.{name}")
        names[name] = str(body.get("type", default_type))
    return names


def _upstream_sources(document: Mapping[str, object]) -> dict[str, str]:
    """`upstream-source` of each resource that states one (shapes are checked elsewhere)."""
    resources = document.get("resources")
    found: dict[str, str] = {}
    for name, spec in resources.items() if isinstance(resources, Mapping) else ():
        source = spec.get(UPSTREAM_SOURCE) if isinstance(spec, Mapping) else None
        if isinstance(source, str) and source:
            found[str(name)] = source
    return found


def _containers(document: Mapping[str, object], source: str) -> dict[str, str | None]:
    containers: dict[str, str | None] = {}
    for name, spec in expect_mapping(
        document.get("containers") or {}, source, "containers"
    ).items():
        resource = expect_mapping(spec or {}, source, f"containers.{name}").get("resource")
        containers[name] = resource if isinstance(resource, str) else None
    return containers
