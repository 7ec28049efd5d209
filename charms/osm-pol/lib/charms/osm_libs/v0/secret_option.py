# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Options of `type: secret`: reading a user secret's content, and `database-commonkey`.

A user stores a sensitive value in a user secret (`juju add-secret osm-commonkey
commonkey=...`), grants it to the application and gives its URI to the option.
`ops.CharmBase.load_config` hands such an option to the config class as an `ops.Secret`;
`secret_option_value` reads one content key of it, always at its latest revision, and turns
every failure into a `ValueError` whose message names the option and never the value.

`database-commonkey` is the key OSM encrypts its database secrets with; NBI, LCM, RO and
MON must share it. Unset, the OSM images' own default `osm` is used and the charm says so:
`commonkey_in_use` gives the key and the note for the Active status.
"""

from __future__ import annotations

import ops

LIBID = "11adea25d08c4872af0f2470cd9129e3"
LIBAPI = 0
LIBPATCH = 2

COMMONKEY_OPTION = "database-commonkey"
COMMONKEY_CONTENT_KEY = "commonkey"
DEFAULT_COMMONKEY = "osm"
INSECURE_COMMONKEY_MESSAGE = f"insecure default {COMMONKEY_OPTION} in use"


def secret_option_value(secret: ops.Secret | None, option: str, key: str) -> str | None:
    """The content `key` of the user secret set in `option`, or None when the option is unset.

    Raises:
        ValueError: the secret is missing, not granted, or has no non-empty `key`; the
            message names `option` and `key`, never the content.
    """
    if secret is None:
        return None
    try:
        content = secret.get_content(refresh=True)
    except ops.ModelError:  # SecretNotFoundError included; permission denied is a ModelError
        raise ValueError(
            f"{option}: secret not found or not granted to this application"
        ) from None
    value = content.get(key, "")
    if not value:
        raise ValueError(f"{option}: secret has no '{key}' value")
    return value


def commonkey(secret: ops.Secret | None) -> str | None:
    """The `database-commonkey` the user set, or None when the insecure default applies.

    Raises:
        ValueError: as `secret_option_value`.
    """
    return secret_option_value(secret, COMMONKEY_OPTION, COMMONKEY_CONTENT_KEY)


def commonkey_in_use(secret: ops.Secret | None) -> tuple[str, str]:
    """The `database-commonkey` the workload gets, and the note for the Active status.

    The user's key with no note; unset, the images' default `osm` and the insecure note.

    Raises:
        ValueError: as `secret_option_value`.
    """
    key = commonkey(secret)
    if key is None:
        return DEFAULT_COMMONKEY, INSECURE_COMMONKEY_MESSAGE
    return key, ""
