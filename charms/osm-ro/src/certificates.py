# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The `certificates` option: `name:base64` pairs, the files the charm writes into `/certs`."""

from __future__ import annotations

import base64
import binascii
import re

OPTION = "certificates"
# A plain file name: no separator, no leading dot, so no `..` and no path escape.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,254}")


def parse_certificates(value: str) -> dict[str, bytes]:
    """Map each certificate name of the option `value` to its decoded content.

    Raises:
        ValueError: an entry is not `name:base64`, a name is unsafe or repeated, or a content
            is not base64; the message names the option and the entry, never the content.
    """
    certificates: dict[str, bytes] = {}
    entries = [entry.strip() for entry in value.split(",")]
    for position, entry in enumerate(entries, start=1):
        if not entry:
            continue
        name, separator, encoded = (part.strip() for part in entry.partition(":"))
        if not separator or not name or not encoded:
            raise ValueError(f"invalid {OPTION} entry {position}: use name:base64-content")
        if not _NAME.fullmatch(name):
            raise ValueError(
                f"invalid {OPTION} name {name!r}: use letters, digits, '.', '_' and '-',"
                " starting with a letter or digit"
            )
        if name in certificates:
            raise ValueError(f"invalid {OPTION}: {name!r} is given twice")
        try:
            certificates[name] = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ValueError(f"invalid {OPTION} entry {name!r}: content is not base64") from None
    return certificates
