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
from ._files import (
    DIRECTORY as DIRECTORY_PATH,
)
from ._files import (
    LINK_LOOP,
    MAX_FILE_BYTES,
    NAME_TOO_LONG,
    NUL_IN_NAME,
    InputFileError,
    display_path,
    file_problem,
    is_dir,
    is_file,
    is_inside,
    open_regular,
    path_problem,
    read_bounded,
    read_input,
)
from ._files import (
    MISSING as MISSING_PATH,
)
from ._provenance import Provenance, Recorder
from ._shapes import as_mapping, as_sequence
from ._text import MASK, did_you_mean, one_line, quote, redact, show_value
from ._yaml import (
    MAX_DEPTH,
    MAX_NODES,
    Document,
    NodePath,
    Source,
    YamlProblem,
    load,
    not_utf8_message,
    parse_documents,
    parse_plain,
    read_source,
    utf8_error_position,
    yaml_problem,
)

__all__ = [
    "DIRECTORY_PATH",
    "ERROR",
    "LINK_LOOP",
    "MASK",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MISSING_PATH",
    "NAME_TOO_LONG",
    "NOTE",
    "NUL_IN_NAME",
    "WARNING",
    "Diagnostic",
    "Document",
    "InputError",
    "InputFileError",
    "NodePath",
    "Origin",
    "Provenance",
    "Recorder",
    "Severity",
    "Source",
    "YamlProblem",
    "as_mapping",
    "as_sequence",
    "did_you_mean",
    "display_path",
    "file_problem",
    "is_dir",
    "is_file",
    "is_inside",
    "load",
    "not_utf8_message",
    "one_line",
    "open_regular",
    "parse_documents",
    "parse_plain",
    "path_problem",
    "promote_warnings",
    "quote",
    "raise_if_errors",
    "read_bounded",
    "read_input",
    "read_source",
    "redact",
    "show_value",
    "utf8_error_position",
    "yaml_problem",
]
