"""Juju's composition of plain bundle files: what ``juju deploy BUNDLE --overlay FILE...`` does.

No templates, no ``distro:`` section: each file is a layer of plain Juju documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from distro_builder.core import Diagnostic, InputError, load, promote_warnings
from distro_builder.juju import BUNDLE_FILE, bundle_file, verify_bundle
from distro_builder.load import Layer

from ._compose import Composition, compose


def merge_files(
    bundle: Path, overlays: Sequence[Path], *, verify: bool = True, strict: bool = False
) -> tuple[Composition, list[Diagnostic]]:
    """Juju's composition of bundle files and the warnings found on the way.

    Raises :class:`InputError` with every diagnostic when any is an error.
    """
    layers = [_file_layer(path) for path in (bundle, *overlays)]
    composition = compose(layers, verify_base=verify)
    diagnostics = list(composition.warnings)
    if verify:
        base_dir = bundle_file(bundle).absolute().parent
        origin = composition.provenance.origin
        diagnostics += verify_bundle(composition.bundle, origin, bundle_dir=base_dir)
    if strict:
        diagnostics = promote_warnings(diagnostics)
    if any(diagnostic.is_error for diagnostic in diagnostics):
        raise InputError(diagnostics)
    return composition, diagnostics


def _file_layer(path: Path) -> Layer:
    """A plain Juju bundle or overlay file as a layer (no templating, no distro section)."""
    file = bundle_file(path)
    shown = str(path) if file is path else (path / BUNDLE_FILE).as_posix()
    documents = load(file, shown)
    sources = tuple({d.source.path: d.source for d in documents}.values())
    return Layer(name=shown, documents=documents, sources=sources)
