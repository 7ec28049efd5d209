"""A built distribution directory: its bundle, its lock, and whether its charms are intact.

`dist/<name>/` holds `bundle.yaml` (in-repository charms as `./charms/<file>.charm`, external
ones as Charmhub names), `distro.lock` (YAML after a `#` header; `charms:` maps each
application to its charm, source, channel, revision, sha256 and whether it was `missing` at
build time) and `README.md`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distro_builder.deploy._builder import (
    CharmMeta,
    Diagnostic,
    InputError,
    MetaError,
    display_path,
    is_local_charm,
    parse_charm_metadata,
    read_charm_source,
    read_yaml_file,
)

BUNDLE_FILE = "bundle.yaml"
LOCK_FILE = "distro.lock"
SOURCE_LOCAL = "local"
SOURCE_CHARMHUB = "charmhub"
CHUNK = 1 << 20
HOW_TO_GET_CHARMS = (
    "get the packed charms (the CI pack job's `charm-*` artifacts, or `distro-builder pack` "
    "on Ubuntu) and rebuild with `distro-builder build ... --charms-dir DIR`"
)


@dataclass(frozen=True)
class LockedCharm:
    """What `distro.lock` records about one application's charm."""

    application: str
    charm: str
    source: str
    channel: str | None = None
    revision: int | None = None
    sha256: str | None = None
    missing: bool = False

    @property
    def is_local(self) -> bool:
        """Whether the charm is a packed file inside the distribution."""
        return self.source == SOURCE_LOCAL and is_local_charm(self.charm)


@dataclass(frozen=True)
class Distribution:
    """A distribution directory, read."""

    path: Path
    name: str
    bundle: Mapping[str, Any]
    charms: Mapping[str, LockedCharm]

    @property
    def applications(self) -> Mapping[str, Mapping[str, Any]]:
        """The bundle's applications by name."""
        return self.bundle.get("applications") or {}

    @property
    def relations(self) -> list[tuple[str, str]]:
        """The bundle's relations as pairs of `app[:endpoint]`."""
        pairs = self.bundle.get("relations") or []
        return [(str(pair[0]), str(pair[1])) for pair in pairs if len(pair) == 2]

    def charm_file(self, application: str) -> Path | None:
        """The packed charm file an application deploys, or None for a Charmhub charm."""
        charm = str(self.applications.get(application, {}).get("charm", ""))
        return self.path / charm if is_local_charm(charm) else None

    def charm_meta(self, application: str) -> CharmMeta | None:
        """The metadata of an application's packed charm, when the file is readable."""
        path = self.charm_file(application)
        if path is None or not path.is_file():
            return None
        try:
            return parse_charm_metadata(read_charm_source(path), display_path(path))
        except MetaError:
            return None


def read_distribution(path: Path) -> Distribution:
    """Read `path`'s bundle and lock.

    Raises:
        InputError: when either file is missing or malformed (every problem named).
    """
    shown = display_path(path)
    if not path.is_dir():
        raise InputError([Diagnostic("not a distribution directory", path=shown)])
    problems: list[Diagnostic] = []
    bundle = _mapping(path / BUNDLE_FILE, problems)
    lock = _mapping(path / LOCK_FILE, problems)
    if problems:
        raise InputError(problems)
    records = lock.get("charms") or {}
    if not isinstance(records, Mapping):
        message = "charms: expected a mapping of applications"
        raise InputError([Diagnostic(message, path=display_path(path / LOCK_FILE))])
    charms = {str(app): _locked(str(app), record) for app, record in records.items()}
    name = str(lock.get("name") or path.name)
    return Distribution(path=path, name=name, bundle=bundle, charms=charms)


def charm_problems(dist: Distribution) -> list[Diagnostic]:
    """Every in-distribution charm that is missing or differs from the lock's sha256."""
    problems: list[Diagnostic] = []
    for application in dist.applications:
        path = dist.charm_file(application)
        if path is None:
            continue
        shown = display_path(path)
        record = dist.charms.get(application)
        if record is None:
            message = f'application "{application}": charm not recorded in {LOCK_FILE}'
            problems.append(Diagnostic(f"{message}; rebuild the distribution", path=shown))
        elif record.missing or not path.is_file():
            when = "at build time" if record.missing else "any more"
            message = f'application "{application}": the packed charm was not there {when}'
            problems.append(Diagnostic(f"{message}; {HOW_TO_GET_CHARMS}", path=shown))
        elif record.sha256 is None:
            message = f'application "{application}": {LOCK_FILE} records no sha256 for it'
            problems.append(Diagnostic(f"{message}; rebuild the distribution", path=shown))
        elif (actual := sha256_file(path)) != record.sha256:
            message = (
                f'application "{application}": sha256 {actual[:12]}... differs from '
                f"{record.sha256[:12]}... in {LOCK_FILE} (changed after the build); "
                "rebuild the distribution"
            )
            problems.append(Diagnostic(message, path=shown))
    return problems


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _mapping(path: Path, problems: list[Diagnostic]) -> Mapping[str, Any]:
    """A YAML file's top-level mapping; a problem added (and {}) when it is not one."""
    try:
        data = read_yaml_file(path)
    except MetaError as error:
        problems.append(Diagnostic(error.message, path=display_path(path)))
        return {}
    if not isinstance(data, Mapping):
        problems.append(Diagnostic("expected a YAML mapping", path=display_path(path)))
        return {}
    return data


def _locked(application: str, record: object) -> LockedCharm:
    """One `charms:` entry of the lock (older locks: source inferred from the reference)."""
    data: Mapping[str, Any] = record if isinstance(record, Mapping) else {}
    charm = str(data.get("charm") or "")
    default_source = SOURCE_LOCAL if is_local_charm(charm) else SOURCE_CHARMHUB
    revision = data.get("revision")
    sha256 = data.get("sha256")
    return LockedCharm(
        application=application,
        charm=charm,
        source=str(data.get("source") or default_source),
        channel=str(data["channel"]) if data.get("channel") else None,
        revision=revision if isinstance(revision, int) else None,
        sha256=str(sha256) if sha256 else None,
        missing=data.get("missing") is True,
    )
