"""Where each template variable of a build got its value: a ``vars`` entry or ``--set``.

An error in a rendered template points at the template line, but the value that is wrong
often comes from a variable set elsewhere (``registry`` in an overlay's ``distro.vars``, or
``--set``). :class:`TemplateVariables` knows, for each variable, who set it last, and which
variables a template line uses, so that such an error gets a note and ``explain`` a line.
A name the template assigns (``{% set charm_channel = "" if charm_dir else channel %}``)
stands for the variables of its expression. Each template is scanned once, when an error
first points into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from distro_builder.core import NOTE, Diagnostic, Origin, Source

from ._templates import CODE_PROBLEMS

_EXPRESSION = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}")
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_NAME = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
_ASSIGNMENT = re.compile(r"\{%-?\s*set\s+([A-Za-z_]\w*)\s*=(.*?)-?%\}", re.DOTALL)


class _Template(NamedTuple):
    """A template's lines, and the variables behind each name it assigns."""

    lines: Sequence[str]
    assigned: dict[str, list[str]]


class VariableSource(NamedTuple):
    """A template variable and the ``vars`` entry that set it (None: ``--set``)."""

    name: str
    origin: Origin | None

    def note(self) -> Diagnostic:
        """The note after an error at a template line that uses this variable."""
        what = f'template variable "{self.name}" gets its value'
        if self.origin is None:
            return Diagnostic(f"{what} from --set", severity=NOTE)
        return Diagnostic(f"{what} here", self.origin, severity=NOTE)


class TemplateVariables:
    """The origin of every template variable, and the text of the templates that use them.

    Args:
        origins: by variable name, the ``vars`` entry that set its value last, or None when
            ``--set`` did.
        templates: the files rendered with these variables (the base template, overlays).
    """

    def __init__(
        self, origins: Mapping[str, Origin | None] | None = None, templates: Iterable[Source] = ()
    ) -> None:
        self._origins = dict(origins or {})
        self._texts = {source.display: source.text for source in templates}
        self._templates: dict[str, _Template] = {}

    def used_at(self, origin: Origin | None) -> list[VariableSource]:
        """The variables that the template line at `origin` uses, in the order written."""
        if origin is None or not self._origins or origin.path not in self._texts:
            return []
        template = self._templates.get(origin.path)
        if template is None:
            template = self._templates[origin.path] = self._scan(self._texts[origin.path])
        if not 0 < origin.line <= len(template.lines):
            return []
        names: list[str] = []
        for match in _EXPRESSION.finditer(template.lines[origin.line - 1]):
            for name in self._names(match.group(1) or match.group(2) or "", template.assigned):
                if name not in names:
                    names.append(name)
        return [VariableSource(name=name, origin=self._origins[name]) for name in names]

    def _names(self, code: str, assigned: Mapping[str, list[str]]) -> list[str]:
        """The variables an expression uses, through the names the template assigned."""
        names: list[str] = []
        for name in _NAME.findall(_STRING.sub("", code)):
            names += assigned.get(name, [name] if name in self._origins else [])
        return names

    def _scan(self, text: str) -> _Template:
        assigned: dict[str, list[str]] = {}
        for match in _ASSIGNMENT.finditer(text):
            assigned[match.group(1)] = list(dict.fromkeys(self._names(match.group(2), assigned)))
        return _Template(lines=text.splitlines(), assigned=assigned)

    def annotate(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """`diagnostics` with notes on the variables their template lines use.

        Each error or warning at a template line is followed by one note per variable the
        line uses, at the ``vars`` entry (or ``--set``) that gave it its value. An error about
        the template's own code (an undefined variable, its syntax) gets none.
        """
        annotated: list[Diagnostic] = []
        for diagnostic in diagnostics:
            annotated.append(diagnostic)
            if diagnostic.severity != NOTE and not diagnostic.message.startswith(CODE_PROBLEMS):
                annotated.extend(source.note() for source in self.used_at(diagnostic.origin))
        return annotated
