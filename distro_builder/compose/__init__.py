"""Composing: the layers of a build in, one distribution out (pure: nothing is written).

Juju's merge rules apply document after document (``juju``); the ``distro:`` extensions on
top: each layer's ``remove-relations``, then the chain's branding. Every value of the result
remembers which file:line set it (its provenance).
"""

from ._compose import Composition, DistroInfo, compose, compose_distribution
from ._files import merge_files
from ._relations import RemovedRelation

__all__ = [
    "Composition",
    "DistroInfo",
    "RemovedRelation",
    "compose",
    "compose_distribution",
    "merge_files",
]
