"""Everything this package takes from the builder's lower floors, in one place."""

from __future__ import annotations

from distro_builder.check import (
    CharmMeta,
    MetaError,
    charm_name,
    is_secret_name,
    parse_charm_metadata,
    read_charm_source,
    read_yaml_file,
)
from distro_builder.compose import compose_distribution
from distro_builder.core import MASK, Diagnostic, InputError, display_path, redact
from distro_builder.emit import (
    COMMONKEY_CONTENT_KEY,
    COMMONKEY_OPTION,
    commonkey_label,
)
from distro_builder.juju import is_local_charm, units
from distro_builder.load import Project

__all__ = [
    "COMMONKEY_CONTENT_KEY",
    "COMMONKEY_OPTION",
    "MASK",
    "CharmMeta",
    "Diagnostic",
    "InputError",
    "MetaError",
    "Project",
    "charm_name",
    "commonkey_label",
    "compose_distribution",
    "display_path",
    "is_local_charm",
    "is_secret_name",
    "parse_charm_metadata",
    "read_charm_source",
    "read_yaml_file",
    "redact",
    "units",
]
