"""Every check of a composition before it is written: Juju's verification, the builder's rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from distro_builder.compose import Composition
from distro_builder.core import Diagnostic, as_mapping, promote_warnings
from distro_builder.juju import verify_bundle

from ._catalog import CharmIndex
from ._channels import channel_problems
from ._charms import RelationFacts, check_charms
from ._meta_yaml import MetaError
from ._registry import registry_problems
from ._secrets import OptionType, distro_secrets, plaintext_secrets


class Findings(NamedTuple):
    """What the checks of a composition found.

    Attributes:
        diagnostics: every finding, errors and warnings: the composition's warnings, Juju's
            verification, plain-text secrets, then the charm-aware checks.
        facts: the relations as the charms resolve them.
    """

    diagnostics: Sequence[Diagnostic]
    facts: RelationFacts

    @property
    def failed(self) -> bool:
        """Whether any finding is an error."""
        return any(diagnostic.is_error for diagnostic in self.diagnostics)


def check_composition(
    composition: Composition,
    charms: CharmIndex,
    *,
    strict: bool = False,
    allow_unknown_charms: bool = False,
) -> Findings:
    """Every finding about `composition`, its composing warnings included.

    With `strict`, warnings are errors; a charm found nowhere is a warning with
    `allow_unknown_charms`.
    """
    report = check_charms(
        composition.bundle,
        composition.provenance,
        charms,
        allow_unknown_charms=allow_unknown_charms,
        removed=composition.removed_relations,
    )
    option_types = _option_types(composition.bundle, charms)
    diagnostics = [
        *composition.warnings,
        *verify_bundle(composition.bundle, composition.provenance.origin),
        *plaintext_secrets(composition.bundle, composition.provenance, option_types),
        *distro_secrets(composition.distro),
        *channel_problems(composition.bundle, composition.provenance),
        *registry_problems(composition.bundle, composition.provenance, charms, composition.distro),
        *report.diagnostics,
    ]
    if strict:
        diagnostics = promote_warnings(diagnostics)
    diagnostics = composition.variable_sources.annotate(diagnostics)
    return Findings(diagnostics=diagnostics, facts=report.facts)


def _option_types(bundle: Mapping[str, object], charms: CharmIndex) -> OptionType:
    """The type of an application's option, by its charm's metadata (None: unknown)."""
    applications = as_mapping(bundle.get("applications"))

    def option_type(application: str, option: str) -> str | None:
        reference = as_mapping(applications.get(application)).get("charm")
        if not isinstance(reference, str):
            return None
        try:
            meta = charms.find(reference)
        except MetaError:
            return None
        known = meta.options.get(option) if meta is not None else None
        return known.type if known is not None else None

    return option_type
