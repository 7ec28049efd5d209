"""The ground floor: what every stage shares.

Source positions and diagnostics (``PATH:LINE:COL: error: MESSAGE``), the one bounded reader
of input files and YAML documents, the provenance of composed values, and the small text
helpers of messages. Nothing here knows Juju, charms or distributions.
"""

from ._diagnostics import (
    ERROR,
    NOTE,
    WARNING,
    Diagnostic,
    InputError,
    Origin,
    Severity,
    promote_warnings,
    raise_if_errors,
)
from ._files import MAX_FILE_BYTES, display_path, is_inside, read_bounded
from ._provenance import Provenance, Recorder
from ._shapes import as_mapping, as_sequence
from ._text import MASK, did_you_mean, redact, show_value
from ._yaml import (
    MAX_DEPTH,
    MAX_NODES,
    Document,
    NodePath,
    Source,
    load,
    parse_documents,
    parse_plain,
    read_source,
)

__all__ = [
    "ERROR",
    "MASK",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "NOTE",
    "WARNING",
    "Diagnostic",
    "Document",
    "InputError",
    "NodePath",
    "Origin",
    "Provenance",
    "Recorder",
    "Severity",
    "Source",
    "as_mapping",
    "as_sequence",
    "did_you_mean",
    "display_path",
    "is_inside",
    "load",
    "parse_documents",
    "parse_plain",
    "promote_warnings",
    "raise_if_errors",
    "read_bounded",
    "read_source",
    "redact",
    "show_value",
]
