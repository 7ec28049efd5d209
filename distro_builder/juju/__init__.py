"""Juju's own bundle semantics: the bundle schema, overlay merge rules and verification.

Nothing of distro-builder's extensions lives here: `distro-builder merge` uses only this package
(on the ground floor, ``core``) to compose exactly what `juju deploy BUNDLE --overlay FILE...`
would.
"""

from ._files import BUNDLE_FILE, bundle_file
from ._merge import MergedBundle, Relation, freeze, merge_part, resolve_part
from ._names import Endpoint, is_local_charm, parse_charm_url, parse_endpoint, quote, quote_list
from ._schema import Part, decode_part, describe, overlay_only_fields
from ._verify import units, verify_base_part, verify_bundle

__all__ = [
    "BUNDLE_FILE",
    "Endpoint",
    "MergedBundle",
    "Part",
    "Relation",
    "bundle_file",
    "decode_part",
    "describe",
    "freeze",
    "is_local_charm",
    "merge_part",
    "overlay_only_fields",
    "parse_charm_url",
    "parse_endpoint",
    "quote",
    "quote_list",
    "resolve_part",
    "units",
    "verify_base_part",
    "verify_bundle",
]
