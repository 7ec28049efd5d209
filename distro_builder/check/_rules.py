"""Builder-side rules about charms: option value constraints and the single-unit flag.

charmcraft refuses unknown keys in charmcraft.yaml, so what a charm would refuse at run time
(a `log-level` that is not a level, a `period-refresh-active` below 60) and whether it can run
more than one unit are declared beside the charm, in the same shape everywhere:

    single-unit: true                  # never scale this charm above one unit
    options:
      log-level: {python: "charms/_libs/charms/osm_libs/v0/status.py:normalise_log_level"}
      branding-primary-color: {python: "charms/osm-ng-ui/src/colours.py:normalise_colour",
                               empty-ok: true}
      retention-time: {python: "charms/osm-prometheus/src/config.py:CharmConfig",
                       field: retention_time}
      period-refresh-active: {min: 60, allow: [-1]}
      mysql-uri: {uri: [mysql]}
      profile: {one-of: [production, testing]}

For the charms in this repository that shape is one entry per charm in
`distro_builder/charm_rules.yaml`; an external charm's descriptor carries it under `rules:`.
A `python` rule reuses the charm's own validation: a function (or the charm's config
dataclass, given the value as `field`) in a self-contained file of the repository that raises
ValueError for a bad value; `empty-ok` skips empty strings where the charm treats them as
unset. The file must not import `ops` (the builder never imports charm runtime code); that is
checked before it is loaded, and so is that the function takes the value as the rule passes
it (:func:`rule_links` lists every such link of a rules file, for a test to load).
"""

from __future__ import annotations

import importlib.util
import inspect
import math
import re
import sys
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple, Protocol, cast
from urllib.parse import urlsplit

from distro_builder.core import MAX_FILE_BYTES, InputFileError, read_input, show_value

from ._meta_yaml import MetaError, expect_mapping, read_yaml_file

RULES_FILE = Path(__file__).parent.parent / "charm_rules.yaml"
FORBIDDEN_IMPORT = "ops"
# An import of ops anywhere in a rule file (a statement at the start of a line, indented or
# not): `import ops`, `import os, ops.pebble`, `from ops import x`, `from ops.pebble import y`.
# A text search, not a parse (a parse of the charm's module costs more than the check): it
# may also match such a line inside a string, which then refuses the file, never the reverse.
IMPORTS_OPS = re.compile(
    rf"^[ \t]*(?:import[ \t]+[^\n#]*\b{FORBIDDEN_IMPORT}\b|from[ \t]+{FORBIDDEN_IMPORT}\b)",
    re.MULTILINE,
)
ANCHORS_ONLY = "x-"
RULE_KEYS = frozenset({"single-unit", "options", "combinations", "relations"})
OPTION = "option"
RELATION = "relation"
COMBINATIONS = ("exactly-one", "at-most-one", "requires", "requires-one")
RELATION_KEYS = frozenset(
    {"protocols", "client-requirements", "client-capabilities", "client", "source"}
)


class OptionRule(Protocol):
    """A constraint on an option's value, checked after Juju's type rules."""

    def check(self, value: object) -> str | None:
        """Return what is wrong with `value`, or None when the charm would accept it."""
        ...


class OneOf(NamedTuple):
    """The value is one of a fixed set."""

    values: tuple[object, ...]

    def check(self, value: object) -> str | None:
        """See OptionRule."""
        if value in self.values:
            return None
        return f"must be one of {', '.join(map(str, self.values))}, got {show_value(value)}"


class Pattern(NamedTuple):
    """The whole (string) value matches a regular expression."""

    regex: re.Pattern[str]
    hint: str

    def check(self, value: object) -> str | None:
        """See OptionRule."""
        if isinstance(value, str) and self.regex.fullmatch(value):
            return None
        return f"must be {self.hint}, got {show_value(value)}"


class Bounds(NamedTuple):
    """A number within [min, max], or one of a few special values."""

    minimum: float = -math.inf
    maximum: float = math.inf
    allow: tuple[object, ...] = ()

    def check(self, value: object) -> str | None:
        """See OptionRule."""
        if value in self.allow:
            return None
        if isinstance(value, (int, float)) and self.minimum <= value <= self.maximum:
            return None
        limits = []
        if self.minimum > -math.inf:
            limits.append(f"at least {self.minimum:g}")
        if self.maximum < math.inf:
            limits.append(f"at most {self.maximum:g}")
        special = f" (or {', '.join(map(str, self.allow))})" if self.allow else ""
        return f"must be {' and '.join(limits)}{special}, got {show_value(value)}"


class Uri(NamedTuple):
    """A URI with one of the given schemes and a host; empty means unset."""

    schemes: tuple[str, ...]

    def check(self, value: object) -> str | None:
        """See OptionRule."""
        if value == "":
            return None
        if isinstance(value, str):
            try:
                parts = urlsplit(value)
                if parts.scheme in self.schemes and parts.hostname:
                    return None
            except ValueError:
                pass
        schemes = ", ".join(f"{scheme}://" for scheme in self.schemes)
        return f"must be a URI ({schemes}...), got {show_value(value)}"


class PythonCheck(NamedTuple):
    """The charm's own validation: a function (or config class) raising ValueError.

    The function is loaded when the first value is checked, so a build loads only the
    rule files of the options it sets. With `keyword`, the value is passed by that name (a
    field of the charm's config dataclass); with `empty_ok`, an empty string means "unset".
    """

    reference: PythonReference
    keyword: str | None = None
    empty_ok: bool = False

    def check(self, value: object) -> str | None:
        """See OptionRule.

        Raises:
            MetaError: when the rule's function cannot be loaded or does not take the value.
        """
        if self.empty_ok and value == "":
            return None
        function = self.function()
        try:
            if self.keyword is None:
                function(value)
            else:
                function(**{self.keyword: value})
        except (ValueError, TypeError, AttributeError) as error:
            return str(error)
        return None

    def function(self) -> Callable[..., object]:
        """The charm's function, checked to take the value the way `check` passes it.

        This is the typed link between a rule and the charm code it names: a function that
        moved, or whose signature no longer takes the value, is a broken rule.

        Raises:
            MetaError: when the file does not load, lacks the function, or the function does
                not take the value (alone, or as `keyword`).
        """
        return _linked(self.reference, self.keyword)


class Term(NamedTuple):
    """An option set (to a value that is not empty) or an endpoint related, in a combination."""

    kind: str  # "option" or "relation"
    name: str

    def __str__(self) -> str:
        return f'{"option" if self.kind == OPTION else "endpoint"} "{self.name}"'

    def state(self) -> str:
        """`option "x" set` / `endpoint "y" related`."""
        return f"{self} {'set' if self.kind == OPTION else 'related'}"


class Combination(NamedTuple):
    """A rule over several options and relations of one application.

    `kind` is one of COMBINATIONS: `exactly-one` and `at-most-one` of `terms`; with `when`,
    `requires` (all of `terms`) and `requires-one` (at least one). `why` says what the charm
    does otherwise (its status message).
    """

    kind: str
    terms: tuple[Term, ...]
    when: Term | None = None
    why: str = ""


class RelationRule(NamedTuple):
    """What an endpoint speaks beyond its interface, and what it needs of the other side.

    Attributes:
        protocols: the protocol versions the endpoint speaks (`data-platform-v1`).
        client_requirements: (provider) what its clients must do, by name, with what it means.
        client_capabilities: (requirer) what its client can do beyond the plain protocol;
            None when not stated (not checked).
        client: (requirer) the client program behind the endpoint, for messages.
        source: where the facts were read (commit and file), for messages.
    """

    protocols: tuple[str, ...] = ()
    client_requirements: Mapping[str, str] = MappingProxyType({})
    client_capabilities: tuple[str, ...] | None = None
    client: str = ""
    source: str = ""


class CharmRules(NamedTuple):
    """What the builder knows about a charm beyond its metadata."""

    single_unit: bool = False
    options: Mapping[str, OptionRule] = MappingProxyType({})
    combinations: tuple[Combination, ...] = ()
    relations: Mapping[str, RelationRule] = MappingProxyType({})


def parse_charm_rules(
    spec: object, source: str, root: Path, *, subject: str = "rules"
) -> CharmRules:
    """Parse one charm's rules (`single-unit`, `options`).

    Args:
        spec: the parsed YAML mapping (or None for no rules).
        source: the file they were declared in, for messages.
        root: the repository root that `python` rule paths are relative to.
        subject: the key the rules sit under in `source`, naming them in messages.

    Raises:
        MetaError: when a rule is malformed.
    """
    if spec is None:
        return CharmRules()
    body = expect_mapping(spec, source, subject)
    unknown = sorted(set(body) - RULE_KEYS)
    if unknown:
        raise MetaError(source, f"{subject}: unknown rule keys: {', '.join(unknown)}")
    single_unit = body.get("single-unit", False)
    if not isinstance(single_unit, bool):
        raise MetaError(source, f'{subject}: "single-unit" must be true or false')
    where = f"{subject}.options"
    options = {
        str(name): _option_rule(rule, source, f"{where}.{name}", root)
        for name, rule in expect_mapping(body.get("options") or {}, source, where).items()
    }
    combinations = body.get("combinations") or []
    if not isinstance(combinations, list):
        raise MetaError(source, f"{subject}.combinations must be a list")
    where = f"{subject}.relations"
    return CharmRules(
        single_unit=single_unit,
        options=options,
        combinations=tuple(
            _combination(item, source, f"{subject}.combinations.{index}")
            for index, item in enumerate(combinations)
        ),
        relations={
            str(name): _relation_rule(rule, source, f"{where}.{name}")
            for name, rule in expect_mapping(body.get("relations") or {}, source, where).items()
        },
    )


def _term(spec: object, source: str, where: str) -> Term:
    kind, _, name = str(spec).partition(":")
    if kind not in (OPTION, RELATION) or not name:
        message = f"{where}: {spec!r} must be option:NAME or relation:ENDPOINT"
        raise MetaError(source, message)
    return Term(kind, name)


def _terms(spec: object, source: str, where: str) -> tuple[Term, ...]:
    if not isinstance(spec, list) or not spec:
        raise MetaError(source, f"{where} must be a non-empty list")
    return tuple(_term(item, source, f"{where}.{i}") for i, item in enumerate(spec))


def _names(value: object, source: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise MetaError(source, f"{where} must be a list of names")
    return tuple(str(item) for item in value)


def _combination(spec: object, source: str, where: str) -> Combination:
    body = expect_mapping(spec, source, where)
    kinds = [kind for kind in COMBINATIONS if kind in body]
    unknown = sorted(set(body) - {*COMBINATIONS, "when", "why"})
    if len(kinds) != 1 or unknown:
        message = f"{where}: use one of {', '.join(COMBINATIONS)} (with when, why)"
        raise MetaError(source, message)
    kind = kinds[0]
    conditional = kind in ("requires", "requires-one")
    if conditional != ("when" in body):
        raise MetaError(source, f"{where}: when goes with requires and requires-one only")
    when = _term(body["when"], source, f"{where}.when") if conditional else None
    terms = _terms(body[kind], source, f"{where}.{kind}")
    return Combination(kind=kind, terms=terms, when=when, why=str(body.get("why", "")))


def _relation_rule(spec: object, source: str, where: str) -> RelationRule:
    body = expect_mapping(spec, source, where)
    unknown = sorted(set(body) - RELATION_KEYS)
    if unknown:
        raise MetaError(source, f"{where}: unknown keys: {', '.join(unknown)}")
    requirements = expect_mapping(
        body.get("client-requirements") or {}, source, f"{where}.client-requirements"
    )
    capabilities = body.get("client-capabilities")
    return RelationRule(
        protocols=_names(body.get("protocols") or [], source, f"{where}.protocols"),
        client_requirements={str(name): str(text) for name, text in requirements.items()},
        client_capabilities=(
            _names(capabilities, source, f"{where}.client-capabilities")
            if capabilities is not None
            else None
        ),
        client=str(body.get("client", "")),
        source=str(body.get("source", "")),
    )


class RuleLink(NamedTuple):
    """A `python` rule of a rules file: the charm and option it checks, and the check."""

    charm: str
    option: str
    check: PythonCheck


def rule_links(rules_file: Path, root: Path) -> list[RuleLink]:
    """Every `python` rule of a rules file such as `charm_rules.yaml`, in file order.

    Raises:
        MetaError: when the file or a rule in it is malformed.
    """
    source = str(rules_file)
    document = expect_mapping(read_yaml_file(rules_file) or {}, source, "the rules file")
    links: list[RuleLink] = []
    for charm, spec in document.items():
        if str(charm).startswith(ANCHORS_ONLY):  # `x-...`: shared YAML anchors, no charm
            continue
        rules = parse_charm_rules(spec, source, root, subject=str(charm))
        links += [
            RuleLink(charm=str(charm), option=option, check=rule)
            for option, rule in rules.options.items()
            if isinstance(rule, PythonCheck)
        ]
    return links


def _option_rule(spec: object, source: str, where: str, root: Path) -> OptionRule:
    body = expect_mapping(spec, source, where)
    kinds = {"python", "one-of", "pattern", "uri", "min", "max"} & set(body)
    if not kinds:
        raise MetaError(source, f"{where}: no rule (use python, one-of, pattern, uri, min/max)")
    if "python" in body:
        keyword = body.get("field")
        return PythonCheck(
            PythonReference.parse(str(body["python"]), root, source, where),
            keyword=str(keyword) if keyword is not None else None,
            empty_ok=body.get("empty-ok") is True,
        )
    if "one-of" in body:
        values = body["one-of"]
        if not isinstance(values, list) or not values:
            raise MetaError(source, f"{where}: one-of must be a non-empty list")
        return OneOf(tuple(values))
    if "pattern" in body:
        try:
            regex = re.compile(str(body["pattern"]))
        except re.error as error:
            raise MetaError(source, f"{where}: invalid pattern: {error}") from error
        return Pattern(regex, str(body.get("hint", f"matching {body['pattern']}")))
    if "uri" in body:
        schemes = body["uri"]
        if not isinstance(schemes, list) or not all(isinstance(s, str) for s in schemes):
            raise MetaError(source, f"{where}: uri must be a list of schemes")
        return Uri(tuple(schemes))
    allow = body.get("allow") or []
    if not isinstance(allow, list):
        raise MetaError(source, f"{where}: allow must be a list of values")
    return Bounds(
        _number(body.get("min", -math.inf), source, f"{where}.min"),
        _number(body.get("max", math.inf), source, f"{where}.max"),
        tuple(allow),
    )


class PythonReference(NamedTuple):
    """`path/to/file.py:function` in the repository, loadable without importing ops.

    Attributes:
        path: the rule file.
        function: the name of the function (or class) in it.
        source: the file declaring the rule, and `where` in it, for messages.
    """

    path: Path
    function: str
    source: str
    where: str

    @classmethod
    def parse(cls, reference: str, root: Path, source: str, where: str) -> PythonReference:
        """Check the reference's form and file now (cheap); the file is loaded on first use.

        Raises:
            MetaError: when the form is wrong or the file is outside `root` or missing.
        """
        file_part, _, function = reference.rpartition(":")
        if not file_part or not function:
            message = f"{where}: python rule {reference!r} must be 'path/to/file.py:function'"
            raise MetaError(source, message)
        path = (root / file_part).resolve()
        if not path.is_relative_to(root.resolve()):
            message = f"{where}: python rule file {file_part!r} is outside the repository"
            raise MetaError(source, message)
        if not path.is_file():
            raise MetaError(source, f"{where}: python rule file {file_part} does not exist")
        return cls(path, function, source, where)

    def load(self) -> Callable[..., object]:
        """The function, from the file executed once (and never if it imports ops).

        Raises:
            MetaError: when the file imports ops, does not load, or lacks the function.
        """
        try:
            module = _load_module(self.path)
        except (OSError, SyntaxError, ImportError) as error:
            message = f"{self.where}: cannot load python rule file {self.path.name}: {error}"
            raise MetaError(self.source, message) from error
        function = getattr(module, self.function, None)
        if not callable(function):
            message = f"{self.where}: {self.path.name} has no function {self.function!r}"
            raise MetaError(self.source, message)
        return cast(Callable[..., object], function)


@cache
def _linked(reference: PythonReference, keyword: str | None) -> Callable[..., object]:
    """`reference` loaded, and checked to take one value (by `keyword` when given)."""
    function = reference.load()
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # no signature to read (a builtin): nothing to check
        return function
    try:
        if keyword is None:
            signature.bind(None)
        else:
            signature.bind(**{keyword: None})
    except TypeError as error:
        how = "as its only argument" if keyword is None else f"as {keyword}="
        message = (
            f"{reference.where}: {reference.path.name}:{reference.function}{signature} does not"
            f" take the value {how} ({error})"
        )
        raise MetaError(reference.source, message) from None
    return function


@cache
def _load_module(path: Path) -> object:
    """Execute a rule file once, refusing it (ImportError) when it imports ops."""
    try:
        text = read_input(path, MAX_FILE_BYTES).decode("utf-8")
    except (InputFileError, UnicodeDecodeError) as error:
        raise ImportError(str(error)) from None
    if IMPORTS_OPS.search(text):
        raise ImportError(f"it imports {FORBIDDEN_IMPORT}, which the builder never loads")
    name = "_distro_builder_rule_" + re.sub(r"\W", "_", str(path))
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError("not a python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _number(value: object, source: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MetaError(source, f"{where} must be a number")
    return float(value)
