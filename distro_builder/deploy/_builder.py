"""Everything this package takes from the builder, in one place to re-point when it moves."""

from __future__ import annotations

from distro_builder.catalog import charm_name
from distro_builder.charm_meta import CharmMeta, parse_charm_metadata, read_charm_source
from distro_builder.diagnostics import Diagnostic, InputError
from distro_builder.juju.names import is_local_charm
from distro_builder.juju.verify import units
from distro_builder.load import display_path
from distro_builder.meta_yaml import MetaError, read_yaml_file
from distro_builder.overlays import Project
from distro_builder.pipeline import compose_distribution
from distro_builder.plaintext import SECRET_OPTION
from distro_builder.redact import MASK, redact

__all__ = [
    "MASK",
    "SECRET_OPTION",
    "CharmMeta",
    "Diagnostic",
    "InputError",
    "MetaError",
    "Project",
    "charm_name",
    "compose_distribution",
    "display_path",
    "is_local_charm",
    "parse_charm_metadata",
    "read_charm_source",
    "read_yaml_file",
    "redact",
    "units",
]
