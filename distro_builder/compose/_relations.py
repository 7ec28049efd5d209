"""What Juju overlays cannot express: ``remove-relations`` of the ``distro:`` section."""

from __future__ import annotations

from distro_builder.core import Diagnostic
from distro_builder.juju import Endpoint, MergedBundle, Relation, parse_endpoint, quote_list
from distro_builder.load import RelationRemoval


def remove_relations(bundle: MergedBundle, removals: list[RelationRemoval]) -> list[Diagnostic]:
    """Drop the relations each removal names; a removal that matches nothing is an error.

    A removal's endpoint written ``app`` matches any endpoint of that application;
    ``app:endpoint`` matches that endpoint, and a relation side that leaves its endpoint to
    Juju's inference (``[nbi:kafka, kafka]``). The two sides match in either order.
    """
    diagnostics: list[Diagnostic] = []
    for removal in removals:
        wanted = [parse_endpoint(endpoint) for endpoint in removal.endpoints]
        kept = [relation for relation in bundle.relations if not _matches(relation, wanted)]
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
