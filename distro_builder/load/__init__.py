"""Loading: the project, its templates, the overlay chain and the ``distro:`` sections.

A project is a directory with ``bundles/osm/`` and ``overlays/<name>/``. Loading turns
``--overlay`` references and ``--set`` assignments into the ordered, rendered layers of a
build (:func:`build_inputs`), each document keeping the position of every value.
"""

from ._distro import CHARMHUB, LOCAL, CharmSourcing, DistroSpec, RelationRemoval, Setting
from ._layers import (
    Layer,
    build_inputs,
    parse_settings,
    read_defaults,
    resolve_chain,
)
from ._project import Project
from ._templates import SourceTemplate
from ._values import WrittenFloat, WrittenInt, plain, written
from ._variables import TemplateVariables, VariableSource

__all__ = [
    "CHARMHUB",
    "LOCAL",
    "CharmSourcing",
    "DistroSpec",
    "Layer",
    "Project",
    "RelationRemoval",
    "Setting",
    "SourceTemplate",
    "TemplateVariables",
    "VariableSource",
    "WrittenFloat",
    "WrittenInt",
    "build_inputs",
    "parse_settings",
    "plain",
    "read_defaults",
    "resolve_chain",
    "written",
]
