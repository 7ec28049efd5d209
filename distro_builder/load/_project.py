"""Where a project keeps its base bundle and overlays, and how overlay references resolve.

A project is a directory with ``bundles/osm/`` (``bundle.yaml.j2`` and ``defaults.yaml``) and
``overlays/<name>/overlay.yaml``. An overlay reference is a name (``acme-telco``) or a path to
an overlay file or to a directory holding ``overlay.yaml``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from distro_builder.core import (
    MISSING_PATH,
    Diagnostic,
    InputError,
    Origin,
    display_path,
    is_dir,
    is_file,
    is_inside,
    path_problem,
)
from distro_builder.juju import quote

BASE_DIR = Path("bundles", "osm")
BUNDLE_TEMPLATE = "bundle.yaml.j2"
DEFAULTS_FILE = "defaults.yaml"
OVERLAYS_DIR = "overlays"
OVERLAY_FILE = "overlay.yaml"
_PATH_SUFFIXES = (".yaml", ".yml")


class OverlayRef(NamedTuple):
    """A resolved overlay: the name it is shown by and its file."""

    name: str
    path: Path


class Project(NamedTuple):
    """A checkout holding a base bundle and overlays."""

    root: Path

    @classmethod
    def locate(cls, root: Path | None = None) -> Project:
        """The project at `root`, or the nearest one above the current directory."""
        if root is not None:
            project = cls(root.absolute())
            if not is_file(project.base_template):
                missing = display_path(project.base_template)
                message = f"not a distro-builder project: {missing} is missing"
                raise InputError([Diagnostic(message, path=str(root))])
            return project
        here = Path.cwd()
        for candidate in (here, *here.parents):
            if is_file(candidate / BASE_DIR / BUNDLE_TEMPLATE):
                return cls(candidate)
        template = f"{BASE_DIR.as_posix()}/{BUNDLE_TEMPLATE}"
        message = f"no {template} here or above: run inside a project or give --root"
        raise InputError([Diagnostic(message)])

    @property
    def base_dir(self) -> Path:
        """The base bundle's directory."""
        return self.root / BASE_DIR

    @property
    def base_template(self) -> Path:
        """The base bundle template."""
        return self.base_dir / BUNDLE_TEMPLATE

    @property
    def defaults(self) -> Path:
        """The base distribution's defaults (its ``distro:`` section)."""
        return self.base_dir / DEFAULTS_FILE

    @property
    def overlays_dir(self) -> Path:
        """Where named overlays live."""
        return self.root / OVERLAYS_DIR

    def overlay_names(self) -> list[str]:
        """Every named overlay of the project, sorted."""
        if not is_dir(self.overlays_dir):
            return []
        return sorted(
            path.parent.name
            for path in self.overlays_dir.glob(f"*/{OVERLAY_FILE}")
            if is_file(path)
        )

    def resolve(
        self, reference: str, *, origin: Origin | None = None, relative_to: Path | None = None
    ) -> OverlayRef:
        """Resolve an overlay name or path; raise :class:`InputError` when there is none.

        Paths are relative to `relative_to` (the extending overlay's directory) or the cwd.
        An ``extends`` (`relative_to` given) is confined as includes are: to the project's
        overlays and the extending overlay's own directory tree, symlinks resolved.
        """
        if not _looks_like_path(reference):
            path = self.overlays_dir / reference / OVERLAY_FILE
            if is_file(path):
                return OverlayRef(reference, path.absolute())
            problem = path_problem(path)
            if problem not in (None, MISSING_PATH):
                raise InputError([Diagnostic(f"overlay {quote(reference)} {problem}", origin)])
            available = ", ".join(self.overlay_names()) or "none"
            message = f"unknown overlay {quote(reference)}; available overlays: {available}"
            raise InputError([Diagnostic(message, origin)])
        path = Path(os.path.normpath((relative_to or Path.cwd()).absolute() / reference))
        if relative_to is not None and not (
            is_inside(path, self.overlays_dir) or is_inside(path, relative_to)
        ):
            message = (
                f"extends {quote(reference)} is outside the project's overlays"
                f" ({display_path(self.overlays_dir)}/) and this overlay's directory"
            )
            raise InputError([Diagnostic(message, origin)])
        if is_dir(path):
            path = path / OVERLAY_FILE
        problem = path_problem(path)
        if problem is None and not is_file(path):
            problem = "is not a regular file"
        if problem == MISSING_PATH:
            raise InputError([Diagnostic(f"no overlay file {quote(reference)}", origin)])
        if problem is not None:
            message = f"overlay file {quote(reference)} {problem}"
            raise InputError([Diagnostic(message, origin)])
        return OverlayRef(self._name_of(path), path)

    def _name_of(self, path: Path) -> str:
        """A named overlay's name, else the file as diagnostics show it."""
        if path.name == OVERLAY_FILE and path.parent.parent == self.overlays_dir.absolute():
            return path.parent.name
        return display_path(path)


def _looks_like_path(reference: str) -> bool:
    return "/" in reference or reference.endswith(_PATH_SUFFIXES) or reference in (".", "..")
