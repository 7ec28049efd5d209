"""Render input files as Jinja2 templates in a sandbox, mapping output lines back to the source.

Templates are compiled once and rendered either strictly (an undefined variable is an error) or
leniently (undefined renders empty: used only to read an overlay's ``distro:`` section before
every variable is known). A template that adds or removes lines gets a line map, from a line
diff of source and output, so that YAML positions still point into the file the user wrote.
"""

from __future__ import annotations

import difflib
import re
import time
import traceback
from collections import Counter
from collections.abc import Mapping
from typing import Any, NamedTuple

from jinja2 import Template, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError

from distro_builder.core import (
    MAX_FILE_BYTES,
    Diagnostic,
    Document,
    InputError,
    Origin,
    Source,
    parse_documents,
)

from ._sandbox import (
    MAX_DIGITS,
    RENDER_SECONDS,
    TemplateLimitError,
    environment,
    prepare,
    rendered,
    rendering,
)

_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined")
# How the messages about a template's own code begin (not about the values it renders).
CODE_PROBLEMS = ("undefined variable ", "undefined: ", "template syntax: ", "template sandbox ")
_JINJA_TAG = re.compile(r"\{[{%#]")
_TAG_LINE = re.compile(r"\s*\{[%#].*[%#]\}\s*")
_LONG_NUMBER = re.compile(rf"[0-9](?:_?[0-9]){{{MAX_DIGITS},}}")
_NEARBY = 8
_SMALL_BLOCK = 4096  # source lines x output lines a block may have for a line diff


class Rendered(NamedTuple):
    """A template's output and, when the template changed line numbers, the line map."""

    text: str
    line_map: list[int] | None

    def documents(self, source: Source) -> list[Document]:
        """Parse the rendered text, positions pointing into `source`."""
        return parse_documents(source, self.text, self.line_map)


class SourceTemplate:
    """A source file compiled as a Jinja2 template (a file without any tag renders as is)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._templates: dict[bool, Template] = {}
        self._plain = _JINJA_TAG.search(source.text) is None
        self.names: frozenset[str] = frozenset()  # the variables the template reads
        self._seconds_left = RENDER_SECONDS  # for all the renders of this file together
        if self._plain:
            return
        tree, self._code = _compile(source)
        self.names = frozenset(
            node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"
        )

    def render(self, variables: Mapping[str, Any], *, lenient: bool = False) -> Rendered:
        """Render with `variables`; raise :class:`InputError` on any template failure."""
        if self._plain:
            return Rendered(self.source.text, None)
        template = self._template(lenient)
        try:
            started = time.monotonic()
            try:
                text = _bounded_render(template, variables, self._seconds_left)
            finally:
                self._seconds_left -= time.monotonic() - started
        except RecursionError as exc:
            exc.args = ("recursion too deep",)
            raise InputError([self._diagnostic(exc)]) from None
        except MemoryError as exc:
            limit = TemplateLimitError("out of memory").with_traceback(exc.__traceback__)
            raise InputError([self._diagnostic(limit)]) from None
        except Exception as exc:  # whatever a template's code raises is a template error
            raise InputError([self._diagnostic(exc)]) from None
        return Rendered(text, _line_map(self.source.text, text))

    def _template(self, lenient: bool) -> Template:
        template = self._templates.get(lenient)
        if template is None:
            sandbox = environment(lenient)
            template = sandbox.template_class.from_code(
                sandbox, self._code, sandbox.make_globals(None)
            )
            self._templates[lenient] = template
        return template

    def _diagnostic(self, exc: BaseException) -> Diagnostic:
        """Turn a render failure into a diagnostic at the template line that raised it."""
        line = 1
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == self.source.display:
                line = lineno
        message = str(exc) or type(exc).__name__
        column = 1
        if isinstance(exc, UndefinedError):
            match = _UNDEFINED_NAME.fullmatch(message)
            name = match.group(1) if match else ""
            column = _column_of(self.source.text, line, name)
            message = f"undefined variable {name!r}" if match else f"undefined: {message}"
        elif isinstance(exc, SecurityError):
            message = f"template sandbox violation: {message}"
        elif isinstance(exc, TemplateLimitError):
            message = f"template exceeds a bound: {message}"
        else:
            message = f"template error: {message}"
        return Diagnostic(message, Origin(self.source.display, line, column))


class _OutputTooLargeError(ValueError):
    """The rendered output passed the size bound."""


def _compile(source: Source) -> tuple[nodes.Template, Any]:
    """The template parsed and its code: constant expressions bounded, loops bounded."""
    sandbox = environment(False)
    try:
        tree = sandbox.parse(source.text, filename=source.display)
        prepare(tree)
        return tree, sandbox.compile(tree, filename=source.display)
    except TemplateSyntaxError as exc:
        origin = Origin(source.display, exc.lineno or 1, 1)
        raise InputError([Diagnostic(f"template syntax: {exc.message}", origin)]) from None
    except TemplateLimitError as exc:
        origin = Origin(source.display, getattr(exc, "lineno", None) or 1, 1)
        message = f"template exceeds a bound: {exc.message}"
        raise InputError([Diagnostic(message, origin)]) from None
    except ValueError:  # the lexer's int() of a literal longer than Python converts
        found = _LONG_NUMBER.search(source.text)
        position = found.start() if found else 0
        line = source.text.count("\n", 0, position) + 1
        column = position - (source.text.rfind("\n", 0, position) + 1) + 1
        message = f"template exceeds a bound: a number of more than {MAX_DIGITS} digits"
        raise InputError([Diagnostic(message, Origin(source.display, line, column))]) from None
    except RecursionError:
        message = "template syntax: expressions nest too deeply"
        raise InputError([Diagnostic(message, Origin(source.display, 1, 1))]) from None


def _bounded_render(template: Template, variables: Mapping[str, Any], seconds: float) -> str:
    """Render within `seconds` and the sandbox's bounds, and an output within the size bound."""
    pieces: list[str] = []
    size = 0
    token = rendering(seconds)
    try:
        for piece in template.generate(dict(variables)):
            size += len(piece)
            if size > MAX_FILE_BYTES:
                raise _OutputTooLargeError(
                    f"rendered output is larger than {MAX_FILE_BYTES} characters"
                )
            pieces.append(piece)
    finally:
        rendered(token)
    return "".join(pieces)


def _column_of(text: str, line: int, name: str) -> int:
    """1-based column of `name` on 1-based `line` of `text` (1 when not found)."""
    lines = text.splitlines()
    if not name or not 0 < line <= len(lines):
        return 1
    return lines[line - 1].find(name) + 1 or 1


def _line_map(source: str, output: str) -> list[int] | None:
    """For each output line, the 0-based source line it came from (None: lines unchanged).

    Lines equal in both map one to one. A line a template block produced maps to the most
    similar line of the source block it replaces (same indentation, longest common prefix),
    so lines a loop repeats point at the loop body. The alignment is a patience diff, so that
    it stays about linear in the size of the file: common leading and trailing lines first,
    then the lines found once on each side as anchors, and a line diff only for blocks small
    enough (:data:`_SMALL_BLOCK`); a larger block without anchors maps each output line near
    its proportional place.
    """
    source_lines = source.splitlines()
    output_lines = output.splitlines()
    if len(source_lines) == len(output_lines):
        return None
    mapping = [0] * len(output_lines)
    _Aligner(source_lines, output_lines, mapping).align()
    return mapping


class _Aligner:
    """Aligns the lines of a template with the lines of its output (see :func:`_line_map`)."""

    def __init__(self, source: list[str], output: list[str], mapping: list[int]) -> None:
        self.source = source
        self.output = output
        self.mapping = mapping

    def align(self) -> None:
        blocks = [(0, len(self.source), 0, len(self.output), 0)]
        while blocks:
            blocks.extend(self._block(*blocks.pop()))

    def _block(
        self, first: int, last: int, out_first: int, out_last: int, depth: int
    ) -> list[tuple[int, int, int, int, int]]:
        """Align one block; returns the sub-blocks still to align."""
        source, output, mapping = self.source, self.output, self.mapping
        while first < last and out_first < out_last and source[first] == output[out_first]:
            mapping[out_first] = first
            first, out_first = first + 1, out_first + 1
        while first < last and out_first < out_last and source[last - 1] == output[out_last - 1]:
            mapping[out_last - 1] = last - 1
            last, out_last = last - 1, out_last - 1
        if out_first == out_last:
            return []
        if (last - first) * (out_last - out_first) <= _SMALL_BLOCK:
            self._diff(first, last, out_first, out_last)
            return []
        anchors = _anchors(source, output, first, last, out_first, out_last) if depth < 2 else []
        if not anchors:
            self._spread(first, last, out_first, out_last)
            return []
        blocks = []
        for line, out in anchors:
            mapping[out] = line
            blocks.append((first, line, out_first, out, depth + 1))
            first, out_first = line + 1, out + 1
        blocks.append((first, last, out_first, out_last, depth + 1))
        return blocks

    def _diff(self, first: int, last: int, out_first: int, out_last: int) -> None:
        """A line diff of a small block; replaced lines map to the most similar source line."""
        matcher = difflib.SequenceMatcher(
            None, self.source[first:last], self.output[out_first:out_last], autojunk=False
        )
        for tag, start, end, out_start, out_end in matcher.get_opcodes():
            if tag == "equal":
                self.mapping[out_first + out_start : out_first + out_end] = range(
                    first + start, first + end
                )
            else:
                self._similar(
                    first + start, first + end, out_first + out_start, out_first + out_end
                )

    def _spread(self, first: int, last: int, out_first: int, out_last: int) -> None:
        """A large block without anchors: each output line maps near its proportional place."""
        for out in range(out_first, out_last):
            center = first + (out - out_first) * (last - first) // (out_last - out_first)
            self._similar(max(center - _NEARBY, first), min(center + _NEARBY, last), out, out + 1)

    def _similar(self, first: int, last: int, out_first: int, out_last: int) -> None:
        """Map output lines to the most similar (non-tag) source line of a block."""
        source = self.source
        if first == last:
            first, last = max(first - _NEARBY, 0), min(last + _NEARBY, len(source))
        candidates = [i for i in range(first, last) if not _TAG_LINE.fullmatch(source[i])]
        candidates = candidates or [min(first, max(len(source) - 1, 0))]
        for out in range(out_first, out_last):
            line = self.output[out]
            self.mapping[out] = max(candidates, key=lambda i: _similarity(source[i], line))


def _anchors(
    source: list[str], output: list[str], first: int, last: int, out_first: int, out_last: int
) -> list[tuple[int, int]]:
    """Lines found exactly once in each side of a block, in an order both sides agree on.

    The longest increasing run of their source positions (patience sorting), as
    (source line, output line) pairs in order.
    """
    seen_source = Counter(source[first:last])
    seen_output = Counter(output[out_first:out_last])
    where = {source[i]: i for i in range(first, last) if seen_source[source[i]] == 1}
    pairs = [
        (where[output[out]], out)
        for out in range(out_first, out_last)
        if seen_output[output[out]] == 1 and output[out] in where
    ]
    tails: list[int] = []  # tails[k]: index in pairs of the smallest tail of a run of k + 1
    previous = [-1] * len(pairs)
    for index, (line, _) in enumerate(pairs):
        position = _place(pairs, tails, line)
        if position > 0:
            previous[index] = tails[position - 1]
        if position == len(tails):
            tails.append(index)
        else:
            tails[position] = index
    run = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _place(pairs: list[tuple[int, int]], tails: list[int], line: int) -> int:
    """Where `line` goes among the run tails (a binary search on their source lines)."""
    low, high = 0, len(tails)
    while low < high:
        middle = (low + high) // 2
        if pairs[tails[middle]][0] < line:
            low = middle + 1
        else:
            high = middle
    return low


def _similarity(template_line: str, output_line: str) -> tuple[bool, int]:
    """How alike a template line and an output line look: same indentation, common prefix."""
    template_text, output_text = template_line.lstrip(), output_line.lstrip()
    same_indent = len(template_line) - len(template_text) == len(output_line) - len(output_text)
    pairs = zip(template_text, output_text, strict=False)
    common = next((i for i, (a, b) in enumerate(pairs) if a != b), None)
    return same_indent, min(len(template_text), len(output_text)) if common is None else common
