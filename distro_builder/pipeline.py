"""What each command does, end to end: load, compose, validate, emit; and how it reports.

Every function returns the process exit status: 0 done, 2 the input is wrong (every diagnostic
printed), 1 the environment failed (a file could not be written, ...).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from distro_builder.catalog import CharmIndex
from distro_builder.charm_checks import CharmChecks, OriginLookup
from distro_builder.compose import Composition, Layer, compose
from distro_builder.diagnostics import Diagnostic, InputError, promote_warnings
from distro_builder.dist_dir import output_problems
from distro_builder.dump import dump_bundle
from distro_builder.layers import build_inputs, parse_settings
from distro_builder.load import display_path, load
from distro_builder.overlays import Project
from distro_builder.validate import findings

EXIT_OK = 0
EXIT_ENVIRONMENT = 1
EXIT_INPUT = 2
DIST_DIR = "dist"
BUNDLE_FILE = "bundle.yaml"


class BuildOptions(NamedTuple):
    """The options of ``build`` and ``validate``."""

    overlays: Sequence[str] = ()
    settings: Sequence[str] = ()
    output: Path | None = None
    root: Path | None = None
    strict: bool = False
    debug: bool = False
    allow_unknown_charms: bool = False


def report(diagnostics: Iterable[Diagnostic]) -> None:
    """Print diagnostics to stderr, one per line."""
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def guarded(action: Callable[[], int], *, debug: bool = False) -> int:
    """Run a command, turning input errors and environment failures into exit statuses."""
    try:
        return action()
    except InputError as error:
        _print_traceback(debug)
        report(error.diagnostics)
        return EXIT_INPUT
    except OSError as error:
        _print_traceback(debug)
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ENVIRONMENT


def _print_traceback(debug: bool) -> None:
    """With ``--debug``, the traceback of the error being handled."""
    if debug:
        import traceback

        traceback.print_exc()


def compose_distribution(
    project: Project, overlays: Sequence[str], settings: Sequence[str]
) -> Composition:
    """Compose the base with `overlays` (their chains) and ``--set`` assignments."""
    inputs = build_inputs(project, overlays, parse_settings(settings))
    return compose(
        inputs.layers, confine_includes=True, variables=inputs.variables, root=project.root
    )


def charm_checks(composition: Composition, project: Project, options: BuildOptions) -> CharmChecks:
    """The charm-aware checks of `composition` against the project's charms (not run yet)."""
    return CharmChecks(
        composition.bundle,
        composition.provenance,
        CharmIndex(project.root),
        allow_unknown_charms=options.allow_unknown_charms,
    )


def checked(
    composition: Composition,
    checks: CharmChecks,
    *,
    strict: bool,
    more: Sequence[Diagnostic] = (),
) -> None:
    """Run every check and print the findings (with `more`, found elsewhere).

    Raises:
        InputError: with every finding, when any of them is an error.
    """
    diagnostics = [*findings(composition, checks.report(), strict=strict), *more]
    if any(diagnostic.is_error for diagnostic in diagnostics):
        raise InputError(diagnostics)
    report(diagnostics)


def build(options: BuildOptions) -> int:
    """``distro-builder build``: compose, validate, write ``dist/<name>/``.

    `dot` starts first and draws topology.svg as soon as the relations are resolved, while
    the value checks run and the other files are made; the image is collected last.
    """

    def action() -> int:
        from distro_builder.emit import distribution_files, write_distribution
        from distro_builder.gitinfo import source_commit
        from distro_builder.topology import distribution_graph, picture, topology_drawing

        project = Project.locate(options.root)
        with topology_drawing() as rendering:
            composition = compose_distribution(project, options.overlays, options.settings)
            checks = charm_checks(composition, project, options)
            base_file = display_path(project.base_template)
            graph = distribution_graph(composition, checks.relations(), base_file)
            topology = picture(graph, rendering)
            target = options.output or project.root / DIST_DIR / composition.distro.name
            checked(
                composition,
                checks,
                strict=options.strict,
                more=output_problems(
                    target,
                    root=project.root,
                    inputs=build_input_paths(composition),
                    shown=display_path(target.absolute())
                    if options.output is None
                    else str(target),
                ),
            )
            files = distribution_files(
                composition,
                target,
                root=project.root,
                commit=source_commit(project.root),
                readme_sections=[topology.readme_section],
                extra_files=topology.files,
            )
        write_distribution(target, files)
        if topology.note:
            print(f"note: {topology.note}", file=sys.stderr)
        print(f"wrote {display_path(target.absolute())}/ ({', '.join(files)})")
        return EXIT_OK

    return guarded(action, debug=options.debug)


def build_input_paths(composition: Composition) -> list[Path]:
    """Every file the build read, and every local charm it deploys (root-relative or absolute)."""
    from distro_builder.juju.names import is_local_charm

    paths = [Path(path) for path, _ in composition.inputs]
    for app in (composition.bundle.get("applications") or {}).values():
        charm = app.get("charm", "")
        if isinstance(charm, str) and is_local_charm(charm):
            paths.append(Path(charm))
    return paths


def validate_only(options: BuildOptions) -> int:
    """``distro-builder validate``: compose and check without writing anything."""

    def action() -> int:
        project = Project.locate(options.root)
        composition = compose_distribution(project, options.overlays, options.settings)
        checked(composition, charm_checks(composition, project, options), strict=options.strict)
        print(f"{composition.distro.name}: valid")
        return EXIT_OK

    return guarded(action, debug=options.debug)


def merge_files(
    bundle: Path, overlays: Sequence[Path], *, verify: bool = True, strict: bool = False
) -> tuple[Composition, list[Diagnostic]]:
    """Juju's composition of bundle files and the warnings found on the way.

    Raises :class:`InputError` with every diagnostic when any is an error.
    """
    layers = [_file_layer(path) for path in (bundle, *overlays)]
    composition = compose(layers, verify_base=verify)
    diagnostics = list(composition.warnings)
    if verify:
        from distro_builder.juju.verify import verify_bundle

        base_dir = _bundle_file(bundle).absolute().parent
        origin = composition.provenance.origin
        diagnostics += verify_bundle(composition.bundle, origin, bundle_dir=base_dir)
    if strict:
        diagnostics = promote_warnings(diagnostics)
    if any(diagnostic.is_error for diagnostic in diagnostics):
        raise InputError(diagnostics)
    return composition, diagnostics


def merge(
    bundle: Path,
    overlays: Sequence[Path],
    *,
    verify: bool = True,
    strict: bool = False,
    debug: bool = False,
) -> int:
    """``distro-builder merge``: exactly Juju's composition of bundle files, as YAML."""

    def action() -> int:
        composition, diagnostics = merge_files(bundle, overlays, verify=verify, strict=strict)
        report(diagnostics)
        sys.stdout.write(dump_bundle(composition.bundle))
        return EXIT_OK

    return guarded(action, debug=debug)


def _bundle_file(path: Path) -> Path:
    """A bundle given as a directory means its ``bundle.yaml`` (as Juju reads it)."""
    return path / BUNDLE_FILE if path.is_dir() else path


def _file_layer(path: Path) -> Layer:
    """A plain Juju bundle or overlay file as a layer (no templating, no distro section)."""
    file = _bundle_file(path)
    shown = str(path) if file is path else (path / BUNDLE_FILE).as_posix()
    documents = load(file, shown)
    return Layer(shown, documents, tuple({d.source.path: d.source for d in documents}.values()))


def list_overlays(root: Path | None, *, as_json: bool = False, debug: bool = False) -> int:
    """``distro-builder list``: every overlay with its distribution name, chain, description."""

    def action() -> int:
        import json

        from distro_builder.layers import read_defaults, resolve_chain

        project = Project.locate(root)
        defaults, _ = read_defaults(project)
        rows: list[dict[str, str]] = []
        problems: list[Diagnostic] = []
        for name in project.overlay_names():
            chain, diagnostics = resolve_chain(project, [name], defaults.variables)
            problems += [d for d in diagnostics if d not in problems]
            spec = chain[-1].spec if chain else None
            problems += chain[-1].problems if chain else []
            metadata = spec.metadata if spec else {}
            rows.append(
                {
                    "overlay": name,
                    "distribution": metadata["name"].value if "name" in metadata else "",
                    "chain": " -> ".join(overlay.ref.name for overlay in chain),
                    "description": metadata["description"].value
                    if "description" in metadata
                    else "",
                }
            )
        if as_json:
            sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        else:
            sys.stdout.write(_table(rows))
        report(problems)
        return EXIT_INPUT if any(problem.is_error for problem in problems) else EXIT_OK

    return guarded(action, debug=debug)


def _table(rows: list[dict[str, str]]) -> str:
    """Rows as an aligned table (the description last, on one line)."""
    if not rows:
        return "no overlays\n"
    header = {key: key.upper() for key in rows[0]}
    table = [header, *rows]
    widths = {key: max(len(" ".join(row[key].split())) for row in table) for key in header}
    lines = [
        "  ".join(" ".join(row[key].split()).ljust(widths[key]) for key in header).rstrip()
        for row in table
    ]
    return "\n".join(lines) + "\n"


def diff(
    first: str,
    second: str,
    *,
    root: Path | None = None,
    settings: Sequence[str] = (),
    as_json: bool = False,
    debug: bool = False,
) -> int:
    """``distro-builder diff A B``: two overlays (composed) or two distribution directories.

    Relations compare with the endpoints the project's charms resolve, so that `[nbi:kafka,
    kafka]` and `[nbi:kafka, kafka:kafka]` are the same relation (outside a project, as
    written).
    """

    def action() -> int:
        from distro_builder import diff as differ
        from distro_builder.provenance import Provenance

        bundles = []
        for reference in (first, second):
            if differ.is_distribution(reference):
                bundle, provenance = differ.read_bundle(Path(reference)), Provenance({})
            else:
                composition = compose_distribution(Project.locate(root), [reference], settings)
                bundle, provenance = composition.bundle, composition.provenance
            bundles.append(_resolved_relations(bundle, provenance, root))
        differences = differ.compare(*bundles)
        render = differ.as_json if as_json else differ.as_table
        sys.stdout.write(render(differences, first, second))
        return EXIT_OK

    return guarded(action, debug=debug)


def _resolved_relations(
    bundle: dict[str, Any], provenance: OriginLookup, root: Path | None
) -> dict[str, Any]:
    """`bundle` with each relation the project's charms resolve written with both endpoints."""
    from distro_builder.diff import with_endpoints

    try:
        project = Project.locate(root)
    except InputError:
        return bundle
    facts = CharmChecks(bundle, provenance, CharmIndex(project.root)).relations()
    return with_endpoints(bundle, facts.endpoints)
