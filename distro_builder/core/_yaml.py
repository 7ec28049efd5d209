"""The one YAML reader: input files parsed into documents that know the position of every node.

PyYAML's (C) composer builds the node graph; this module converts it to plain Python values
itself so that duplicate keys are errors, alias expansion and nesting are bounded (an alias bomb
or an absurdly deep file fails fast with a clear message), and each mapping, sequence and scalar
keeps its :class:`Origin`. Files the builder did not get from a user (charm metadata, its
own locks and bundles) are parsed as plain values by :func:`parse_plain`, from bounded reads.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from ._diagnostics import NOTE, Diagnostic, InputError, Origin
from ._files import MAX_FILE_BYTES, InputFileError, display_path, read_input
from ._text import quote

MAX_NODES = 100_000
MAX_TEXT = 4 * MAX_FILE_BYTES
MAX_DEPTH = 64
TAB_INDENT = "a tab character indents this line: YAML indents with spaces"
_OPENED = {
    "while parsing a flow sequence": 'the flow sequence ("[") starts here',
    "while parsing a flow mapping": 'the flow mapping ("{") starts here',
    "while scanning a quoted scalar": "the quoted string starts here",
}

NodePath = tuple[Any, ...]

_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_MERGE_TAG = _TAG + "merge"
_TYPED_SCALARS = {
    _TAG + "null": lambda node: None,
    _TAG + "bool": _SCALARS.construct_yaml_bool,
    _TAG + "int": _SCALARS.construct_yaml_int,
    _TAG + "float": _SCALARS.construct_yaml_float,
}
_MAX_INT_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
_TEXT_TAGS = {_TAG + "str", _TAG + "timestamp", _TAG + "binary"}
# What YAML accepts in a stream (PyYAML's reader); the first other character is an error.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


class Source(NamedTuple):
    """One input file: where it is, how diagnostics name it, and its text."""

    path: Path
    display: str
    text: str
    sha256: str

    @property
    def directory(self) -> Path:
        """The directory holding the file (relative includes resolve against it)."""
        return self.path.parent


@dataclass(slots=True)
class Document:
    """One YAML document of a source, as plain values plus the position of every node.

    Paths are tuples of mapping keys (always strings, the key's text) and sequence indexes.
    `origins` holds the key's position for mapping entries and the node's position otherwise;
    `value_origins` the position of a mapping entry's value. `texts` keeps the text of the
    scalars YAML typed as non-strings (Juju reads `channel: 3.10` as the string "3.10").
    """

    source: Source
    index: int
    value: Any
    origins: dict[NodePath, Origin] = field(default_factory=dict)
    value_origins: dict[NodePath, Origin] = field(default_factory=dict)
    texts: dict[NodePath, str] = field(default_factory=dict)

    def origin(self, path: NodePath) -> Origin:
        """Where the node at `path` (or its nearest recorded ancestor) is."""
        while path not in self.origins and path:
            path = path[:-1]
        return self.origins.get(path) or Origin(self.source.display, 1, 1)

    def value_origin(self, path: NodePath) -> Origin:
        """Where the value at `path` is (for a mapping entry: the value, not the key)."""
        return self.value_origins.get(path) or self.origin(path)

    def text(self, path: NodePath, value: object) -> str:
        """The text of the scalar at `path` as written (Juju's reading of a string field).

        Null reads as "" (Go's zero value), any other scalar as the characters written.
        """
        if isinstance(value, str):
            return value
        if value is None:
            return ""
        return self.texts.get(path, str(value))


class _LimitError(Exception):
    """Stop converting a document: a bound was exceeded."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def read_source(path: Path, display: str | None = None) -> Source:
    """Read `path` (bounded in size, UTF-8) into a :class:`Source`."""
    shown = display if display is not None else display_path(path)
    try:
        data = read_input(path, MAX_FILE_BYTES)
    except InputFileError as error:
        raise InputError([Diagnostic(_file_message(error), path=shown)]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([not_utf8(data, exc, shown)]) from None
    digest = hashlib.sha256(data).hexdigest()
    return Source(path=path.absolute(), display=shown, text=text, sha256=digest)


def _file_message(error: InputFileError) -> str:
    if error.missing:
        return "no such file"
    if error.reason.startswith("is larger than"):
        return f"file is larger than the {MAX_FILE_BYTES} bytes an input may have"
    return error.reason


def not_utf8(data: bytes, error: UnicodeDecodeError, shown: str) -> Diagnostic:
    """The diagnostic of a file that is not UTF-8, at the line and column of the first bad byte."""
    line, column = utf8_error_position(data, error)
    return Diagnostic(not_utf8_message(data, error), Origin(shown, line, column))


def not_utf8_message(data: bytes, error: UnicodeDecodeError) -> str:
    """What to say of a file that is not UTF-8."""
    return f"not UTF-8 text (byte 0x{data[error.start]:02x}): save the file as UTF-8"


def utf8_error_position(data: bytes, error: UnicodeDecodeError) -> tuple[int, int]:
    """The 1-based line and column of the first byte that is not UTF-8.

    The column counts the characters before it on its line, as an editor shows it.
    """
    line_start = data.rfind(b"\n", 0, error.start) + 1
    line = data.count(b"\n", 0, error.start) + 1
    column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
    return line, column


def parse_documents(
    source: Source, text: str | None = None, line_map: Sequence[int] | None = None
) -> list[Document]:
    """Parse every YAML document of `text` (default: the source's own text).

    `line_map[i]` is the 0-based source line of line `i` of `text` (for rendered templates).
    Raises :class:`InputError` with every problem found.
    """
    converter = _Converter(source, line_map)
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    text = source.text if text is None else text
    try:
        for index, node in enumerate(yaml.compose_all(text, Loader=_COMPOSER)):
            document = converter.convert(index, node)
            if document is not None:
                documents.append(document)
    except yaml.MarkedYAMLError as exc:
        diagnostics.extend(_syntax_error(exc, converter, text))
    except (yaml.YAMLError, UnicodeEncodeError) as exc:
        problem = yaml_problem(exc, text)
        diagnostics.append(Diagnostic(problem.message, converter.origin_of(problem)))
    except RecursionError:
        message = f"nesting deeper than {MAX_DEPTH} levels"
        diagnostics.append(Diagnostic(message, path=source.display))
    diagnostics[:0] = converter.diagnostics
    if diagnostics:
        raise InputError(diagnostics)
    return documents


def _syntax_error(exc: yaml.MarkedYAMLError, converter: _Converter, text: str) -> list[Diagnostic]:
    """PyYAML's error at its position (said plainly for a tab).

    When the error is about a flow collection or a quoted string, a note follows at the
    position where it started (an unclosed ``[`` is found only at the end of the file).
    """
    mark = exc.problem_mark or exc.context_mark
    origin = converter.origin_of_mark(mark)
    if mark is not None and _character_at(text, mark.line, mark.column) == "\t":
        return [Diagnostic(TAB_INDENT, origin)]
    problem = " ".join(part for part in (exc.context, exc.problem) if part)
    diagnostics = [Diagnostic(problem or "invalid YAML", origin)]
    opened = _OPENED.get(exc.context or "")
    start = exc.context_mark
    if opened and start is not None and mark is not None and start.index != mark.index:
        diagnostics.append(Diagnostic(opened, converter.origin_of_mark(start), severity=NOTE))
    return diagnostics


def _character_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column of `text` ("" past its end)."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    return text[start + column : start + column + 1]


class YamlProblem(NamedTuple):
    """A YAML syntax error: one line of message, and its 0-based line and column when known."""

    message: str
    line: int | None = None
    column: int | None = None


def yaml_problem(error: yaml.YAMLError | UnicodeEncodeError, text: str) -> YamlProblem:
    """What PyYAML (or libyaml) found wrong in `text`, on one line, with its position.

    PyYAML's own rendering adds lines naming ``"<unicode string>"``: only the context and the
    problem are kept. A character YAML does not accept (a control character) is located in
    `text`, since the reader reports it as an offset of its own.
    """
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.context, error.problem) if part)
        if mark is None:
            return YamlProblem(message or "invalid YAML")
        return YamlProblem(message or "invalid YAML", mark.line, mark.column)
    found = _NOT_PRINTABLE.search(text)
    if isinstance(error, (ReaderError, UnicodeEncodeError)) and found is not None:
        character = found[0]
        line = text.count("\n", 0, found.start())
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1)
        message = f"character {quote(character)} (U+{ord(character):04X}) is not allowed in YAML"
        return YamlProblem(message, line, column)
    return YamlProblem("invalid YAML: " + str(error).split("\n", 1)[0])


def load(path: Path, display: str | None = None) -> list[Document]:
    """Read and parse a plain (untemplated) YAML file."""
    return parse_documents(read_source(path, display))


def parse_plain(text: str, name: str | None = None) -> Any:
    """One YAML document as plain values, without positions (raises yaml.YAMLError).

    `name` is the file that messages of the error name (PyYAML's own: "<unicode string>").
    """
    if name is None:
        return yaml.load(text, Loader=_COMPOSER)
    stream = io.StringIO(text)
    stream.name = name  # type: ignore[misc]
    return yaml.load(stream, Loader=_COMPOSER)


class _Converter:
    """Converts composed YAML nodes into plain values, recording positions and bounding work."""

    def __init__(self, source: Source, line_map: Sequence[int] | None) -> None:
        self.source = source
        self.line_map = line_map
        self.diagnostics: list[Diagnostic] = []
        self.visited = 0
        self.characters = 0
        self.document: Document | None = None

    def origin_of(self, problem: YamlProblem) -> Origin:
        """The source position of a YAML problem (None: the file as a whole)."""
        if problem.line is None or problem.column is None:
            return Origin(self.source.display, 1, 1)
        return self._origin(problem.line, problem.column)

    def _origin(self, line: int, column: int) -> Origin:
        if self.line_map is not None and self.line_map:
            line = self.line_map[min(line, len(self.line_map) - 1)]
        return Origin(self.source.display, line + 1, column + 1)

    def origin_of_mark(self, mark: yaml.Mark | None) -> Origin:
        """The source position of a PyYAML mark (0-based, possibly in rendered text)."""
        if mark is None:
            return Origin(self.source.display, 1, 1)
        return self._origin(mark.line, mark.column)

    def convert(self, index: int, node: Node | None) -> Document | None:
        """Convert one document's root node (None when it does not convert)."""
        self.visited = 0
        self.characters = 0
        document = Document(source=self.source, index=index, value=None)
        self.document = document
        if node is None:
            return document
        try:
            document.value = self._node(node, (), 0)
        except _LimitError as abort:
            self.diagnostics.append(abort.diagnostic)
            return None
        return document

    def _node(self, node: Node, path: NodePath, depth: int) -> Any:
        document = self.document
        assert document is not None
        self._count(node)
        if depth > MAX_DEPTH:
            message = f"nesting deeper than {MAX_DEPTH} levels"
            raise _LimitError(Diagnostic(message, self.origin_of_mark(node.start_mark)))
        origin = self.origin_of_mark(node.start_mark)
        document.origins.setdefault(path, origin)
        document.value_origins[path] = origin
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, SequenceNode):
            return [
                self._node(item, (*path, index), depth + 1)
                for index, item in enumerate(node.value)
            ]
        assert isinstance(node, MappingNode)
        return self._mapping(node, path, depth)

    def _count(self, node: Node) -> None:
        """Count one more node visited; abort past the bound (alias and merge-key bombs)."""
        self.visited += 1
        if self.visited > MAX_NODES:
            message = f"document expands to more than {MAX_NODES} nodes (alias bomb?)"
            raise _LimitError(Diagnostic(message, self.origin_of_mark(node.start_mark)))

    def _scalar(self, node: ScalarNode, path: NodePath) -> Any:
        self.characters += len(node.value)
        if self.characters > MAX_TEXT:
            message = f"document expands to more than {MAX_TEXT} characters of text (alias bomb?)"
            raise _LimitError(Diagnostic(message, self.origin_of_mark(node.start_mark)))
        construct = _TYPED_SCALARS.get(node.tag)
        if construct is not None:
            assert self.document is not None
            self.document.texts[path] = node.value
            try:
                return construct(node)
            except ValueError:  # an integer longer than Python converts
                digits = sum(character.isdigit() for character in node.value)
                message = (
                    f"integer of {digits} digits is out of range"
                    f" (at most {_MAX_INT_DIGITS} digits)"
                )
                self.diagnostics.append(Diagnostic(message, self.origin_of_mark(node.start_mark)))
                return node.value
        if node.tag not in _TEXT_TAGS:
            message = f"unsupported YAML tag {quote(node.tag)}"
            self.diagnostics.append(Diagnostic(message, self.origin_of_mark(node.start_mark)))
        return node.value

    def _mapping(self, node: MappingNode, path: NodePath, depth: int) -> dict[str, Any]:
        document = self.document
        assert document is not None
        result: dict[str, Any] = {}
        first_seen: dict[str, Origin] = {}
        for key_node, value_node in self._entries(node):
            if not isinstance(key_node, ScalarNode):
                message = "a mapping key must be a scalar"
                self.diagnostics.append(
                    Diagnostic(message, self.origin_of_mark(key_node.start_mark))
                )
                continue
            key = key_node.value
            key_origin = self.origin_of_mark(key_node.start_mark)
            if key in first_seen:
                message = f"duplicate key {quote(key)} (first defined at {first_seen[key]})"
                self.diagnostics.append(Diagnostic(message, key_origin))
                continue
            first_seen[key] = key_origin
            child = (*path, key)
            document.origins[child] = key_origin
            result[key] = self._node(value_node, child, depth + 1)
        return result

    def _entries(self, node: MappingNode) -> list[tuple[Node, Node]]:
        """The entries of a mapping with YAML merge keys (``<<``) expanded; own keys win."""
        own = [(k, v) for k, v in node.value if k.tag != _MERGE_TAG]
        if len(own) == len(node.value):
            return own
        own_keys = {k.value for k, _ in own if isinstance(k, ScalarNode)}
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                self._count(source)
                if not isinstance(source, MappingNode):
                    message = "a merge key (<<) needs a mapping or a list of mappings"
                    raise _LimitError(Diagnostic(message, self.origin_of_mark(source.start_mark)))
                for entry in self._entries(source):
                    name = entry[0].value
                    if isinstance(entry[0], ScalarNode) and name not in own_keys:
                        own_keys.add(name)
                        merged.append(entry)
        return own + merged
