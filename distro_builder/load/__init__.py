"""Loading: the project, its templates, the overlay chain and the ``distro:`` sections.

A project is a directory with ``bundles/osm/`` and ``overlays/<name>/``. Loading turns
``--overlay`` references and ``--set`` assignments into the ordered, rendered layers of a
build (:func:`build_inputs`), each document keeping the position of every value.
"""

from ._distro import (
    BRANDING_KEYS,
    METADATA_KEYS,
    VALID_NAME,
    VALID_VARIABLE,
    DistroSpec,
    RelationRemoval,
    Setting,
)
from ._layers import (
    BuildInputs,
    Layer,
    Overlay,
    build_inputs,
    parse_settings,
    read_defaults,
    resolve_chain,
)
from ._project import (
    BASE_DIR,
    BUNDLE_TEMPLATE,
    DEFAULTS_FILE,
    OVERLAY_FILE,
    OVERLAYS_DIR,
    OverlayRef,
    Project,
)
from ._templates import Rendered, SourceTemplate

__all__ = [
    "BASE_DIR",
    "BRANDING_KEYS",
    "BUNDLE_TEMPLATE",
    "DEFAULTS_FILE",
    "METADATA_KEYS",
    "OVERLAYS_DIR",
    "OVERLAY_FILE",
    "VALID_NAME",
    "VALID_VARIABLE",
    "BuildInputs",
    "DistroSpec",
    "Layer",
    "Overlay",
    "OverlayRef",
    "Project",
    "RelationRemoval",
    "Rendered",
    "Setting",
    "SourceTemplate",
    "build_inputs",
    "parse_settings",
    "read_defaults",
    "resolve_chain",
]
