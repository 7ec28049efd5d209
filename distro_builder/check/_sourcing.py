"""Where a distribution's charms come from: packed into it, or the vendor's Charmhub names.

``distro.charms`` decides for every application that runs one of this repository's charms
(``charms/<name>/charmcraft.yaml``):

- ``source: local`` (the default): the packed file ``./charms/<name>_<platform>.charm``
  inside the distribution, named as charmcraft 4 names it (the platform is the first key of
  ``platforms:``), copied from ``--charms-dir`` when it is there (and then checked against
  its own metadata) and recorded as missing when it is not. A channel or revision of such an
  application is an error: it deploys no Charmhub charm.
- ``source: charmhub``: ``<prefix><name>`` at the section's channel and revision (an
  application's own channel or revision wins), checked against this repository's metadata of
  ``<name>``.

A local ``.charm`` file that an overlay names is packed into the distribution under its own
file name. Every other application keeps its charm reference (Charmhub, or a local charm
directory). Nothing is copied here: the plan says what to copy, the writer copies it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from distro_builder.compose import Composition
from distro_builder.core import (
    ERROR,
    WARNING,
    Diagnostic,
    NodePath,
    Severity,
    as_mapping,
    display_path,
    is_dir,
    is_file,
    path_problem,
)
from distro_builder.juju import is_local_charm, quote
from distro_builder.load import CHARMHUB, LOCAL, CharmSourcing

from ._catalog import CharmIndex, charm_name
from ._channels import FORM as CHANNEL_FORM
from ._channels import channel_problem
from ._meta_yaml import MetaError
from ._metadata import CHARM_SUFFIX, CharmMeta

CHARMS_SUBDIR = "charms"
NOT_A_CHARMS_DIR = (
    "--charms-dir: not a directory; give the directory of packed charms (such as the CI pack "
    "job's artifact)"
)


class SourcedCharm(NamedTuple):
    """How one application's charm is deployed (what the lock records of it).

    Attributes:
        charm: the `charm:` value to deploy (a local directory is relocated when written).
        source: `local` (a file or directory deployed from disk) or `charmhub`.
        channel: the Charmhub channel, for `charmhub`.
        revision: the Charmhub revision, for `charmhub`.
        file: the distribution's file it deploys (``charms/<file>.charm``), if any.
    """

    charm: str
    source: str
    channel: str | None = None
    revision: int | None = None
    file: str | None = None


class CharmPlan(NamedTuple):
    """The charms of a distribution.

    Attributes:
        applications: how each application's charm is deployed, by application.
        files: each packed charm of the distribution (``charms/<file>.charm``) and the file
            to copy it from, None when it is missing.
    """

    applications: Mapping[str, SourcedCharm] = MappingProxyType({})
    files: Mapping[str, Path | None] = MappingProxyType({})

    @property
    def missing(self) -> tuple[str, ...]:
        """The packed charms the distribution deploys but nobody gave, in order."""
        return tuple(name for name, path in self.files.items() if path is None)

    @property
    def copies(self) -> dict[str, Path]:
        """The packed charms to copy into the distribution: its file -> the file given."""
        return {name: path for name, path in self.files.items() if path is not None}


class Sourced(NamedTuple):
    """A composition with its charms sourced.

    Attributes:
        composition: the composition as it is checked and deployed: each application's
            channel and revision as deployed (charm names stay this repository's, so that
            the checks find their metadata).
        plan: where each application's charm comes from.
        diagnostics: what is wrong with the sourcing (errors).
    """

    composition: Composition
    plan: CharmPlan
    diagnostics: Sequence[Diagnostic]


def source_charms(
    composition: Composition, index: CharmIndex, *, charms_dir: Path | None = None
) -> Sourced:
    """Decide where each application's charm comes from (see the module docstring).

    A packed charm found in `charms_dir` becomes the source of its charm's facts in `index`.
    """
    sourcer = _Sourcer(composition, index, charms_dir)
    applications = as_mapping(composition.bundle.get("applications"))
    checked: dict[str, Any] = {}
    for name, spec in applications.items():
        checked[name] = sourcer.source(name, dict(as_mapping(spec)))
    bundle = (
        {**composition.bundle, "applications": checked} if applications else composition.bundle
    )
    plan = CharmPlan(
        applications=MappingProxyType(sourcer.applications),
        files=MappingProxyType(sourcer.files),
    )
    return Sourced(
        composition=composition._replace(bundle=bundle),
        plan=plan,
        diagnostics=sourcer.diagnostics,
    )


class _Sourcer:
    def __init__(self, composition: Composition, index: CharmIndex, charms_dir: Path | None):
        self.sourcing: CharmSourcing = composition.distro.charms
        self.provenance = composition.provenance
        self.index = index
        self.diagnostics: list[Diagnostic] = []
        self.applications: dict[str, SourcedCharm] = {}
        self.files: dict[str, Path | None] = {}
        if charms_dir is not None and not is_dir(charms_dir):
            self.diagnostics.append(Diagnostic(NOT_A_CHARMS_DIR, path=str(charms_dir)))
            charms_dir = None
        self.charms_dir = charms_dir
        self.channel = self.sourcing.channel
        problem = channel_problem(self.channel) if self.channel else None
        if problem is not None:
            message = f"distro.charms.channel {quote(str(self.channel))} {problem.message}"
            if not problem.warning:
                message = (
                    f"distro.charms.channel {quote(str(self.channel))} is not a Charmhub "
                    f"channel ({CHANNEL_FORM}): {problem.message}"
                )
                self.channel = None  # said once here, not again for each application
            severity: Severity = WARNING if problem.warning else ERROR
            origin = self.sourcing.origins.get("channel")
            self.diagnostics.append(Diagnostic(message, origin, severity=severity))

    def source(self, name: str, app: dict[str, Any]) -> dict[str, Any]:
        """Plan application `name`'s charm; `app` as it is checked."""
        reference = app.get("charm")
        if not isinstance(reference, str) or not reference:
            return app
        if is_local_charm(reference):
            self.applications[name] = self._local(name, reference)
            return app
        try:
            meta = self.index.repo_charm(charm_name(reference))
        except MetaError:
            meta = None  # the charm checks report it, at its file
        if meta is None:
            self.applications[name] = SourcedCharm(
                charm=reference,
                source=CHARMHUB,
                channel=app.get("channel"),
                revision=app.get("revision"),
            )
            return app
        if self.sourcing.source == LOCAL:
            return self._packed(name, app, meta)
        return self._charmhub(name, app, meta)

    def _local(self, name: str, reference: str) -> SourcedCharm:
        """A charm an overlay names by path: a `.charm` file is packed into the distribution."""
        path = Path(reference)
        if path.suffix != CHARM_SUFFIX or not is_file(path):
            return SourcedCharm(charm=reference, source=LOCAL)
        file = f"{CHARMS_SUBDIR}/{path.name}"
        self._add_file(file, path, ("applications", name, "charm"))
        return SourcedCharm(charm=f"./{file}", source=LOCAL, file=file)

    def _packed(self, name: str, app: dict[str, Any], meta: CharmMeta) -> dict[str, Any]:
        """One of this repository's charms, packed into the distribution."""
        for key in ("channel", "revision"):
            if key in app:
                self._error(
                    f'application "{name}" runs this repository\'s charm "{meta.name}", which '
                    f"the distribution packs (distro.charms source: local): remove its {key}, "
                    "or publish the charms under your own names (distro.charms source: "
                    "charmhub, prefix, channel)",
                    ("applications", name, key),
                )
        app = {key: value for key, value in app.items() if key not in ("channel", "revision")}
        if not meta.platforms:
            message = (
                f"charm {quote(meta.name)} has no platforms: the name of its packed file "
                "(<name>_<platform>.charm, as charmcraft 4 names it) is unknown"
            )
            self.diagnostics.append(Diagnostic(message, path=meta.source))
            return app
        file = f"{CHARMS_SUBDIR}/{meta.name}_{meta.platforms[0]}{CHARM_SUFFIX}"
        self.applications[name] = SourcedCharm(charm=f"./{file}", source=LOCAL, file=file)
        if file in self.files:
            return app
        packed = self.charms_dir / Path(file).name if self.charms_dir is not None else None
        if packed is not None and path_problem(packed) is None and not is_file(packed):
            message = "not a regular file: a packed charm is a .charm file"
            self.diagnostics.append(Diagnostic(message, path=display_path(packed)))
            packed = None
        if packed is not None and not is_file(packed):
            packed = None
        if packed is not None:
            self.index.use_packed(meta.name, packed)
        self._add_file(file, packed, ("applications", name, "charm"))
        return app

    def _charmhub(self, name: str, app: dict[str, Any], meta: CharmMeta) -> dict[str, Any]:
        """One of this repository's charms, published under the vendor's own name."""
        channel = app.get("channel") or self.channel
        revision = app.get("revision")
        if revision is None:
            revision = self.sourcing.revision
        self.applications[name] = SourcedCharm(
            charm=self.sourcing.prefix + meta.name,
            source=CHARMHUB,
            channel=channel,
            revision=revision,
        )
        if channel is not None:
            app["channel"] = channel
        if revision is not None:
            app["revision"] = revision
        return app

    def _add_file(self, file: str, path: Path | None, where: NodePath) -> None:
        if file in self.files and self.files[file] != path:
            self._error(
                f"two different charms would be {file} in the distribution: rename one", where
            )
            return
        self.files[file] = path

    def _error(self, message: str, path: NodePath) -> None:
        self.diagnostics.append(Diagnostic(message, self.provenance.origin(path)))
