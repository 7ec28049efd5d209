"""The library entry point: every command of ``distro-builder`` as a function with a result.

Each function takes a project (or files) and typed options and returns a typed result. None
prints or exits: input errors raise :class:`InputError` with every diagnostic, environment
failures raise :class:`OSError` (or :class:`RuntimeError` from Graphviz). The CLI, the tests
and the benchmarks all come through here, so ``validate`` and ``build`` share one check path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from distro_builder import simulate as simulator
from distro_builder.check import (
    CATALOG_DIR,
    CharmIndex,
    CharmPlan,
    Findings,
    MetaError,
    OriginLookup,
    check_composition,
    import_descriptor,
    resolve_relations,
    source_charms,
)
from distro_builder.compose import Composition, compose_distribution, merge_files
from distro_builder.core import Diagnostic, InputError, Provenance, display_path
from distro_builder.emit import (
    DIST_DIR,
    Graph,
    InputStates,
    Staging,
    charms_note,
    deployed_bundle,
    distribution_files,
    distribution_graph,
    dump_bundle,
    input_paths,
    output_problems,
    source_commit,
    topology,
)
from distro_builder.inspect import (
    GRAPH_FORMATS,
    Difference,
    ExplainError,
    as_json,
    as_table,
    compare,
    drawing,
    is_bundle_dir,
    read_bundle,
    split_target,
    with_endpoints,
)
from distro_builder.inspect import explain as explain_target
from distro_builder.load import Project, read_defaults, resolve_chain

if TYPE_CHECKING:
    from distro_builder.simulate import Simulation

__all__ = [
    "GRAPH_FORMATS",
    "BuildOptions",
    "CheckOptions",
    "Checked",
    "ComposeOptions",
    "Diagnostic",
    "Diff",
    "DiffOptions",
    "Distribution",
    "Drawn",
    "Explanation",
    "Findings",
    "Graph",
    "InputError",
    "MergeOptions",
    "Merged",
    "OverlayRow",
    "Overlays",
    "Project",
    "SimulateOptions",
    "Simulation",
    "build",
    "check",
    "compose",
    "diff",
    "display_path",
    "draw",
    "explain",
    "graph",
    "import_charm",
    "list_overlays",
    "merge",
    "simulate",
    "validate",
]


@dataclass(frozen=True, kw_only=True)
class ComposeOptions:
    """What to compose: overlays (names or paths, with their chains) and ``--set`` values."""

    overlays: Sequence[str] = ()
    settings: Sequence[str] = ()


@dataclass(frozen=True, kw_only=True)
class CheckOptions(ComposeOptions):
    """How strictly to check, and against what.

    Warnings as errors; a charm found nowhere as a warning; `charms_dir`: packed charms
    (``<name>_<platform>.charm``) whose own metadata is checked and which `build` packs
    into the distribution.
    """

    strict: bool = False
    allow_unknown_charms: bool = False
    charms_dir: Path | None = None


@dataclass(frozen=True, kw_only=True)
class BuildOptions(CheckOptions):
    """Where to write (default ``dist/<distro-name>/`` under the project root)."""

    output: Path | None = None


@dataclass(frozen=True, kw_only=True)
class SimulateOptions(CheckOptions):
    """What to simulate, and how.

    The overlays composed (or a built `distribution` directory instead), a day-2 `scenario`
    file, whether an invalid distribution may be played, the bound on hook rounds.
    """

    distribution: Path | None = None
    scenario: Path | None = None
    allow_invalid: bool = False
    max_rounds: int | None = None  # None: the simulator's own bound


@dataclass(frozen=True, kw_only=True)
class MergeOptions:
    """Juju's verification of the result (``--no-verify`` skips it); warnings as errors."""

    verify: bool = True
    strict: bool = False


@dataclass(frozen=True, kw_only=True)
class DiffOptions:
    """The project that overlays are composed in (default: found above the cwd)."""

    root: Path | None = None
    settings: Sequence[str] = ()


@dataclass(frozen=True, kw_only=True)
class Distribution:
    """A written distribution: where, its files, the warnings and notes for the user.

    `files` are relative POSIX paths (packed charms as ``charms/<file>.charm``);
    `missing_charms` the packed charms it deploys but does not hold.
    """

    target: Path
    files: tuple[str, ...]
    warnings: Sequence[Diagnostic] = ()
    notes: tuple[str, ...] = ()
    missing_charms: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Checked:
    """A composition (its charms sourced), where its charms come from, every finding."""

    composition: Composition
    findings: Findings
    charms: CharmPlan = field(default_factory=CharmPlan)


@dataclass(frozen=True, kw_only=True)
class Merged:
    """What ``juju deploy BUNDLE --overlay FILE...`` composes, with the warnings on the way."""

    composition: Composition
    warnings: Sequence[Diagnostic] = ()

    @property
    def yaml(self) -> str:
        """The composed bundle as YAML."""
        return dump_bundle(self.composition.bundle)


@dataclass(frozen=True, kw_only=True)
class Diff:
    """The differences between two distributions, named as the user named them."""

    differences: Sequence[Difference]
    first: str
    second: str

    def table(self) -> str:
        """An aligned text table (or a line saying there is no difference)."""
        return as_table(list(self.differences), self.first, self.second)

    def json(self) -> str:
        """JSON: ``{"a": ..., "b": ..., "differences": [...]}``."""
        return as_json(list(self.differences), self.first, self.second)


@dataclass(frozen=True, kw_only=True)
class OverlayRow:
    """One overlay of a project: its distribution name, chain and description."""

    overlay: str
    distribution: str
    chain: str
    description: str


@dataclass(frozen=True, kw_only=True)
class Overlays:
    """Every overlay of a project, and what is wrong with some of them."""

    rows: tuple[OverlayRow, ...]
    problems: Sequence[Diagnostic] = ()


@dataclass(frozen=True, kw_only=True)
class Explanation:
    """Where a value of a distribution came from, as text lines."""

    text: str


@dataclass(frozen=True, kw_only=True)
class Drawn:
    """The files a picture was written to, and why the image is missing (text instead)."""

    files: tuple[Path, ...]
    problem: str | None = None


def compose(project: Project, options: ComposeOptions) -> Composition:
    """The base composed with the overlays (their chains) and ``--set`` values."""
    return compose_distribution(project, options.overlays, options.settings)


def check(project: Project, composition: Composition, options: CheckOptions) -> Findings:
    """Every finding about a composition: its charms' sources, Juju's rules, secrets, charms."""
    return _check_composed(project, composition, options).findings


def validate(project: Project, options: CheckOptions) -> Checked:
    """Compose and check, writing nothing; raises :class:`InputError` when any is an error."""
    checked = _checked(project, options)
    _raise_if_failed(checked.findings.diagnostics)
    return checked


def build(project: Project, options: BuildOptions) -> Distribution:
    """Compose, check and write a distribution, atomically and only where it is safe.

    The packed charms it deploys are copied from `options.charms_dir` (hashed on the way);
    without them the distribution is written all the same and `missing_charms` names them.

    Raises:
        InputError: with every finding (warnings too) when any is an error, or when the
            output directory holds anything but a distribution this tool wrote.
        OSError: when a file cannot be written.
    """
    composition = compose(project, options)
    states = InputStates(project.root, [path for path, _ in composition.inputs])
    try:
        return _build(project, options, _check_composed(project, composition, options), states)
    finally:
        states.close()


def _build(
    project: Project, options: BuildOptions, checked: Checked, states: InputStates
) -> Distribution:
    composition, charms = checked.composition, checked.charms
    target = options.output or project.root / DIST_DIR / composition.distro.name
    shown = display_path(target.absolute()) if options.output is None else str(target)
    problems = output_problems(
        target, root=project.root, inputs=input_paths(composition, charms), shown=shown
    )
    diagnostics = [*checked.findings.diagnostics, *problems]
    _raise_if_failed(diagnostics)
    base_file = display_path(project.base_template)
    picture = topology(distribution_graph(composition, checked.findings.facts, base_file))
    with Staging(target) as staging:
        digests = {file: staging.copy(file, source) for file, source in charms.copies.items()}
        files = distribution_files(
            composition,
            target,
            root=project.root,
            commit=source_commit(project.root),
            charms=charms,
            charm_digests=digests,
            input_states=states.states(),
            readme_sections=[picture.readme_section],
            extra_files=picture.files,
        )
        staging.write(files)
        staging.commit()
    notes = [picture.note] if picture.note else []
    if charms.missing:
        notes.append(charms_note(charms.missing, shown))
    return Distribution(
        target=target,
        files=(*files, *digests),
        warnings=diagnostics,
        notes=tuple(notes),
        missing_charms=charms.missing,
    )


def simulate(project: Project, options: SimulateOptions) -> Simulation:
    """Play the distribution's charms offline from deploy to settled, then the scenario.

    Raises:
        InputError: when the distribution fails validation (unless `allow_invalid`) or the
            scenario file is malformed or names what the distribution lacks.
        OSError: when a charm's environment cannot be prepared (`WorkerError`).
    """
    if options.distribution is not None:
        bundle, provenance = read_bundle(options.distribution), Provenance({})
        base_dir = options.distribution
    else:
        checked = _checked(project, options)
        if not options.allow_invalid:
            _raise_if_failed(checked.findings.diagnostics)
        bundle, provenance = checked.composition.bundle, checked.composition.provenance
        base_dir = project.root
    scenario = simulator.read_scenario(options.scenario) if options.scenario is not None else None
    deployment = simulator.deployment_from_bundle(
        bundle, provenance, project.root, base_dir=base_dir
    )
    roots = {
        name: app.charm_root
        for name, app in deployment.applications.items()
        if app.charm_root is not None
    }
    pool = simulator.WorkerPool(roots)
    try:
        return simulator.run_simulation(
            deployment,
            pool,
            scenario=scenario,
            max_rounds=options.max_rounds or simulator.DEFAULT_MAX_ROUNDS,
        )
    finally:
        pool.close()


def merge(bundle: Path, overlays: Sequence[Path], options: MergeOptions) -> Merged:
    """Exactly Juju's composition of bundle files; raises :class:`InputError` on any error."""
    composition, warnings = merge_files(
        bundle, overlays, verify=options.verify, strict=options.strict
    )
    return Merged(composition=composition, warnings=warnings)


def list_overlays(project: Project) -> Overlays:
    """Every overlay of the project with its distribution name, chain and description."""
    defaults, _ = read_defaults(project)
    rows: list[OverlayRow] = []
    problems: list[Diagnostic] = []
    for name in project.overlay_names():
        chain, diagnostics = resolve_chain(project, [name], defaults.variables)
        problems += [d for d in diagnostics if d not in problems]
        spec = chain[-1].spec if chain else None
        problems += chain[-1].problems if chain else []
        metadata = spec.metadata if spec else {}
        rows.append(
            OverlayRow(
                overlay=name,
                distribution=metadata["name"].value if "name" in metadata else "",
                chain=" -> ".join(overlay.ref.name for overlay in chain),
                description=metadata["description"].value if "description" in metadata else "",
            )
        )
    return Overlays(rows=tuple(rows), problems=problems)


def diff(first: str, second: str, options: DiffOptions) -> Diff:
    """What differs between two overlays (composed) or two distribution directories.

    Relations compare with the endpoints the project's charms resolve, so that `[nbi:kafka,
    kafka]` and `[nbi:kafka, kafka:kafka]` are the same relation (outside a project, as
    written). An overlay's charms compare as its distribution deploys them.
    """
    bundles = []
    for reference in (first, second):
        if is_bundle_dir(reference):
            bundle = read_bundle(Path(reference))
            bundles.append(_resolved_relations(bundle, Provenance({}), options.root))
            continue
        project = Project.locate(options.root)
        composition = compose(
            project, ComposeOptions(overlays=[reference], settings=options.settings)
        )
        sourced = source_charms(composition, CharmIndex(project.root))
        composition = sourced.composition
        bundle = _resolved_relations(composition.bundle, composition.provenance, options.root)
        bundles.append(deployed_bundle(bundle, sourced.plan))
    return Diff(differences=compare(*bundles), first=first, second=second)


def explain(project: Project, target: str, options: ComposeOptions) -> Explanation:
    """Every layer that set ``APP`` (or ``APP.OPTION``), in order, and the final value."""
    composition = compose(project, options)
    application, _ = split_target(target)
    spec = (composition.bundle.get("applications") or {}).get(application) or {}
    try:
        charm = CharmIndex(project.root).find(str(spec.get("charm", "")))
    except MetaError:
        charm = None
    try:
        text = explain_target(
            composition.bundle,
            composition.provenance,
            target,
            charm=charm,
            variables=composition.variable_sources,
        )
    except ExplainError as error:
        raise InputError([Diagnostic(str(error))]) from None
    return Explanation(text=text)


def graph(project: Project, options: ComposeOptions) -> Graph:
    """The picture of a distribution: applications, and relations labelled by interface."""
    composition = compose(project, options)
    facts = resolve_relations(composition.bundle, composition.provenance, CharmIndex(project.root))
    return distribution_graph(composition, facts, display_path(project.base_template))


def draw(picture: Graph, output_format: str, output: Path | None = None) -> Drawn:
    """Write `picture` as `output_format` (default file ``<distro-name>-topology.<format>``).

    Without Graphviz, an svg or png is not drawn: the dot and Mermaid texts are written
    instead and `problem` says why.
    """
    result = drawing(picture, output_format, output)
    for path, data in result.files.items():
        path.write_bytes(data)
    return Drawn(files=tuple(result.files), problem=result.problem)


def import_charm(
    file: Path,
    *,
    catalog: Path | None = None,
    root: Path | None = None,
    channel: str | None = None,
    revision: int | None = None,
    source: str | None = None,
) -> Path:
    """Create or refresh a charm's descriptor in the external catalog; the file written."""
    directory = catalog or Project.locate(root).root / CATALOG_DIR
    try:
        return import_descriptor(
            file, directory, channel=channel, revision=revision, source=source
        )
    except MetaError as error:
        raise InputError([error.diagnostic()]) from None


def _checked(project: Project, options: CheckOptions) -> Checked:
    """The one check path of ``validate`` and ``build``."""
    return _check_composed(project, compose(project, options), options)


def _check_composed(project: Project, composition: Composition, options: CheckOptions) -> Checked:
    """Source a composition's charms, then check it (against packed charms where given)."""
    index = CharmIndex(project.root)
    sourced = source_charms(composition, index, charms_dir=options.charms_dir)
    findings = check_composition(
        sourced.composition,
        index,
        strict=options.strict,
        allow_unknown_charms=options.allow_unknown_charms,
    )
    diagnostics = [*sourced.diagnostics, *findings.diagnostics]
    return Checked(
        composition=sourced.composition,
        findings=findings._replace(diagnostics=diagnostics),
        charms=sourced.plan,
    )


def _raise_if_failed(diagnostics: Sequence[Diagnostic]) -> None:
    if any(diagnostic.is_error for diagnostic in diagnostics):
        raise InputError(diagnostics)


def _resolved_relations(
    bundle: dict[str, object], provenance: OriginLookup, root: Path | None
) -> dict[str, object]:
    """`bundle` with each relation the project's charms resolve written with both endpoints."""
    try:
        project = Project.locate(root)
    except InputError:
        return bundle
    facts = resolve_relations(bundle, provenance, CharmIndex(project.root))
    return with_endpoints(bundle, facts.endpoints)


def __getattr__(name: str) -> object:
    """`Simulation`, the simulator's result type, loaded with the simulator (PEP 562)."""
    if name == "Simulation":
        return simulator.Simulation
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
