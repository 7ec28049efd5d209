"""Where charm facts come from: this repository's charms and the external charm catalog.

The catalog is a directory of descriptors, `charms/external/<charm>.yaml`, one per charm that
distributions use but this repository does not build (Canonical's `mongodb-k8s`, ...). A
descriptor holds the facts of charmcraft.yaml (endpoints, `config.options`, resources,
storage, containers) without the prose, plus the `channel`/`revision` it describes, where the
facts were read (`source`) and builder-side `rules` (see `distro_builder.check._rules`).
`import_descriptor` writes one from a packed charm or its metadata files.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import yaml

from distro_builder.core import MISSING_PATH, as_mapping, display_path, is_file, path_problem
from distro_builder.juju import is_local_charm, parse_charm_url

from ._meta_yaml import MetaError, expect_mapping, read_yaml_file
from ._metadata import (
    CHARM_SUFFIX,
    CHARMCRAFT_YAML,
    ROLES,
    UPSTREAM_SOURCE,
    CharmMeta,
    parse_charm_metadata,
    read_charm_source,
)
from ._rules import OPTION, RULES_FILE, CharmRules, parse_charm_rules

CHARMS_DIR = "charms"
CATALOG_DIR = "charms/external"
DESCRIPTOR_SUFFIX = ".yaml"
DESCRIPTOR_HEADER = (
    "# External charm descriptor: the facts distro-builder checks bundles against.\n"
    "# Refresh with `distro-builder catalog import FILE` (keeps channel, revision and rules).\n"
)
SIMULATION_KEY = "simulation"
SIMULATED_BAGS = ("app-data", "unit-data")
DESCRIPTOR_KEYS = frozenset(
    {"name", "channel", "revision", "source", "subordinate", "config", "resources", "storage"}
    | {"containers", "rules", SIMULATION_KEY, *ROLES}
)


def charm_name(reference: str) -> str:
    """The charm name in a bundle's `charm:` value (`ch:amd64/osm-nbi` -> `osm-nbi`).

    A local path names its charm by its file name (`osm-nbi_amd64.charm`) or directory; a
    reference Juju cannot parse is returned as it is.
    """
    if is_local_charm(reference):
        return Path(reference).name.split("_", 1)[0].removesuffix(CHARM_SUFFIX)
    url, _ = parse_charm_url(reference)
    return url.name if url is not None else reference


class CharmIndex:
    """Finds a charm's facts by its bundle reference, reading only the charms asked for.

    Order: a local path that exists; a packed file given for one of this repository's charms
    (:meth:`use_packed`); this repository's `charms/<dir>/charmcraft.yaml` (with the
    builder-side rules of `distro_builder/charm_rules.yaml`); the external catalog.
    """

    def __init__(self, root: Path, *, rules_file: Path = RULES_FILE) -> None:
        self.root = root
        self.rules_file = rules_file
        self._cache: dict[str, CharmMeta | None] = {}
        self._repo_cache: dict[str, CharmMeta | None] = {}
        self._packed: dict[str, Path] = {}
        self._repo_paths: dict[str, Path] | None = None
        self._catalog_paths: dict[str, Path] | None = None
        self._rules: Mapping[str, object] | None = None

    def use_packed(self, name: str, path: Path) -> None:
        """Take the facts of charm `name` from its packed file `path` from now on."""
        self._packed[name] = path
        self._cache.pop(name, None)

    def repo_charm(self, name: str) -> CharmMeta | None:
        """This repository's charm called `name` (its charmcraft.yaml), or None.

        Raises:
            MetaError: when its metadata or rules are malformed.
        """
        if name not in self._repo_cache:
            path = self.root / CHARMS_DIR / name / CHARMCRAFT_YAML
            descriptor = self.root / CATALOG_DIR / f"{name}{DESCRIPTOR_SUFFIX}"
            if not is_file(path) and not is_file(descriptor):
                path = self._repo_names().get(name, path)
            self._repo_cache[name] = self._read_repo_charm(path) if is_file(path) else None
        return self._repo_cache[name]

    @property
    def charms_dir(self) -> Path:
        """The directory that holds this repository's charms and the external catalog."""
        return self.root / CHARMS_DIR

    def find(self, reference: str, *, base_dir: Path | None = None) -> CharmMeta | None:
        """The facts of the charm a bundle names, or None when no source knows it.

        Args:
            reference: the application's `charm:` value.
            base_dir: the directory relative local paths are resolved against (default cwd).

        Raises:
            MetaError: when the charm's metadata, descriptor or rules are malformed.
        """
        if is_local_charm(reference):
            path = (base_dir or Path.cwd()) / reference
            problem = path_problem(path)
            if problem is None:
                return self._read_repo_charm(path)
            if problem != MISSING_PATH:
                raise MetaError(str(path), problem)
        name = charm_name(reference)
        if name not in self._cache:
            packed = self._packed.get(name)
            self._cache[name] = (
                self._lookup(name) if packed is None else self._read_packed(name, packed)
            )
        return self._cache[name]

    def _read_packed(self, name: str, path: Path) -> CharmMeta:
        """A packed charm's own facts, with the rules of the options it has.

        The rules follow this checkout's charm; a packed file of another version may lack
        an option they name, which its own facts then report where a bundle sets it.
        """
        source = display_path(path)
        meta = parse_charm_metadata(read_charm_source(path), source)
        if meta.name != name:
            raise MetaError(
                source, f'holds charm "{meta.name}", not "{name}": put the packed "{name}" there'
            )
        rules_source = display_path(self.rules_file)
        rules = self._repo_rules(name, rules_source)
        options = {key: rule for key, rule in rules.options.items() if key in meta.options}
        rules = rules._replace(options=MappingProxyType(options))
        return with_rules(meta, rules, rules_source, subject=name)

    def _lookup(self, name: str) -> CharmMeta | None:
        """Find a charm by file name first, else by the `name:` inside every file.

        File names (`charms/<name>/`, `charms/external/<name>.yaml`) cost a stat each; the
        `name:` keys cost reading every file, so they are read only for a name that misses.
        """
        repo = self.repo_charm(name)
        if repo is not None:
            return repo
        descriptor = self.root / CATALOG_DIR / f"{name}{DESCRIPTOR_SUFFIX}"
        if not is_file(descriptor):
            descriptor = self._catalog_names().get(name, descriptor)
        if is_file(descriptor):
            return read_descriptor(descriptor, self.root)
        return None

    def _read_repo_charm(self, path: Path) -> CharmMeta:
        meta = parse_charm_metadata(read_charm_source(path), display_path(path))
        source = display_path(self.rules_file)
        return with_rules(meta, self._repo_rules(meta.name, source), source, subject=meta.name)

    def _repo_names(self) -> dict[str, Path]:
        if self._repo_paths is None:
            paths = sorted((self.root / CHARMS_DIR).glob(f"*/{CHARMCRAFT_YAML}"))
            self._repo_paths = _names_of(paths)
        return self._repo_paths

    def _catalog_names(self) -> dict[str, Path]:
        if self._catalog_paths is None:
            paths = sorted((self.root / CATALOG_DIR).glob(f"*{DESCRIPTOR_SUFFIX}"))
            self._catalog_paths = _names_of(paths)
        return self._catalog_paths

    def _repo_rules(self, name: str, source: str) -> CharmRules:
        if self._rules is None:
            document = read_yaml_file(self.rules_file, missing_ok=True) or {}
            self._rules = expect_mapping(document, source, "the rules file")
        return parse_charm_rules(self._rules.get(name), source, self.root, subject=name)


def with_rules(
    meta: CharmMeta, rules: CharmRules, source: str, *, subject: str = "rules"
) -> CharmMeta:
    """`meta` carrying `rules`, which may only name options the charm has (and not secrets).

    Raises:
        MetaError: when a rule names an option the charm does not have, or a secret one.
    """
    unknown = sorted(set(rules.options) - set(meta.options))
    if unknown:
        message = f"{subject}: rules name options the charm does not have: {', '.join(unknown)}"
        raise MetaError(source, message)
    named = [term for rule in rules.combinations for term in (*rule.terms, rule.when) if term]
    strangers = sorted(
        {
            str(term)
            for term in named
            if term.name not in (meta.options if term.kind == OPTION else meta.endpoints)
        }
        | {f'endpoint "{name}"' for name in rules.relations if name not in meta.endpoints}
    )
    if strangers:
        message = f"{subject}: rules name what the charm does not have: {', '.join(strangers)}"
        raise MetaError(source, message)
    secrets = sorted(name for name in rules.options if meta.options[name].type == "secret")
    if secrets:
        raise MetaError(
            source,
            f"{subject}: rules cannot check secret options (their value is a secret URI):"
            f" {', '.join(secrets)}",
        )
    return meta._replace(rules=rules)


def read_descriptor(path: Path, root: Path) -> CharmMeta:
    """Read one catalog descriptor.

    Raises:
        MetaError: when the descriptor is malformed.
    """
    source = display_path(path)
    document = expect_mapping(read_yaml_file(path), source, "the descriptor")
    unknown = sorted(set(document) - DESCRIPTOR_KEYS)
    if unknown:
        raise MetaError(source, f"unknown descriptor keys: {', '.join(map(str, unknown))}")
    channel, revision = document.get("channel"), document.get("revision")
    if channel is not None and not isinstance(channel, str):
        raise MetaError(source, '"channel" must be a string such as 6/stable')
    if revision is not None and (isinstance(revision, bool) or not isinstance(revision, int)):
        raise MetaError(source, '"revision" must be an integer')
    meta = with_rules(
        parse_charm_metadata(document, source),
        parse_charm_rules(document.get("rules"), source, root),
        source,
    )
    provided = _provided_data(document.get(SIMULATION_KEY), meta, source)
    return meta._replace(channel=channel, revision=revision, external=True, provided=provided)


def _provided_data(
    value: object, meta: CharmMeta, source: str
) -> dict[str, dict[str, dict[str, str]]]:
    """The `simulation:` section: what the charm writes on its provider endpoints.

    Raises:
        MetaError: when it names an endpoint the charm does not provide, or a value is not
            a map of strings.
    """
    if value is None:
        return {}
    section = expect_mapping(value, source, f'"{SIMULATION_KEY}"')
    provided: dict[str, dict[str, dict[str, str]]] = {}
    for endpoint, bags in section.items():
        where = f"{SIMULATION_KEY}.{endpoint}"
        known = meta.endpoints.get(str(endpoint))
        if known is None or known.role != "provides":
            raise MetaError(source, f"{where}: {meta.name} provides no endpoint {endpoint!r}")
        bags = expect_mapping(bags, source, where)
        unknown = sorted(set(map(str, bags)) - set(SIMULATED_BAGS))
        if unknown:
            raise MetaError(source, f"{where}: use {' and '.join(SIMULATED_BAGS)}, not {unknown}")
        provided[str(endpoint)] = {
            bag: _string_map(bags.get(bag) or {}, source, f"{where}.{bag}")
            for bag in SIMULATED_BAGS
        }
    return provided


def _string_map(value: object, source: str, where: str) -> dict[str, str]:
    data = expect_mapping(value, source, where)
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise MetaError(source, f"{where}: keys and values are strings (quote numbers)")
    return {str(k): str(v) for k, v in data.items()}


def import_descriptor(
    charm_file: Path,
    catalog_dir: Path,
    *,
    channel: str | None = None,
    revision: int | None = None,
    source: str | None = None,
) -> Path:
    """Create or refresh `<catalog_dir>/<charm>.yaml` from a charm's own files.

    A refresh replaces the facts and keeps the previous channel, revision, rules and
    simulation data unless new ones are given.

    Args:
        charm_file: a packed `.charm`, a charmcraft.yaml, or a metadata.yaml (+ config.yaml).
        catalog_dir: the catalog directory to write into.
        channel: the Charmhub channel the file corresponds to.
        revision: the Charmhub revision the file corresponds to.
        source: where the facts come from, recorded in the descriptor (default: file name).

    Returns:
        The path of the descriptor written.

    Raises:
        MetaError: when the input is not a readable charm description.
    """
    meta = parse_charm_metadata(read_charm_source(charm_file), str(charm_file))
    target = catalog_dir / f"{meta.name}{DESCRIPTOR_SUFFIX}"
    previous = expect_mapping(
        read_yaml_file(target, missing_ok=True) or {}, str(target), "the descriptor"
    )
    rules = previous.get("rules")
    stale = sorted(set(as_mapping(as_mapping(rules).get("options"))) - set(meta.options))
    if stale:
        raise MetaError(
            display_path(target),
            f"its rules name options the imported charm no longer has: {', '.join(stale)}"
            " (edit the rules, then import again)",
        )
    document = descriptor_document(
        meta,
        channel=channel if channel is not None else previous.get("channel"),
        revision=revision if revision is not None else previous.get("revision"),
        source=source or charm_file.name,
        rules=rules,
        simulation=previous.get(SIMULATION_KEY),
    )
    catalog_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(DESCRIPTOR_HEADER + _dump(document), encoding="utf-8")
    return target


def descriptor_document(
    meta: CharmMeta,
    *,
    channel: object,
    revision: object,
    source: str,
    rules: object,
    simulation: object = None,
) -> dict[str, object]:
    """The descriptor mapping for `meta`: facts only, in a stable order."""
    document: dict[str, object] = {
        "name": meta.name,
        "channel": channel,
        "revision": revision,
        "source": source,
    }
    if meta.subordinate:
        document["subordinate"] = True
    for role in ROLES:
        endpoints = {
            endpoint.name: _without_none(
                {
                    "interface": endpoint.interface,
                    "limit": endpoint.limit,
                    "optional": endpoint.optional,
                }
            )
            for endpoint in meta.endpoints.values()
            if endpoint.role == role
        }
        if endpoints:
            document[role] = endpoints
    if meta.options:
        document["config"] = {
            "options": {
                option.name: _without_none({"type": option.type, "default": option.default})
                for option in meta.options.values()
            }
        }
    if meta.resources:
        document["resources"] = {
            name: _without_none({"type": kind, UPSTREAM_SOURCE: meta.resource_defaults.get(name)})
            for name, kind in meta.resources.items()
        }
    if meta.storage:
        document["storage"] = {name: {"type": kind} for name, kind in meta.storage.items()}
    if meta.containers:
        document["containers"] = {
            name: _without_none({"resource": resource})
            for name, resource in meta.containers.items()
        }
    if rules:
        document["rules"] = rules
    if simulation:
        document[SIMULATION_KEY] = simulation
    return document


def _without_none(values: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in values.items() if value is not None}


def _dump(document: Mapping[str, object]) -> str:
    return yaml.safe_dump(dict(document), sort_keys=False, default_flow_style=False, width=99)


def _names_of(paths: list[Path]) -> dict[str, Path]:
    """Map the `name:` of each YAML file to its path (first file wins)."""
    names: dict[str, Path] = {}
    for path in paths:
        document = read_yaml_file(path)
        name = document.get("name") if isinstance(document, Mapping) else None
        if isinstance(name, str):
            names.setdefault(name, path)
    return names
