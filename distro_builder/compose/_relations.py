"""What Juju overlays cannot express: ``remove-relations`` of the ``distro:`` section."""

from __future__ import annotations

from typing import NamedTuple

from distro_builder.core import Diagnostic, Origin
from distro_builder.juju import Endpoint, MergedBundle, Relation, parse_endpoint, quote_list
from distro_builder.load import RelationRemoval


class RemovedRelation(NamedTuple):
    """A relation a ``remove-relations`` entry removed: as written, and where the entry is."""

    endpoints: tuple[str, ...]
    origin: Origin


def remove_relations(
    bundle: MergedBundle, removals: list[RelationRemoval], removed: list[RemovedRelation]
) -> list[Diagnostic]:
    """Drop the relations each removal names; a removal that matches nothing is an error.

    Each relation dropped is added to `removed`, with the removal's position.

    A removal's endpoint written ``app`` matches any endpoint of that application;
    ``app:endpoint`` matches that endpoint, and a relation side that leaves its endpoint to
    Juju's inference (``[nbi:kafka, kafka]``). The two sides match in either order.
    """
    diagnostics: list[Diagnostic] = []
    for removal in removals:
        wanted = [parse_endpoint(endpoint) for endpoint in removal.endpoints]
        kept: list[Relation] = []
        for relation in bundle.relations:
            if _matches(relation, wanted):
                endpoints = tuple(relation.endpoints)
                removed.append(RemovedRelation(endpoints=endpoints, origin=removal.origin))
            else:
                kept.append(relation)
        if len(kept) == len(bundle.relations):
            message = (
                f"remove-relations: no relation {quote_list(removal.endpoints)} in the bundle "
                "composed so far"
            )
            diagnostics.append(Diagnostic(message, removal.origin))
        bundle.relations = kept
    return diagnostics


def _matches(relation: Relation, wanted: list[Endpoint | None]) -> bool:
    if len(relation.endpoints) != 2 or None in wanted:
        return False
    have = [parse_endpoint(endpoint) for endpoint in relation.endpoints]
    return _pair(wanted, have) or _pair(wanted, have[::-1])


def _pair(wanted: list[Endpoint | None], have: list[Endpoint | None]) -> bool:
    return all(
        want is not None
        and got is not None
        and want.application == got.application
        and (not want.relation or not got.relation or want.relation == got.relation)
        for want, got in zip(wanted, have, strict=True)
    )
