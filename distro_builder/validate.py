"""Check a composition before it is written: Juju's verification plus the builder's rules."""

from __future__ import annotations

from distro_builder.catalog import CharmIndex
from distro_builder.charm_checks import CharmReport, check_charms
from distro_builder.compose import Composition
from distro_builder.diagnostics import Diagnostic, promote_warnings
from distro_builder.juju.verify import verify_bundle
from distro_builder.plaintext import plaintext_secrets


def validate(
    composition: Composition,
    *,
    strict: bool = False,
    charms: CharmIndex | None = None,
    allow_unknown_charms: bool = False,
) -> list[Diagnostic]:
    """Every finding about `composition` (its composing warnings included).

    With `strict`, warnings are errors. With `charms`, the bundle is also checked against
    its charms' metadata (a charm found nowhere is a warning with `allow_unknown_charms`).
    """
    report = None
    if charms is not None:
        report = check_charms(
            composition.bundle,
            composition.provenance,
            charms,
            allow_unknown_charms=allow_unknown_charms,
        )
    return findings(composition, report, strict=strict)


def findings(
    composition: Composition, report: CharmReport | None, *, strict: bool = False
) -> list[Diagnostic]:
    """The findings of `validate`, given the charm-aware checks' `report` (None: not run)."""
    origin = composition.provenance.origin
    diagnostics = [
        *composition.warnings,
        *verify_bundle(composition.bundle, origin),
        *plaintext_secrets(composition.bundle, composition.provenance),
    ]
    if report is not None:
        diagnostics += report.diagnostics
    return promote_warnings(diagnostics) if strict else diagnostics
