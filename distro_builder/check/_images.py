"""OCI image references, by the grammar of the distribution (docker) reference library.

reference := name [ ":" tag ] [ "@" digest ]
name      := [ domain "/" ] path-component ( "/" path-component )*
domain    := host [ ":" port ]
path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
digest    := algorithm ":" hex (32 or more)
"""

from __future__ import annotations

import re

MAX_NAME_LENGTH = 255
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"(?P<name>{_NAME})(?::{_TAG})?(?:@{_DIGEST})?")


def is_image_reference(text: str) -> bool:
    """Whether `text` is a valid OCI image reference (`registry.example:5000/osm/nbi:16`)."""
    match = _REFERENCE.fullmatch(text)
    return match is not None and len(match["name"]) <= MAX_NAME_LENGTH
