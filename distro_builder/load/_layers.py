"""Turn ``--overlay`` references into the ordered, rendered layers of a build.

1. The base's ``defaults.yaml`` and each overlay's ``distro:`` section are read first: overlays
   are rendered leniently (undefined variables render empty) with the defaults' and ``--set``
   variables, only to learn their ``extends`` and ``vars``.
2. The chain: each requested overlay comes after the overlays it extends, depth first, each
   overlay at most once; a cycle is an error that names it.
3. Variables: the defaults', then each overlay's in chain order, then ``--set`` (later wins).
   Every file is rendered again, strictly, with these; an overlay's ``extends`` and ``vars``
   must read the same in both passes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

import yaml

from distro_builder.core import (
    Diagnostic,
    Document,
    InputError,
    Origin,
    Source,
    did_you_mean,
    load,
    parse_plain,
    raise_if_errors,
    read_source,
)
from distro_builder.juju import decode_part, quote

from ._distro import VALID_VARIABLE, DistroSpec, parse_distro, split_distro
from ._project import OverlayRef, Project
from ._templates import SourceTemplate
from ._values import written
from ._variables import TemplateVariables

_MISPLACED_DISTRO = "a distro: section belongs only in the first document of an overlay"
_BASE_DISTRO = "the base bundle takes its distro: section from defaults.yaml"


class Layer(NamedTuple):
    """One layer: its Juju documents, the files it was made of, and its distro section."""

    name: str
    documents: Sequence[Document]
    sources: Sequence[Source]
    spec: DistroSpec | None = None


@dataclass(slots=True)
class Overlay:
    """An overlay file and what its first (lenient) reading found."""

    ref: OverlayRef
    source: Source
    template: SourceTemplate | None
    spec: DistroSpec | None
    problems: list[Diagnostic]
    first_text: str = ""
    first_documents: Sequence[Document] = ()


class BuildInputs(NamedTuple):
    """The layers of a build, base first, and the variables they were rendered with.

    Attributes:
        layers: the layers, base first.
        variables: every variable, as the templates saw it.
        sources: where each variable got its value (a ``vars`` entry or ``--set``).
        used: the variables some template of the build reads.
        origins: where each variable got its value (None: from ``--set``).
    """

    layers: list[Layer]
    variables: dict[str, Any]
    sources: TemplateVariables
    used: frozenset[str] = frozenset()
    origins: Mapping[str, Origin | None] = MappingProxyType({})


def read_defaults(project: Project) -> tuple[DistroSpec, Source]:
    """The base distribution's ``distro:`` section from ``defaults.yaml``."""
    documents = load(project.defaults)
    source = documents[0].source if documents else read_source(project.defaults)
    if not documents:
        return DistroSpec(project.base_dir), source
    document, raw = split_distro(documents[0])
    diagnostics: list[Diagnostic] = []
    if document.value or len(documents) > 1:
        message = f"{project.defaults.name} holds only a distro: section"
        diagnostics.append(Diagnostic(message, document.origin(())))
    spec, problems = parse_distro(documents[0], raw)
    raise_if_errors([*diagnostics, *problems])
    return spec, source


def read_overlay(ref: OverlayRef, variables: Mapping[str, Any]) -> Overlay:
    """Read an overlay and its ``distro:`` section (first, lenient pass)."""
    source = read_source(ref.path)
    try:
        template = SourceTemplate(source)
    except InputError as error:
        return Overlay(
            ref=ref, source=source, template=None, spec=None, problems=error.diagnostics
        )
    try:
        rendered = template.render(variables, lenient=True)
        documents = rendered.documents(source)
    except InputError as error:
        return Overlay(
            ref=ref, source=source, template=template, spec=None, problems=error.diagnostics
        )
    spec, problems = _spec_of(documents, source)
    return Overlay(
        ref=ref,
        source=source,
        template=template,
        spec=spec,
        problems=problems,
        first_text=rendered.text,
        first_documents=documents,
    )


def _spec_of(documents: Sequence[Document], source: Source) -> tuple[DistroSpec, list[Diagnostic]]:
    if not documents:
        return DistroSpec(source.directory), []
    _, raw = split_distro(documents[0])
    return parse_distro(documents[0], raw)


def resolve_chain(
    project: Project, references: Sequence[str], variables: Mapping[str, Any]
) -> tuple[list[Overlay], list[Diagnostic]]:
    """The overlays of a build in application order, with the problems found on the way."""
    chain: list[Overlay] = []
    stack: list[tuple[str, Overlay]] = []
    done: set[str] = set()
    diagnostics: list[Diagnostic] = []

    def visit(ref: OverlayRef, origin: Origin | None) -> None:
        key = os.path.realpath(ref.path)  # one file, however a chain spells its path
        if key in done:
            return
        keys = [seen for seen, _ in stack]
        if key in keys:
            cycle = [overlay.ref.name for _, overlay in stack[keys.index(key) :]]
            message = f"extends cycle: {' -> '.join([*cycle, ref.name])}"
            diagnostics.append(Diagnostic(message, origin))
            return
        overlay = read_overlay(ref, variables)
        stack.append((key, overlay))
        for setting in overlay.spec.extends if overlay.spec else []:
            try:
                parent = project.resolve(
                    setting.value, origin=setting.origin, relative_to=overlay.source.directory
                )
            except InputError as error:
                diagnostics.extend(error.diagnostics)
                continue
            visit(parent, setting.origin)
        stack.pop()
        done.add(key)
        chain.append(overlay)

    for reference in references:
        try:
            ref = project.resolve(reference)
        except InputError as error:
            diagnostics.extend(error.diagnostics)
            continue
        visit(ref, None)
    return chain, diagnostics


def build_inputs(
    project: Project, references: Sequence[str], settings: Mapping[str, Any]
) -> BuildInputs:
    """Read, order and render every layer of a build; raise :class:`InputError` on problems."""
    defaults, defaults_source = read_defaults(project)
    first_pass = {**defaults.variables, **settings}
    chain, diagnostics = resolve_chain(project, references, first_pass)
    variables = dict(defaults.variables)
    origins: dict[str, Origin | None] = dict(defaults.variable_origins)
    for overlay in chain:
        if overlay.spec is not None:
            variables.update(overlay.spec.variables)
            origins.update(overlay.spec.variable_origins)
    diagnostics.extend(_undeclared(settings, variables))
    variables.update(settings)
    origins.update(dict.fromkeys(settings))

    base_source = read_source(project.base_template)
    templates = [base_source, *(overlay.source for overlay in chain)]
    variable_sources = TemplateVariables(origins, templates)
    layers: list[Layer] = []
    used = set().union(*(o.template.names for o in chain if o.template is not None))
    try:
        base = SourceTemplate(base_source)
        used |= base.names
        documents = base.render(variables).documents(base_source)
        juju, _ = _juju_documents(documents, diagnostics, distro_allowed=False)
        base_name = project.base_dir.name
        sources = (defaults_source, base_source)
        layers.append(Layer(name=base_name, documents=juju, sources=sources, spec=defaults))
    except InputError as error:
        diagnostics.extend(error.diagnostics)
    for overlay in chain:
        layer = _second_pass(overlay, variables, diagnostics)
        if layer is not None:
            layers.append(layer)
    if any(diagnostic.is_error for diagnostic in diagnostics):
        diagnostics.extend(_shape_problems(layers))
    raise_if_errors(variable_sources.annotate(diagnostics))
    return BuildInputs(
        layers=layers,
        variables=variables,
        sources=variable_sources,
        used=frozenset(used & set(variables)),
        origins=origins,
    )


def _undeclared(settings: Mapping[str, Any], declared: Mapping[str, Any]) -> list[Diagnostic]:
    """An error for each ``--set`` of a variable no layer declares (it would be ignored)."""
    return [
        Diagnostic(
            f"--set {quote(name)}: no variable {quote(name)} is declared by defaults.yaml or"
            f" an overlay of the chain, so it would change nothing{did_you_mean(name, declared)}"
        )
        for name in settings
        if name not in declared
    ]


def _shape_problems(layers: Sequence[Layer]) -> list[Diagnostic]:
    """What Juju's schema finds wrong in each document (wrong types, invalid names).

    Composing finds these too, but a build with errors here stops before composing: they are
    reported now, so that every error of a file that parsed comes out in one run.
    """
    problems: list[Diagnostic] = []
    for layer in layers:
        for document in layer.documents:
            problems.extend(decode_part(document).diagnostics)
    return problems


def _second_pass(
    overlay: Overlay, variables: Mapping[str, Any], diagnostics: list[Diagnostic]
) -> Layer | None:
    """Render an overlay strictly; check its distro section did not change since pass one."""
    if overlay.template is None:
        diagnostics.extend(overlay.problems)
        return None
    try:
        rendered = overlay.template.render(variables)
        same = rendered.text == overlay.first_text and overlay.first_documents
        documents = overlay.first_documents if same else rendered.documents(overlay.source)
    except InputError as error:
        diagnostics.extend(error.diagnostics)
        return None
    juju, raw = _juju_documents(documents, diagnostics, distro_allowed=True)
    spec, problems = parse_distro(documents[0], raw) if documents else _spec_of([], overlay.source)
    diagnostics.extend(problems)
    first = overlay.spec or DistroSpec(overlay.source.directory)
    extends = [setting.value for setting in spec.extends]
    if (
        extends != [setting.value for setting in first.extends]
        or spec.variables != first.variables
    ):
        message = (
            "distro.extends and distro.vars must not depend on template variables that "
            "other overlays set"
        )
        diagnostics.append(Diagnostic(message, spec.origin))
    return Layer(name=overlay.ref.name, documents=juju, sources=(overlay.source,), spec=spec)


def _juju_documents(
    documents: Sequence[Document], diagnostics: list[Diagnostic], *, distro_allowed: bool
) -> tuple[list[Document], Any]:
    """The documents without their distro section, and the first document's section."""
    juju: list[Document] = []
    first_raw: Any = None
    for index, document in enumerate(documents):
        stripped, raw = split_distro(document)
        if stripped is not document and (index > 0 or not distro_allowed):
            message = _MISPLACED_DISTRO if distro_allowed else _BASE_DISTRO
            diagnostics.append(Diagnostic(message, document.origin(("distro",))))
        if index == 0:
            first_raw = raw
        juju.append(stripped)
    return juju, first_raw


def parse_settings(assignments: Sequence[str]) -> dict[str, Any]:
    """``--set KEY=VALUE`` pairs; values read as YAML scalars (``3`` is a number)."""
    settings: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    for assignment in assignments:
        key, separator, text = assignment.partition("=")
        if not separator or not VALID_VARIABLE.fullmatch(key):
            message = f"--set {quote(assignment)}: expected KEY=VALUE with KEY a Python identifier"
            diagnostics.append(Diagnostic(message))
            continue
        try:
            value = parse_plain(text) if text else ""
        except yaml.YAMLError:
            value = text
        except ValueError:  # an integer longer than Python converts
            message = f"--set {quote(key)}: the number has more digits than a value may have"
            diagnostics.append(Diagnostic(message))
            continue
        settings[key] = written(value, text) if isinstance(value, (str, int, float)) else text
    raise_if_errors(diagnostics)
    return settings
