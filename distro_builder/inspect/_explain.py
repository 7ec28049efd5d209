"""Provenance printing: every layer that touched a value, in order, and the value it ended as.

nbi.log-level = "DEBUG"
  1. overlays/globex/overlay.yaml:31:7  log-level: DEBUG

A value written by a template line that uses variables shows, under that line, where each
variable got its value (a ``vars`` entry, or ``--set``); `explain nbi --overlay acme-telco`:

  resources.nbi-image = "registry.acme.example/osm/nbi:16"
    1. bundles/osm/bundle.yaml.j2:35:7  nbi-image: "{{ registry }}/nbi:{{ osm_version }}"
         registry: overlays/acme-telco/overlay.yaml:12:5  registry: registry.acme.example/osm
         osm_version: bundles/osm/defaults.yaml:12:5  osm_version: "16"
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Protocol

from distro_builder.check import CharmMeta, is_secret_name
from distro_builder.core import (
    MAX_FILE_BYTES,
    NodePath,
    Origin,
    as_mapping,
    did_you_mean,
    read_bounded,
    redact,
    show_value,
)
from distro_builder.load import TemplateVariables

INDENT = "  "
_UNDER_ORIGIN = "     "
NOT_SHOWN = "(not shown: the option holds a secret)"
SECRET_FIELDS = ("options", "annotations")


class ExplainError(ValueError):
    """The target names nothing in the distribution."""


class History(Protocol):
    """The composition's provenance, as explain reads it."""

    def history(self, path: NodePath) -> list[Origin]:
        """Every origin that touched `path`, in the order the layers applied."""
        ...


def split_target(target: str) -> tuple[str, str | None]:
    """`nbi.log-level` -> ("nbi", "log-level"); `nbi` -> ("nbi", None)."""
    application, _, option = target.partition(".")
    return application, option or None


def explain(
    bundle: Mapping[str, object],
    provenance: History,
    target: str,
    *,
    charm: CharmMeta | None = None,
    variables: TemplateVariables | None = None,
) -> str:
    """Describe where `APP` or `APP.OPTION` of a composed bundle came from.

    Args:
        bundle: the composed bundle.
        provenance: the composition's provenance.
        target: `APP` (every value of the application) or `APP.OPTION`.
        charm: the application's charm metadata, to tell the default of an unset option.
        variables: where the template variables got their values.

    Raises:
        ExplainError: when the application is not in the bundle, or its charm has no such
            option.
    """
    sources = variables or TemplateVariables()
    application, option = split_target(target)
    applications = as_mapping(bundle.get("applications"))
    if application not in applications:
        raise ExplainError(
            f'application "{application}" is not in the distribution'
            f"{did_you_mean(application, applications)}; it has: {', '.join(sorted(applications))}"
        )
    spec = as_mapping(applications[application])
    scope: NodePath = ("applications", application)
    if option is not None:
        lines = _explain_option(spec, provenance, scope, application, option, charm, sources)
        return "\n".join(lines)
    lines = [f"{application} ({spec.get('charm', '?')})"]
    defined = provenance.history(scope)
    if defined:
        lines.append(f"{INDENT}defined at {', '.join(map(str, defined))}")
    for sub, value in _leaves(spec):
        secret = len(sub) == 2 and sub[0] in SECRET_FIELDS and is_secret_name(str(sub[1]))
        shown = NOT_SHOWN if secret else show_value(value)
        lines.append(f"{INDENT}{'.'.join(map(str, sub))} = {shown}")
        origins = provenance.history((*scope, *sub))
        lines += _origins(origins, INDENT, sources, snippets=not secret)
    return "\n".join(lines)


def _explain_option(
    spec: Mapping[str, object],
    provenance: History,
    scope: NodePath,
    application: str,
    option: str,
    charm: CharmMeta | None,
    sources: TemplateVariables,
) -> list[str]:
    options = as_mapping(spec.get("options"))
    name = f"{application}.{option}"
    if option in options:
        secret = is_secret_name(option)
        shown = NOT_SHOWN if secret else show_value(options[option])
        origins = provenance.history((*scope, "options", option))
        return [f"{name} = {shown}", *_origins(origins, "", sources, snippets=not secret)]
    if charm is None:
        return [f"{name} is not set in the distribution: the charm's default applies"]
    known = charm.options.get(option)
    if known is None:
        raise ExplainError(
            f'{name}: charm "{charm.name}" has no option "{option}"'
            f"{did_you_mean(option, charm.options)}"
        )
    return [
        f"{name} is not set in the distribution: the charm's default"
        f" {show_value(known.default)} applies ({charm.source})"
    ]


def _origins(
    origins: list[Origin], indent: str, sources: TemplateVariables, *, snippets: bool = True
) -> Iterator[str]:
    """One numbered line per origin, with the source text found there (unless `snippets`).

    Under it, one line per template variable the source line uses: where it got its value.
    """
    for number, origin in enumerate(origins, start=1):
        yield f"{indent}{INDENT}{number}. {_located(origin, snippets=snippets)}"
        for variable in sources.used_at(origin):
            where = "--set" if variable.origin is None else _located(variable.origin)
            yield f"{indent}{INDENT}{_UNDER_ORIGIN}{variable.name}: {where}"


def _located(origin: Origin, *, snippets: bool = True) -> str:
    """`PATH:LINE:COL  source text` (the text when it can be read and `snippets`)."""
    snippet = _source_line(origin.path, origin.line) if snippets else ""
    return f"{origin}  {snippet}" if snippet else str(origin)


def _leaves(spec: Mapping[str, object]) -> Iterator[tuple[NodePath, object]]:
    """Every field of an application, one level into maps (options, resources...)."""
    for key, value in spec.items():
        if isinstance(value, Mapping) and value:
            for item, inner in value.items():
                yield (key, item), inner
        else:
            yield (key,), value


@cache
def _lines(path: str) -> tuple[str, ...]:
    try:
        return tuple(read_bounded(Path(path), MAX_FILE_BYTES).decode("utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def _source_line(path: str, line: int) -> str:
    """The source text at `path:line`, stripped and redacted; "" when unavailable."""
    lines = _lines(path)
    return redact(lines[line - 1].strip()) if 0 < line <= len(lines) else ""
