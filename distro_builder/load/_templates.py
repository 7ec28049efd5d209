"""Render input files as Jinja2 templates in a sandbox, mapping output lines back to the source.

Templates are compiled once and rendered either strictly (an undefined variable is an error) or
leniently (undefined renders empty: used only to read an overlay's ``distro:`` section before
every variable is known). A template that adds or removes lines gets a line map, from a line
diff of source and output, so that YAML positions still point into the file the user wrote.
"""

from __future__ import annotations

import difflib
import re
import traceback
from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

from jinja2 import (
    ChainableUndefined,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    nodes,
)
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from distro_builder.core import (
    MAX_FILE_BYTES,
    Diagnostic,
    Document,
    InputError,
    Origin,
    Source,
    parse_documents,
)

_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined$")
# How the messages about a template's own code begin (not about the values it renders).
CODE_PROBLEMS = ("undefined variable ", "undefined: ", "template syntax: ", "template sandbox ")
_JINJA_TAG = re.compile(r"\{[{%#]")
_TAG_LINE = re.compile(r"^\s*\{[%#].*[%#]\}\s*$")
_NEARBY = 8
_OPTIONS: dict[str, Any] = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "autoescape": False,
}


class Rendered(NamedTuple):
    """A template's output and, when the template changed line numbers, the line map."""

    text: str
    line_map: list[int] | None

    def documents(self, source: Source) -> list[Document]:
        """Parse the rendered text, positions pointing into `source`."""
        return parse_documents(source, self.text, self.line_map)


@cache
def _environment(lenient: bool) -> SandboxedEnvironment:
    """The sandboxed environment (immutable: templates cannot modify their variables)."""
    undefined = ChainableUndefined if lenient else StrictUndefined
    return ImmutableSandboxedEnvironment(undefined=undefined, **_OPTIONS)


class SourceTemplate:
    """A source file compiled as a Jinja2 template (a file without any tag renders as is)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._templates: dict[bool, Template] = {}
        self._plain = _JINJA_TAG.search(source.text) is None
        self.names: frozenset[str] = frozenset()  # the variables the template reads
        if self._plain:
            return
        try:
            environment = _environment(False)
            tree = environment.parse(source.text, filename=source.display)
            self._code = environment.compile(tree, filename=source.display)
        except TemplateSyntaxError as exc:
            origin = Origin(source.display, exc.lineno or 1, 1)
            raise InputError([Diagnostic(f"template syntax: {exc.message}", origin)]) from None
        self.names = frozenset(
            node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"
        )

    def render(self, variables: Mapping[str, Any], *, lenient: bool = False) -> Rendered:
        """Render with `variables`; raise :class:`InputError` on any template failure."""
        if self._plain:
            return Rendered(self.source.text, None)
        template = self._template(lenient)
        try:
            text = _bounded_render(template, variables)
        except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as exc:
            raise InputError([self._diagnostic(exc)]) from None
        except RecursionError:
            raise InputError([self._diagnostic(RecursionError("recursion too deep"))]) from None
        return Rendered(text, _line_map(self.source.text, text))

    def _template(self, lenient: bool) -> Template:
        template = self._templates.get(lenient)
        if template is None:
            environment = _environment(lenient)
            template = environment.template_class.from_code(
                environment, self._code, environment.make_globals(None)
            )
            self._templates[lenient] = template
        return template

    def _diagnostic(self, exc: BaseException) -> Diagnostic:
        """Turn a render failure into a diagnostic at the template line that raised it."""
        line = 1
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == self.source.display:
                line = lineno
        message = str(exc)
        column = 1
        if isinstance(exc, UndefinedError):
            match = _UNDEFINED_NAME.match(message)
            name = match.group(1) if match else ""
            column = _column_of(self.source.text, line, name)
            message = f"undefined variable {name!r}" if match else f"undefined: {message}"
        elif isinstance(exc, SecurityError):
            message = f"template sandbox violation: {message}"
        else:
            message = f"template error: {message}"
        return Diagnostic(message, Origin(self.source.display, line, column))


class _OutputTooLargeError(ValueError):
    """The rendered output passed the size bound."""


def _bounded_render(template: Template, variables: Mapping[str, Any]) -> str:
    """Render, giving up as soon as the output passes the input size bound."""
    pieces: list[str] = []
    size = 0
    for piece in template.generate(dict(variables)):
        size += len(piece)
        if size > MAX_FILE_BYTES:
            raise _OutputTooLargeError(
                f"rendered output is larger than {MAX_FILE_BYTES} characters"
            )
        pieces.append(piece)
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
    so lines a loop repeats point at the loop body.
    """
    source_lines = source.splitlines()
    output_lines = output.splitlines()
    if len(source_lines) == len(output_lines):
        return None
    matcher = difflib.SequenceMatcher(None, source_lines, output_lines, autojunk=False)
    mapping = [0] * len(output_lines)
    for tag, first, last, out_first, out_last in matcher.get_opcodes():
        if tag == "equal":
            mapping[out_first:out_last] = range(first, last)
            continue
        if first == last:
            first, last = max(first - _NEARBY, 0), min(last + _NEARBY, len(source_lines))
        candidates = [i for i in range(first, last) if not _TAG_LINE.match(source_lines[i])]
        candidates = candidates or [min(first, max(len(source_lines) - 1, 0))]
        for out in range(out_first, out_last):
            line = output_lines[out]
            mapping[out] = max(candidates, key=lambda i: _similarity(source_lines[i], line))
    return mapping


def _similarity(template_line: str, output_line: str) -> tuple[bool, int]:
    """How alike a template line and an output line look: same indentation, common prefix."""
    template_text, output_text = template_line.lstrip(), output_line.lstrip()
    same_indent = len(template_line) - len(template_text) == len(output_line) - len(output_text)
    pairs = zip(template_text, output_text, strict=False)
    common = next((i for i, (a, b) in enumerate(pairs) if a != b), None)
    return same_indent, min(len(template_text), len(output_text)) if common is None else common
