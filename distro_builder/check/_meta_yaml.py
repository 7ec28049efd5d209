"""Reading the small YAML files that describe charms (metadata, descriptors, rules)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import cast

import yaml

from distro_builder.core import MAX_FILE_BYTES, parse_plain, read_bounded

MAX_METADATA_BYTES = MAX_FILE_BYTES


class MetaError(Exception):
    """A file describing a charm cannot be read or does not make sense.

    Attributes:
        source: the file (or archive member) that is wrong, as given.
        message: what is wrong with it.
    """

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


def parse_yaml(text: str, source: str) -> object:
    """Parse one YAML document with PyYAML's safe loader.

    Raises:
        MetaError: when the text is not valid YAML.
    """
    try:
        return parse_plain(text)
    except yaml.YAMLError as error:
        raise MetaError(source, f"is not valid YAML: {error}") from error


def read_yaml_file(path: Path, *, missing_ok: bool = False) -> object:
    """Parse a (small) YAML file; None when it is absent and `missing_ok`.

    Raises:
        MetaError: when the file is missing, too large, unreadable or not valid YAML.
    """
    try:
        data = read_bounded(path, MAX_METADATA_BYTES + 1)
        if len(data) > MAX_METADATA_BYTES:
            raise MetaError(str(path), "is too large for charm metadata")
        text = data.decode("utf-8")
    except FileNotFoundError as error:
        if missing_ok:
            return None
        raise MetaError(str(path), "does not exist") from error
    except (OSError, UnicodeDecodeError) as error:
        raise MetaError(str(path), f"cannot be read: {error}") from error
    return parse_yaml(text, str(path))


def expect_mapping(value: object, source: str, what: str) -> Mapping[str, object]:
    """Return `value` as a mapping, or raise MetaError saying `what` must be one."""
    if not isinstance(value, Mapping):
        raise MetaError(source, f"{what} must be a mapping")
    return cast(Mapping[str, object], value)
