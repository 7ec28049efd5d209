"""Vendor branding: ``distro.branding`` becomes ``ng-ui`` options.

``product-name`` and ``primary-color`` are copied to ``branding-product-name`` and
``branding-primary-color``; ``logo`` names a file inside the overlay's own directory, whose
content is embedded base64-encoded as ``branding-logo``.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from distro_builder.core import (
    DIRECTORY_PATH,
    Diagnostic,
    InputFileError,
    display_path,
    is_inside,
    read_input,
)
from distro_builder.juju import MergedBundle, quote
from distro_builder.load import DistroSpec, Setting

NG_UI_APPLICATION = "ng-ui"
OPTION_PREFIX = "branding-"
LOGO = "logo"
MAX_LOGO_BYTES = 256 * 1024


class BrandingValue(NamedTuple):
    """A branding setting and the directory of the overlay that set it."""

    setting: Setting
    directory: Path


def merged_branding(specs: Sequence[DistroSpec]) -> dict[str, BrandingValue]:
    """The branding of a chain of layers: each key from the last layer that sets it."""
    branding: dict[str, BrandingValue] = {}
    for spec in specs:
        for key, setting in spec.branding.items():
            branding[key] = BrandingValue(setting, spec.directory)
    return dict(sorted(branding.items()))


def apply_branding(bundle: MergedBundle, branding: dict[str, BrandingValue]) -> list[Diagnostic]:
    """Set the ng-ui branding options; the logo file must stay inside its overlay directory."""
    if not branding:
        return []
    app = bundle.applications.get(NG_UI_APPLICATION)
    if app is None:
        origin = next(iter(branding.values())).setting.origin
        message = (
            f"branding needs the {quote(NG_UI_APPLICATION)} application, which this bundle lacks"
        )
        return [Diagnostic(message, origin)]
    diagnostics: list[Diagnostic] = []
    options = app.setdefault("options", {})
    scope = ("applications", NG_UI_APPLICATION)
    for key, branded in branding.items():
        value = branded.setting.value
        if key == LOGO:
            value, problem = _logo(bundle, branded)
            if problem:
                diagnostics.append(Diagnostic(problem, branded.setting.origin))
                continue
        option = OPTION_PREFIX + key
        options[option] = value
        bundle.recorder.record(scope, ("options",), branded.setting.origin)
        bundle.recorder.record(scope, ("options", option), branded.setting.origin)
    return diagnostics


def _logo(bundle: MergedBundle, branded: BrandingValue) -> tuple[str, str]:
    """The base64 content of the logo file, or ("", why it cannot be used)."""
    name = branded.setting.value
    directory = branded.directory
    path = Path(os.path.normpath(directory / name))
    shown = display_path(path)
    if not is_inside(path, directory):
        return (
            "",
            f"branding logo {quote(name)} escapes the overlay directory {display_path(directory)}",
        )
    try:
        data = read_input(path, MAX_LOGO_BYTES)
    except InputFileError as error:
        reason = "is not a file" if error.missing or error.reason == DIRECTORY_PATH else None
        return "", f"branding logo {quote(shown)} {reason or error.reason}"
    bundle.includes[path] = hashlib.sha256(data).hexdigest()
    return base64.b64encode(data).decode("ascii"), ""
