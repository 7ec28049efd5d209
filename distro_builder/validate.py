"""Check a composition before it is written: Juju's verification plus the builder's rules."""

from __future__ import annotations

from distro_builder.compose import Composition
from distro_builder.diagnostics import Diagnostic, promote_warnings
from distro_builder.juju.verify import verify_bundle
from distro_builder.plaintext import plaintext_secrets


def validate(composition: Composition, *, strict: bool = False) -> list[Diagnostic]:
    """Every finding about `composition` (its composing warnings included).

    With `strict`, warnings are errors.
    """
    origin = composition.provenance.origin
    diagnostics = [
        *composition.warnings,
        *verify_bundle(composition.bundle, origin),
        *plaintext_secrets(composition.bundle, composition.provenance),
    ]
    return promote_warnings(diagnostics) if strict else diagnostics
