"""Charm-aware checks of a composed bundle: does it fit the charms it deploys?

Every application's charm is looked up (this repository, then the external catalog) and the
bundle is checked against it: relations (endpoints exist, roles and interfaces fit, omitted
endpoints inferred as Juju infers them, `limit`, required endpoints left unrelated), options
(unknown names, Juju's type rules, values the charm would refuse), resources (names, OCI
image references), storage names and scale (single-unit charms, subordinates). Each finding
is reported at the position of the layer that set the value, all of them together.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple, Protocol

from distro_builder.compose import RemovedRelation
from distro_builder.core import (
    ERROR,
    NOTE,
    WARNING,
    Diagnostic,
    NodePath,
    Origin,
    Severity,
    as_mapping,
    as_sequence,
    did_you_mean,
    quote,
    redact,
    show_value,
)
from distro_builder.juju import is_local_charm, quote_list

from ._catalog import CharmIndex
from ._images import is_image_reference
from ._meta_yaml import MetaError
from ._metadata import CharmMeta
from ._option_types import type_option_value
from ._relations import Bound, Side, offered, resolve, undefined_endpoint
from ._rules import OPTION, Term
from ._secrets import is_secret_name

UNIT_KEYS = ("scale", "num_units")
NO_CHARMS = "no charm metadata, so the charm-aware checks were skipped"
OCI_IMAGE = "oci-image"
HOW_TO_IMPORT = (
    "to deploy a charm from elsewhere, describe it in the catalog: distro-builder catalog import"
    " FILE (its .charm, charmcraft.yaml or metadata.yaml); see charms/external/README.md"
)
NOT_SHOWN = " (value not shown: the option holds a secret)"
_LOCAL_FILE = re.compile(r"\A(?:\.{0,2}/|~)|\.(?:ya?ml|json)\Z")


class OriginLookup(Protocol):
    """Where a bundle value was set (the composition's provenance)."""

    def origin(self, path: NodePath) -> Origin | None:
        """The last layer that wrote `path`, else its nearest recorded ancestor's."""
        ...


class RelationFacts(NamedTuple):
    """What the charms say about a bundle's relations: all that a picture of it needs.

    Attributes:
        interfaces: the interface of each resolved relation, by index in `relations`.
        endpoints: the two `app:endpoint` each resolved relation connects (an endpoint the
            bundle leaves out is the one Juju infers), by index, in the order written.
        external: applications whose charm comes from the external catalog.
    """

    interfaces: Mapping[int, str] = MappingProxyType({})
    endpoints: Mapping[int, tuple[str, str]] = MappingProxyType({})
    external: frozenset[str] = frozenset()


class CharmReport(NamedTuple):
    """What the charm-aware checks found.

    Attributes:
        diagnostics: every finding, errors and warnings, in a stable order: each
            application's (by name), then the relations'.
        facts: the relations resolved on the way.
    """

    diagnostics: Sequence[Diagnostic]
    facts: RelationFacts


def check_charms(
    bundle: Mapping[str, object],
    provenance: OriginLookup,
    index: CharmIndex,
    *,
    allow_unknown_charms: bool = False,
    removed: Sequence[RemovedRelation] = (),
) -> CharmReport:
    """Check a composed bundle against the metadata of its charms.

    Args:
        bundle: the bundle as it will be emitted.
        provenance: where each value was set.
        index: where charm metadata comes from.
        allow_unknown_charms: report a charm found nowhere as a warning, not an error.
        removed: the relations ``remove-relations`` removed (a note where one of them
            leaves a required endpoint unrelated).
    """
    checks = _CharmChecks(
        bundle, provenance, index, allow_unknown_charms=allow_unknown_charms, removed=removed
    )
    return checks.report()


def resolve_relations(
    bundle: Mapping[str, object], provenance: OriginLookup, index: CharmIndex
) -> RelationFacts:
    """What the charms say about a bundle's relations, findings left aside (a picture, a diff)."""
    return _CharmChecks(bundle, provenance, index).relations()


@dataclass
class _Usage:
    """Which endpoints the bundle's relations use."""

    relations: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    attempted: set[tuple[str, str]] = field(default_factory=set)
    unresolved: set[str] = field(default_factory=set)
    seen: dict[frozenset[str], tuple[str, ...]] = field(default_factory=dict)


class _CharmChecks:
    """The charm-aware checks of one bundle.

    `relations()` looks up every application's charm and resolves every relation;
    `report()` adds the checks of options, resources, storage and scale, and returns every
    finding.
    """

    def __init__(
        self,
        bundle: Mapping[str, object],
        provenance: OriginLookup,
        index: CharmIndex,
        *,
        allow_unknown_charms: bool = False,
        removed: Sequence[RemovedRelation] = (),
    ) -> None:
        self._removed = removed
        self._applications = as_mapping(bundle.get("applications"))
        self._relations_written = as_sequence(bundle.get("relations"))
        self._provenance = provenance
        self._index = index
        self._allow_unknown = allow_unknown_charms
        self._charms: dict[str, tuple[str, CharmMeta]] = {}
        self._broken: set[str] = set()
        self._told_how_to_import = False
        self._application_findings: dict[str, list[Diagnostic]] = {}
        self._relation_findings: list[Diagnostic] = []
        self._facts: RelationFacts | None = None
        self._outcome: CharmReport | None = None
        self._usage = _Usage()

    def relations(self) -> RelationFacts:
        """Look up the charms and resolve the relations (once)."""
        if self._facts is None:
            self._facts = self._resolve()
        return self._facts

    def report(self) -> CharmReport:
        """Every finding: the charms, the relations, then each application's values (once)."""
        if self._outcome is None:
            self._outcome = self._check_values()
        return self._outcome

    def _check_values(self) -> CharmReport:
        facts = self.relations()
        if not self._index.charms_dir.is_dir():
            message = (
                f"no {self._index.charms_dir.name}/ directory in {self._index.root}: {NO_CHARMS}"
            )
            warning = Diagnostic(message, severity=WARNING)
            return CharmReport(diagnostics=[warning], facts=facts)
        for name, (reference, meta) in self._charms.items():
            spec = as_mapping(self._applications[name])
            findings = self._application_findings[name]
            self._check_options(findings, name, reference, meta, as_mapping(spec.get("options")))
            self._check_resources(
                findings, name, reference, meta, as_mapping(spec.get("resources"))
            )
            self._check_storage(findings, name, reference, meta, as_mapping(spec.get("storage")))
            self._check_units(findings, name, reference, meta, spec)
            self._check_combinations(findings, name, reference, meta, spec)
        diagnostics = [
            finding for findings in self._application_findings.values() for finding in findings
        ]
        return CharmReport(diagnostics=diagnostics + self._relation_findings, facts=facts)

    def _resolve(self) -> RelationFacts:
        if not self._index.charms_dir.is_dir():
            return RelationFacts()
        for name in sorted(self._applications):  # findings are reported in this order
            findings = self._application_findings.setdefault(name, [])
            reference = as_mapping(self._applications[name]).get("charm")
            if not isinstance(reference, str):
                continue
            meta = self._find(findings, name, reference)
            if meta is not None:
                self._charms[name] = (reference, meta)
        usage = self._usage
        interfaces: dict[int, str] = {}
        endpoints: dict[int, tuple[str, str]] = {}
        for number, relation in enumerate(self._relations_written):
            ends = self._check_relation(number, relation, usage)
            if ends is not None:
                interfaces[number] = ends[0].endpoint.interface
                endpoints[number] = (str(ends[0]), str(ends[1]))
                self._check_protocols(number, ends)
        self._check_limits(usage)
        self._check_required(usage)
        external = frozenset(name for name, (_, meta) in self._charms.items() if meta.external)
        return RelationFacts(interfaces=interfaces, endpoints=endpoints, external=external)

    def _report(
        self,
        findings: list[Diagnostic],
        message: str,
        path: NodePath,
        severity: Severity = ERROR,
    ) -> None:
        origin = self._provenance.origin(path)
        findings.append(Diagnostic(message, origin, severity=severity))

    def _find(self, findings: list[Diagnostic], name: str, reference: str) -> CharmMeta | None:
        try:
            meta = self._index.find(reference)
        except MetaError as error:
            if is_local_charm(reference) and error.source.split("!")[0] == reference:
                # the file the bundle names is itself unusable: say so at the charm: line
                message = f"application {quote(name)}: charm {quote(reference)} {error.message}"
                self._report(findings, message, ("applications", name, "charm"))
            else:
                self._report_broken(findings, error)
            return None
        if meta is None:
            severity = WARNING if self._allow_unknown else ERROR
            self._report(
                findings,
                f'application "{name}" refers to non-existent charm "{reference}": it is neither'
                " in charms/ nor in the external catalog (charms/external/)",
                ("applications", name, "charm"),
                severity,
            )
            if not self._told_how_to_import:  # once: the same advice for every such charm
                self._told_how_to_import = True
                findings.append(Diagnostic(HOW_TO_IMPORT, severity=NOTE))
        return meta

    def _report_broken(self, findings: list[Diagnostic], error: MetaError) -> None:
        """A charm's metadata or rules are malformed: say so once, at that file."""
        if error.source not in self._broken:
            self._broken.add(error.source)
            findings.append(error.diagnostic())

    def _check_options(
        self,
        findings: list[Diagnostic],
        name: str,
        reference: str,
        meta: CharmMeta,
        options: Mapping[str, object],
    ) -> None:
        prefix = f'cannot validate application "{name}"'
        for key, value in options.items():
            path: NodePath = ("applications", name, "options", key)
            option = meta.options.get(key)
            if option is None:
                self._report(
                    findings,
                    f'{prefix}: configuration option "{key}" not found in charm "{reference}"'
                    f"{did_you_mean(key, meta.options)}",
                    path,
                )
                continue
            secret = is_secret_name(key)
            typed = type_option_value(option.type, value)
            if typed.problem is not None:
                shown = "" if option.type == "secret" else f", got {show_value(value)}"
                shown = NOT_SHOWN if secret and option.type != "secret" else shown
                self._report(findings, f'{prefix}: option "{key}" {typed.problem}{shown}', path)
                continue
            rule = meta.rules.options.get(key)
            try:
                problem = rule.check(typed.value) if rule and value is not None else None
            except MetaError as error:
                self._report_broken(findings, error)
                continue
            if problem is not None:
                problem = f"the charm refuses the value{NOT_SHOWN}" if secret else redact(problem)
                self._report(findings, f'{prefix}: option "{key}": {problem}', path)

    def _check_resources(
        self,
        findings: list[Diagnostic],
        name: str,
        reference: str,
        meta: CharmMeta,
        resources: Mapping[str, object],
    ) -> None:
        for key, value in resources.items():
            path: NodePath = ("applications", name, "resources", key)
            kind = meta.resources.get(key)
            if kind is None:
                self._report(
                    findings,
                    f'cannot validate application "{name}": resource "{key}" not found in charm'
                    f' "{reference}"{did_you_mean(key, meta.resources)}',
                    path,
                )
                continue
            problem = _resource_problem(kind, value)
            if problem is not None:
                self._report(findings, f'application "{name}" resource "{key}": {problem}', path)

    def _check_storage(
        self,
        findings: list[Diagnostic],
        name: str,
        reference: str,
        meta: CharmMeta,
        storage: Mapping[str, object],
    ) -> None:
        for key in storage:
            if key not in meta.storage:
                self._report(
                    findings,
                    f'cannot validate application "{name}": storage "{key}" not found in charm'
                    f' "{reference}"{did_you_mean(key, meta.storage)}',
                    ("applications", name, "storage", key),
                )

    def _check_units(
        self,
        findings: list[Diagnostic],
        name: str,
        reference: str,
        meta: CharmMeta,
        spec: Mapping[str, object],
    ) -> None:
        for key in UNIT_KEYS:
            units = spec.get(key)
            if isinstance(units, bool) or not isinstance(units, int):
                continue
            path: NodePath = ("applications", name, key)
            if meta.rules.single_unit and units > 1:
                self._report(
                    findings,
                    f'application "{name}" has {units} units but charm "{reference}" runs as a'
                    " single unit",
                    path,
                )
            if meta.subordinate and units > 0:
                self._report(
                    findings, f'application "{name}" is subordinate but has non-zero {key}', path
                )

    def _check_relation(
        self, number: int, relation: object, usage: _Usage
    ) -> tuple[Bound, Bound] | None:
        """Resolve one relation and note the endpoints it uses; its two ends, if it resolves."""
        ends = [end for end in as_sequence(relation) if isinstance(end, str)]
        if len(ends) != 2:
            return None
        known = [side for side in map(self._side, ends) if side is not None]
        if len(known) < 2:
            for side in known:
                self._note_half(number, side, usage)
            return None
        resolution = resolve(known[0], known[1])
        for problem in resolution.problems:
            self._report(self._relation_findings, problem, ("relations", number))
        for side in resolution.offers:
            application = f'application "{side.application}" (charm "{side.charm}")'
            message = f"{application} offers: {offered(side)}"
            self._relation_findings.append(
                Diagnostic(message, path=side.meta.source, severity=NOTE)
            )
        if resolution.ends is None:
            for side in known:  # reported once here, not again as an unrelated endpoint
                if side.endpoint_name:
                    usage.attempted.add((side.application, side.endpoint_name))
                else:
                    usage.unresolved.add(side.application)
            return None
        self._note_use(number, resolution.ends, tuple(sorted(ends)), usage)
        return resolution.ends

    def _side(self, end: str) -> Side | None:
        application, _, endpoint = end.partition(":")
        charm = self._charms.get(application)
        if charm is None:
            return None
        reference, meta = charm
        return Side(application=application, charm=reference, meta=meta, endpoint_name=endpoint)

    def _note_half(self, number: int, side: Side, usage: _Usage) -> None:
        """A relation whose other end is an offer or an unknown charm: check what we can."""
        if not side.endpoint_name:
            usage.unresolved.add(side.application)
            return
        problem = undefined_endpoint(side)
        if problem is not None:
            self._report(self._relation_findings, problem, ("relations", number))
            return
        usage.relations[(side.application, side.endpoint_name)].append(number)

    def _note_use(
        self, number: int, ends: tuple[Bound, Bound], written: tuple[str, ...], usage: _Usage
    ) -> None:
        key = frozenset(map(str, ends))
        earlier = usage.seen.get(key)
        if earlier is not None and earlier != written:
            self._report(
                self._relation_findings,
                f"relation {self._listed(number)} is defined more than once",
                ("relations", number),
            )
            return
        usage.seen[key] = written
        for end in ends:
            usage.relations[(end.application, end.endpoint.name)].append(number)

    def _check_limits(self, usage: _Usage) -> None:
        for (application, endpoint_name), numbers in usage.relations.items():
            reference, meta = self._charms[application]
            endpoint = meta.endpoints.get(endpoint_name)
            if endpoint is None or endpoint.limit is None or len(numbers) <= endpoint.limit:
                continue
            plural = "" if endpoint.limit == 1 else "s"
            for number in numbers[endpoint.limit :]:
                self._report(
                    self._relation_findings,
                    f"relation {self._listed(number)} exceeds the limit of endpoint"
                    f' "{application}:{endpoint_name}": charm "{reference}" allows'
                    f" {endpoint.limit} relation{plural} (limit: {endpoint.limit})",
                    ("relations", number),
                )

    def _listed(self, number: int) -> str:
        """A relation as Juju prints it: `["nbi:mongodb" "mongodb:database"]`."""
        return (
            "["
            + " ".join(f'"{end}"' for end in as_sequence(self._relations_written[number]))
            + "]"
        )

    def _check_required(self, usage: _Usage) -> None:
        removed_by = self._removed_endpoints()
        for application, (reference, meta) in self._charms.items():
            if application in usage.unresolved:
                continue
            for endpoint in meta.endpoints.values():
                key = (application, endpoint.name)
                related = key in usage.relations or key in usage.attempted
                if endpoint.role == "requires" and endpoint.optional is False and not related:
                    self._report(
                        self._relation_findings,
                        f'application "{application}" leaves required endpoint'
                        f' "{endpoint.name}" (interface {endpoint.interface}) of charm'
                        f' "{reference}" unrelated',
                        ("applications", application),
                    )
                    for removed in removed_by.get(key, ()):
                        relation = quote_list(removed.endpoints)
                        message = f"this remove-relations entry removed {relation}"
                        self._relation_findings.append(
                            Diagnostic(message, removed.origin, severity=NOTE)
                        )

    def _removed_endpoints(self) -> dict[tuple[str, str], list[RemovedRelation]]:
        """The removed relations by each `(application, endpoint)` they would have related.

        A side written without its endpoint counts for the one Juju would infer, else (its
        other side unknown or ambiguous) for every endpoint of that application.
        """
        found: dict[tuple[str, str], list[RemovedRelation]] = defaultdict(list)
        for removed in self._removed:
            sides = [self._side(end) for end in removed.endpoints]
            first, second = sides if len(sides) == 2 else (None, None)
            ends = resolve(first, second).ends if first and second else None
            if ends is not None:
                for end in ends:
                    found[(end.application, end.endpoint.name)].append(removed)
                continue
            for side in sides:
                if side is None:
                    continue
                names = [side.endpoint_name] if side.endpoint_name else side.meta.endpoints
                for name in names:
                    found[(side.application, name)].append(removed)
        return found

    def _check_combinations(
        self,
        findings: list[Diagnostic],
        name: str,
        reference: str,
        meta: CharmMeta,
        spec: Mapping[str, object],
    ) -> None:
        """The options and relations a charm takes only together, or only one of."""
        options = as_mapping(spec.get("options"))
        for rule in meta.rules.combinations:
            present = [term for term in rule.terms if self._present(name, meta, options, term)]
            charm = f'charm "{reference}"'
            why = f" ({rule.why})" if rule.why else ""
            if rule.when is not None:
                if not self._present(name, meta, options, rule.when):
                    continue
                missing = [term for term in rule.terms if term not in present]
                if rule.kind == "requires" and missing:
                    lacks, needs = f"not {_listed(missing)}", "them"
                elif rule.kind == "requires-one" and not present:
                    lacks, needs = f"none of {_listed(rule.terms)}", "one of them"
                else:
                    continue
                message = (
                    f'application "{name}" has {rule.when.state()} but {lacks}: {charm} needs'
                    f" {needs} with it{why}"
                )
                self._report(findings, message, self._term_path(name, options, rule.when))
            elif len(present) > 1:
                has = " and ".join(term.state() for term in present)
                limit = rule.kind.replace("-", " ")
                message = f'application "{name}" has {has}: {charm} takes {limit} of them{why}'
                where = next((t for t in present if t.kind == OPTION and t.name in options), None)
                path = self._term_path(name, options, where or present[0])
                self._report(findings, message, path)
            elif rule.kind == "exactly-one" and not present:
                if len(rule.terms) == 2:
                    first, second = rule.terms
                    has = f"neither {first.state()} nor {second.state()}"
                else:
                    has = f"none of {_listed(rule.terms)}"
                message = f'application "{name}" has {has}: {charm} takes exactly one of them{why}'
                self._report(findings, message, ("applications", name))

    def _present(
        self, name: str, meta: CharmMeta, options: Mapping[str, object], term: Term
    ) -> bool:
        """Whether an option has a value (set or default), or an endpoint a relation."""
        if term.kind != OPTION:
            key = (name, term.name)
            return key in self._usage.relations or key in self._usage.attempted
        value = options.get(term.name)
        if value is None:
            known = meta.options.get(term.name)
            value = known.default if known is not None else None
        return value not in (None, "", False)

    def _term_path(self, name: str, options: Mapping[str, object], term: Term) -> NodePath:
        """Where a term is written: the option, the first relation, else the application."""
        if term.kind == OPTION and term.name in options:
            return ("applications", name, "options", term.name)
        numbers = self._usage.relations.get((name, term.name))
        return ("relations", numbers[0]) if numbers else ("applications", name)

    def _check_protocols(self, number: int, ends: tuple[Bound, Bound]) -> None:
        """Whether the two ends speak a common protocol and the requirer can be a client."""
        roles = {end.endpoint.role: end for end in ends}
        requirer, provider = roles.get("requires"), roles.get("provides")
        if requirer is None or provider is None:
            return
        wants = self._charms[requirer.application][1].rules.relations.get(requirer.endpoint.name)
        if wants is None or not wants.protocols:
            return
        reference, meta = self._charms[provider.application]
        offers = meta.rules.relations.get(provider.endpoint.name)
        described = f'"{provider}" (charm "{reference}"{_channel(meta)})'
        path: NodePath = ("relations", number)
        if offers is None or not offers.protocols:
            message = (
                f"cannot tell whether {described} answers {_names(wants.protocols)}, which"
                f' "{requirer}" speaks: record the protocols it speaks under'
                f" rules.relations.{provider.endpoint.name} of its descriptor"
            )
            self._report(self._relation_findings, message, path, WARNING)
            return
        source = f" (facts: {offers.source})" if offers.source else ""
        prefix = f"relation {self._listed(number)} cannot work:"
        if not set(wants.protocols) & set(offers.protocols):
            message = (
                f'{prefix} "{requirer}" speaks {_names(wants.protocols)} and {described} only'
                f" {_names(offers.protocols)}: the requests of one are never answered by the"
                f" other, so {requirer.application} would wait for its"
                f" {requirer.endpoint.name} data forever{source}"
            )
            self._report(self._relation_findings, message, path)
            return
        capabilities = wants.client_capabilities
        if capabilities is None:
            return
        missing = [
            f"{name} ({text})" if text else name
            for name, text in offers.client_requirements.items()
            if name not in capabilities
        ]
        if missing:
            client = f" (its client: {wants.client})" if wants.client else ""
            message = (
                f"{prefix} {described} requires of its clients {'; '.join(missing)}, which"
                f' "{requirer}" does not do{client}{source}'
            )
            self._report(self._relation_findings, message, path)


def _listed(terms: Sequence[Term]) -> str:
    return ", ".join(map(str, terms))


def _names(protocols: Sequence[str]) -> str:
    return " or ".join(protocols)


def _channel(meta: CharmMeta) -> str:
    return f" {meta.channel}" if meta.channel else ""


def _resource_problem(kind: str, value: object) -> str | None:
    """What is wrong with a resource value: a revision, a local file or an image reference."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        shown = show_value(value)
        return f"must be a revision number, a file path or an image reference, got {shown}"
    if isinstance(value, int):
        return "a revision cannot be negative" if value < 0 else None
    if kind != OCI_IMAGE or _LOCAL_FILE.search(value) or is_image_reference(value):
        return None
    return (
        f"{show_value(value)} is not a valid OCI image reference"
        " ([registry/]path[:tag][@digest], with a lower-case path)"
    )
