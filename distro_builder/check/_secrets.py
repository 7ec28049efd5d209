"""Refuse secrets written in plain text into a distribution.

A bundle is a shared, committed artefact: passwords, keys and URIs with credentials belong in
Juju secrets (``juju add-secret``), passed to charms as ``secret:`` URIs through options of type
``secret``. Diagnostics name the option, never the value.
"""

from __future__ import annotations

import re
from typing import Any

from distro_builder.core import Diagnostic, Provenance
from distro_builder.juju import quote

SECRET_OPTION = re.compile(
    r"password|passwd|secret|token|commonkey|private-key|api-key|credential"
)
CREDENTIALS_URI = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
SECRET_URI_PREFIX = "secret:"
HINT = "keep it in a Juju secret and set the option to its secret: URI"


def plaintext_secrets(bundle: dict[str, Any], provenance: Provenance) -> list[Diagnostic]:
    """An error for every option that holds a password, key or credentialed URI in plain text."""
    diagnostics: list[Diagnostic] = []
    for name, app in (bundle.get("applications") or {}).items():
        for option, value in (app.get("options") or {}).items():
            if not isinstance(value, str) or not value or value.startswith(SECRET_URI_PREFIX):
                continue
            if SECRET_OPTION.search(option.lower()):
                problem = "holds a secret in plain text"
            elif CREDENTIALS_URI.search(value):
                problem = "holds a URI with credentials in plain text"
            else:
                continue
            message = f"option {quote(option)} of application {quote(name)} {problem}: {HINT}"
            origin = provenance.origin(("applications", name, "options", option))
            diagnostics.append(Diagnostic(message, origin))
    return diagnostics
