"""Errors that teach: each error says what is wrong and, with notes, where the fix is.

Every test runs the CLI and compares the exact lines it prints.
"""

from __future__ import annotations

from pathlib import Path

from helpers import Write
from typer.testing import CliRunner

from distro_builder.cli import create_app

runner = CliRunner()


def run(project: Path, *args: str):
    return runner.invoke(create_app(), [*args, "--root", str(project)])


def validate(
    project: Path, *overlays: Path, settings: tuple[str, ...] = ()
) -> tuple[int, list[str]]:
    args = ["validate"]
    args += [f"--overlay={overlay}" for overlay in overlays]
    args += [f"--set={setting}" for setting in settings]
    result = run(project, *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines()


def test_an_overlay_entry_without_charm_for_an_unknown_application_names_the_nearest(
    project: Path, write: Write
):
    overlay = write("o/typo.yaml", "applications:\n  nbii:\n    scale: 2\n")
    assert validate(project, overlay) == (
        2,
        [
            f'{overlay}:2:3: error: application "nbii" does not exist in the bundle composed so'
            ' far (did you mean "nbi"?): an overlay entry without a charm can only change an'
            " existing application"
        ],
    )


def test_an_application_that_a_later_overlay_gives_a_charm_is_no_typo(project: Path, write: Write):
    first = write("o/first.yaml", "applications:\n  extra:\n    scale: 1\n")
    second = write("o/second.yaml", "applications:\n  extra:\n    charm: osm-nbi\n")
    code, lines = validate(project, first, second)
    assert not [line for line in lines if "does not exist" in line or "empty charm" in line]
    assert code == 2  # osm-nbi's required relations are left unrelated


def test_merge_keeps_juju_s_empty_charm_path(tmp_path: Path, write: Write):
    bundle = write("b/bundle.yaml", "applications:\n  nbi:\n    charm: osm-nbi\n    scale: 1\n")
    overlay = write("b/typo.yaml", "applications:\n  nbii:\n    scale: 2\n")
    result = runner.invoke(create_app(), ["merge", str(bundle), "--overlay", str(overlay)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{overlay}:2:3: error: empty charm path"]


def test_a_tab_that_indents_is_named_at_its_line_and_column(project: Path, write: Write):
    overlay = write("o/tab.yaml", "applications:\n  nbi:\n  \tscale: 2\n")
    assert validate(project, overlay) == (
        2,
        [f"{overlay}:3:3: error: a tab character indents this line: YAML indents with spaces"],
    )


def test_a_tab_after_a_block_is_named_too(project: Path, tmp_path: Path):
    overlay = tmp_path / "tab.yaml"  # not dedented: the tab is the line's only character
    overlay.write_text("applications:\n  nbi:\n    scale: 2\n\t\n", encoding="utf-8")
    assert validate(project, overlay) == (
        2,
        [f"{overlay}:4:1: error: a tab character indents this line: YAML indents with spaces"],
    )


def test_an_unclosed_flow_collection_has_a_note_where_it_opened(project: Path, write: Write):
    overlay = write(
        "o/open.yaml",
        "applications:\n  nbi:\n    options: {log-level: DEBUG\n  ro:\n    scale: 1\n",
    )
    assert validate(project, overlay) == (
        2,
        [
            f"{overlay}:4:5: error: while parsing a flow mapping did not find expected ','"
            " or '}'",
            f'{overlay}:3:14: note: the flow mapping ("{{") starts here',
        ],
    )
    overlay = write("o/list.yaml", "relations:\n  - [ng-ui:nbi, nbi:nbi\n")
    assert validate(project, overlay) == (
        2,
        [
            f"{overlay}:3:1: error: while parsing a flow sequence did not find expected ','"
            " or ']'",
            f'{overlay}:2:5: note: the flow sequence ("[") starts here',
        ],
    )


def test_a_wrong_variable_has_a_note_at_the_vars_line_that_set_it(project: Path, write: Write):
    overlay = write(
        "o/var.yaml",
        """\
        distro:
          vars:
            osm_version: "16 beta"
        """,
    )
    base = project / "bundles/osm/bundle.yaml.j2"
    defaults = project / "bundles/osm/defaults.yaml"
    code, lines = validate(project, overlay)
    assert code == 2
    assert lines[:3] == [
        f'{base}:39:7: error: application "lcm" resource "lcm-image": "docker.io/opensourcemano/'
        'lcm:16 beta" is not a valid OCI image reference ([registry/]path[:tag][@digest], with a'
        " lower-case path)",
        f'{defaults}:11:5: note: template variable "registry" gets its value here',
        f'{overlay}:3:5: note: template variable "osm_version" gets its value here',
    ]
    assert len(lines) == 18
    assert [line.split(": ", 2)[1] for line in lines] == ["error", "note", "note"] * 6


def test_a_variable_set_on_the_command_line_is_named_in_the_note(project: Path):
    code, lines = validate(project, settings=("registry=docker.io/OSM",))
    assert code == 2
    assert lines[:3] == [
        f'{project / "bundles/osm/bundle.yaml.j2"}:39:7: error: application "lcm" resource'
        ' "lcm-image": "docker.io/OSM/lcm:16" is not a valid OCI image reference'
        " ([registry/]path[:tag][@digest], with a lower-case path)",
        'note: template variable "registry" gets its value from --set',
        f'{project / "bundles/osm/defaults.yaml"}:12:5: note: template variable "osm_version"'
        " gets its value here",
    ]


def test_no_relations_found_lists_what_each_side_offers(project: Path, write: Write):
    overlay = write("o/rel.yaml", "relations:\n  - [ng-ui, mongodb]\n")
    charms = project / "charms"
    assert validate(project, overlay) == (
        2,
        [
            f"{overlay}:2:5: error: cannot infer endpoint between ng-ui and mongodb: no relations"
            " found",
            f'{charms}/osm-ng-ui/charmcraft.yaml: note: application "ng-ui" (charm "osm-ng-ui")'
            " offers: nbi (requires, interface nbi)",
            f'{charms}/osm-mongodb/charmcraft.yaml: note: application "mongodb" (charm'
            ' "osm-mongodb") offers: database (provides, interface mongodb_client)',
        ],
    )


def test_a_charm_found_nowhere_says_how_to_add_it(project: Path, write: Write):
    overlay = write("o/charm.yaml", "applications:\n  foo:\n    charm: foo-k8s\n")
    assert validate(project, overlay) == (
        2,
        [
            f'{overlay}:3:5: error: application "foo" refers to non-existent charm "foo-k8s": it'
            " is neither in charms/ nor in the external catalog (charms/external/)",
            "note: to deploy a charm from elsewhere, describe it in the catalog: distro-builder"
            " catalog import FILE (its .charm, charmcraft.yaml or metadata.yaml); see"
            " charms/external/README.md",
        ],
    )


def test_a_required_endpoint_left_unrelated_by_remove_relations_has_a_note_there(
    project: Path, write: Write
):
    overlay = write(
        "o/rm.yaml",
        """\
        distro:
          remove-relations:
            - [ng-ui, nbi]
        """,
    )
    base = project / "bundles/osm/bundle.yaml.j2"
    assert validate(project, overlay) == (
        2,
        [
            f'{base}:52:3: error: application "ng-ui" leaves required endpoint "nbi" (interface'
            ' nbi) of charm "osm-ng-ui" unrelated',
            f'{overlay}:3:7: note: this remove-relations entry removed ["ng-ui:nbi" "nbi:nbi"]',
        ],
    )


def test_explain_of_an_unknown_option_exits_2_with_a_suggestion(project: Path):
    result = run(project, "explain", "nbi.log-levl")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'error: nbi.log-levl: charm "osm-nbi" has no option "log-levl" (did you mean "log-level"?)'
    ]


def test_explain_shows_where_a_template_variable_got_its_value(project: Path):
    result = run(project, "explain", "nbi", "--set", "registry=registry.example/osm")
    assert result.exit_code == 0, result.output
    base = project / "bundles/osm/bundle.yaml.j2"
    defaults = project / "bundles/osm/defaults.yaml"
    lines = result.stdout.splitlines()
    start = lines.index('  resources.nbi-image = "registry.example/osm/nbi:16"')
    assert lines[start : start + 4] == [
        '  resources.nbi-image = "registry.example/osm/nbi:16"',
        f'    1. {base}:29:7  nbi-image: "{{{{ registry }}}}/nbi:{{{{ osm_version }}}}"',
        "         registry: --set",
        f'         osm_version: {defaults}:12:5  osm_version: "16"',
    ]


def test_explain_shows_the_vars_line_of_an_overlay(project: Path, write: Write):
    overlay = write(
        "o/lvl.yaml",
        """\
        distro:
          vars: {level: DEBUG}
        applications:
          nbi:
            options:
              log-level: "{{ level }}"
        """,
    )
    result = run(project, "explain", "nbi.log-level", f"--overlay={overlay}")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        'nbi.log-level = "DEBUG"',
        f'  1. {overlay}:6:7  log-level: "{{{{ level }}}}"',
        f"       level: {overlay}:2:10  vars: {{level: DEBUG}}",
    ]


def test_a_name_the_template_assigns_stands_for_the_variables_it_is_made_of(project: Path):
    base = project / "bundles/osm/bundle.yaml.j2"
    defaults = project / "bundles/osm/defaults.yaml"
    text = base.read_text().replace(
        "bundle: kubernetes\n",
        '{%- set nbi_image = registry ~ "/nbi:" ~ osm_version %}\nbundle: kubernetes\n',
        1,
    )
    base.write_text(text.replace('"{{ registry }}/nbi:{{ osm_version }}"', '"{{ nbi_image }}"'))
    image_line = base.read_text().splitlines().index('      nbi-image: "{{ nbi_image }}"') + 1
    registry_line = defaults.read_text().splitlines()
    registry = next(i for i, line in enumerate(registry_line) if "registry:" in line)

    result = run(project, "explain", "nbi", "--set", "osm_version=17")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index('  resources.nbi-image = "docker.io/opensourcemano/nbi:17"')
    assert lines[start : start + 4] == [
        '  resources.nbi-image = "docker.io/opensourcemano/nbi:17"',
        f'    1. {base}:{image_line}:7  nbi-image: "{{{{ nbi_image }}}}"',
        f"         registry: {defaults}:{registry + 1}:5  {registry_line[registry].strip()}",
        "         osm_version: --set",
    ]


def test_a_value_that_breaks_the_yaml_has_a_note_at_its_vars_line(project: Path, write: Write):
    overlay = write(
        "o/yaml.yaml",
        """\
        distro:
          vars: {level: "a: b"}
        applications:
          nbi:
            options:
              log-level: {{ level }}
        """,
    )
    assert validate(project, overlay) == (
        2,
        [
            f"{overlay}:6:19: error: mapping values are not allowed in this context",
            f'{overlay}:2:10: note: template variable "level" gets its value here',
        ],
    )


def test_an_undefined_variable_gets_no_note_about_the_others(project: Path, write: Write):
    overlay = write(
        "o/undefined.yaml",
        """\
        applications:
          nbi:
            resources:
              nbi-image: "{{ registri }}/nbi:{{ osm_version }}"
        """,
    )
    assert validate(project, overlay) == (
        2,
        [f"{overlay}:4:22: error: undefined variable 'registri'"],
    )
