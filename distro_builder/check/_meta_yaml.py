"""Reading the small YAML files that describe charms (metadata, descriptors, rules)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import cast

import yaml

from distro_builder.core import (
    MAX_FILE_BYTES,
    Diagnostic,
    InputFileError,
    Origin,
    display_path,
    not_utf8_message,
    parse_plain,
    read_input,
    utf8_error_position,
    yaml_problem,
)

MAX_METADATA_BYTES = MAX_FILE_BYTES


class MetaError(Exception):
    """A file describing a charm cannot be read or does not make sense.

    Attributes:
        source: the file (or archive member) that is wrong, as given.
        message: what is wrong with it.
        line, column: where in the file (1-based), when known.
    """

    def __init__(
        self, source: str, message: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
        self.line = line
        self.column = column

    def diagnostic(self) -> Diagnostic:
        """The error as a diagnostic, at its line and column when known."""
        shown = display_path(Path(self.source))
        if self.line is not None and self.column is not None:
            return Diagnostic(self.message, Origin(shown, self.line, self.column))
        return Diagnostic(self.message, path=shown)


def parse_yaml(text: str, source: str) -> object:
    """Parse one YAML document with PyYAML's safe loader.

    Raises:
        MetaError: when the text is not valid YAML (at the problem's line and column).
    """
    try:
        return parse_plain(text)
    except (yaml.YAMLError, UnicodeEncodeError) as error:
        problem = yaml_problem(error, text)
        line = None if problem.line is None else problem.line + 1
        column = None if problem.column is None else problem.column + 1
        message = f"is not valid YAML: {problem.message}"
        raise MetaError(source, message, line=line, column=column) from error
    except ValueError as error:  # an integer longer than Python converts
        raise MetaError(source, f"is not valid YAML: {error}") from error


def decode_text(data: bytes, source: str) -> str:
    """`data` as UTF-8 text.

    Raises:
        MetaError: at the first byte that is not UTF-8.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = utf8_error_position(data, error)
        message = not_utf8_message(data, error)
        raise MetaError(source, message, line=line, column=column) from None


def read_yaml_file(path: Path, *, missing_ok: bool = False) -> object:
    """Parse a (small) YAML file; None when it is absent and `missing_ok`.

    Raises:
        MetaError: when the file is missing, too large, not a regular file, unreadable,
            not UTF-8 or not valid YAML.
    """
    try:
        data = read_input(path, MAX_METADATA_BYTES)
    except InputFileError as error:
        if error.missing and missing_ok:
            return None
        reason = "is too large for charm metadata" if "larger" in error.reason else error.reason
        raise MetaError(str(path), reason) from None
    except OSError as error:
        raise MetaError(str(path), f"cannot be read: {error.strerror}") from None
    return parse_yaml(decode_text(data, str(path)), str(path))


def expect_mapping(value: object, source: str, what: str) -> Mapping[str, object]:
    """Return `value` as a mapping, or raise MetaError saying `what` must be one."""
    if not isinstance(value, Mapping):
        raise MetaError(source, f"{what} must be a mapping")
    return cast(Mapping[str, object], value)
