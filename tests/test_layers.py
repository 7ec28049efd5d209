"""Overlay references, extends chains, variables and the distro section."""

from pathlib import Path

import pytest
from helpers import Write
from helpers import compose as compose_in

from distro_builder.api import InputError, Project
from distro_builder.load import parse_settings

BASE = """
bundle: kubernetes
applications:
  nbi:
    charm: osm-nbi
    scale: 1
    resources:
      nbi-image: "{{ registry }}/nbi:16"
  ng-ui:
    charm: osm-ng-ui
    scale: 1
  mon:
    charm: osm-mon
  prometheus:
    charm: osm-prometheus
relations:
  - [ng-ui:nbi, nbi:nbi]
  - [mon:prometheus, prometheus:prometheus]
  - [prometheus:metrics-endpoint, mon:metrics-endpoint]
"""
DEFAULTS = """
distro:
  name: osm
  version: "16"
  vars:
    registry: docker.io/opensourcemano
"""


@pytest.fixture
def root(write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project, with the cwd at its root."""
    write("bundles/osm/bundle.yaml.j2", BASE)
    write("bundles/osm/defaults.yaml", DEFAULTS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def compose(root: Path, *overlays: str, settings: tuple[str, ...] = ()):
    return compose_in(Project(root), overlays, settings)


def errors(root: Path, *overlays: str, settings: tuple[str, ...] = ()) -> list[str]:
    with pytest.raises(InputError) as raised:
        compose(root, *overlays, settings=settings)
    return [d.format() for d in raised.value.diagnostics if d.is_error]


def test_unknown_overlay_lists_the_available_ones(root: Path, write: Write):
    write("overlays/beta/overlay.yaml", "{}\n")
    write("overlays/alpha/overlay.yaml", "{}\n")
    assert errors(root, "gamma") == [
        'error: unknown overlay "gamma"; available overlays: alpha, beta'
    ]


def test_unknown_extends_is_reported_at_the_entry(root: Path, write: Write):
    write("overlays/a/overlay.yaml", "distro:\n  extends: [ghost]\n")
    assert errors(root, "a") == [
        'overlays/a/overlay.yaml:2:13: error: unknown overlay "ghost"; available overlays: a'
    ]


def test_extends_cycle_names_the_cycle(root: Path, write: Write):
    write("overlays/a/overlay.yaml", "distro:\n  extends: [b]\n")
    write("overlays/b/overlay.yaml", "distro:\n  extends: [c]\n")
    write("overlays/c/overlay.yaml", "distro:\n  extends:\n    - a\n")
    assert errors(root, "a") == [
        "overlays/c/overlay.yaml:3:7: error: extends cycle: a -> b -> c -> a"
    ]


def test_chain_is_depth_first_and_each_overlay_applies_once(root: Path, write: Write):
    write("overlays/base-ha/overlay.yaml", "distro:\n  name: ha\n")
    write("overlays/vendor/overlay.yaml", "distro:\n  extends: [base-ha]\n  name: vendor\n")
    write("overlays/site/overlay.yaml", "distro:\n  extends: [vendor, base-ha]\n  name: site\n")
    composition = compose(root, "site", "vendor", "base-ha")
    assert composition.distro.chain == ("base-ha", "vendor", "site")
    assert composition.distro.name == "site"


def test_overlay_by_path_to_a_file_or_a_directory(root: Path, write: Write):
    write("elsewhere/my.yaml", "distro:\n  name: mine\napplications:\n  nbi:\n    scale: 2\n")
    write("elsewhere/dir/overlay.yaml", "distro:\n  name: dir\n")
    assert compose(root, "elsewhere/my.yaml").bundle["applications"]["nbi"]["scale"] == 2
    assert compose(root, "./elsewhere/dir").distro.chain == ("elsewhere/dir/overlay.yaml",)
    assert errors(root, "elsewhere/none.yaml") == ['error: no overlay file "elsewhere/none.yaml"']


def test_overlay_variables_reach_the_base_and_set_wins(root: Path, write: Write):
    write("overlays/v/overlay.yaml", "distro:\n  vars: {registry: reg.example}\n")
    image = compose(root, "v").bundle["applications"]["nbi"]["resources"]["nbi-image"]
    assert image == "reg.example/nbi:16"
    composition = compose(root, "v", settings=("registry=cli.example",))
    assert (
        composition.bundle["applications"]["nbi"]["resources"]["nbi-image"] == "cli.example/nbi:16"
    )


def test_an_overlay_may_use_the_variables_it_defines(root: Path, write: Write):
    text = """
    distro:
      vars: {ui_units: 2}
    applications:
      ng-ui:
        scale: {{ ui_units }}
    """
    write("overlays/v/overlay.yaml", text)
    assert compose(root, "v").bundle["applications"]["ng-ui"]["scale"] == 2


def test_undefined_variable_in_an_overlay(root: Path, write: Write):
    write("overlays/v/overlay.yaml", "applications:\n  nbi:\n    channel: '{{ chanel }}'\n")
    assert errors(root, "v") == [
        "overlays/v/overlay.yaml:3:18: error: undefined variable 'chanel'"
    ]


def test_extends_and_vars_may_not_depend_on_other_overlays_variables(root: Path, write: Write):
    write("overlays/a/overlay.yaml", "distro:\n  extends: [b]\n")
    write("overlays/b/overlay.yaml", "distro:\n  vars: {target: '{{ registry }}-b'}\n")
    write("overlays/c/overlay.yaml", "distro:\n  vars: {registry: other}\n")
    (error,) = errors(root, "a", "c")
    assert error == (
        "overlays/b/overlay.yaml:1:1: error: distro.extends and distro.vars must not depend on "
        "template variables that other overlays set"
    )


def test_distro_section_errors_are_all_reported(root: Path, write: Write):
    text = """
    distro:
      name: Not A Name
      colour: red
      vars: {"bad-name": 1}
      branding: {logo: x.svg, font: comic}
      remove-relations:
        - [ng-ui:nbi]
        - [ng-ui/0, nbi]
    """
    write("overlays/v/overlay.yaml", text)
    assert errors(root, "v") == [
        'overlays/v/overlay.yaml:3:3: error: unknown distro field "colour" (known: name, version, '
        "vendor, description, extends, vars, branding, charms, remove-relations, registry)",
        'overlays/v/overlay.yaml:4:10: error: variable name "bad-name" must be a Python '
        "identifier",
        'overlays/v/overlay.yaml:5:27: error: unknown branding field "font" (known: product-name, '
        "logo, primary-color)",
        "overlays/v/overlay.yaml:7:7: error: distro.remove-relations.0: expected two endpoints "
        "like [pol:mysql, mariadb:mysql], got a list",
        'overlays/v/overlay.yaml:8:8: error: invalid relation syntax "ng-ui/0"',
        'overlays/v/overlay.yaml:2:9: error: distro.name "Not A Name" must be 1-63 lower-case '
        "letters, digits, '.', '_' or '-' (it names the directory dist/<name>/)",
    ]


def test_remove_relations_drops_a_relation_juju_cannot(root: Path, write: Write):
    text = "distro:\n  remove-relations:\n    - [prometheus:prometheus, mon]\n"
    write("overlays/v/overlay.yaml", text)
    relations = compose(root, "v").bundle["relations"]
    assert ["mon:prometheus", "prometheus:prometheus"] not in relations
    assert ["prometheus:metrics-endpoint", "mon:metrics-endpoint"] in relations


def test_an_unknown_extends_does_not_hide_the_overlay_s_other_errors(root: Path, write: Write):
    write(
        "overlays/v/overlay.yaml",
        """
        distro:
          extends: [nosuch]
        applications:
          nbi:
            scale: three
          Bad_Name:
            charm: osm-ro
          ng-ui:
            options: [a, b]
        """,
    )
    assert errors(root, "v") == [
        'overlays/v/overlay.yaml:2:13: error: unknown overlay "nosuch"; available overlays: v',
        "overlays/v/overlay.yaml:5:12: error: applications.nbi.scale: expected an integer, got "
        '"three"',
        'overlays/v/overlay.yaml:6:3: error: invalid application name "Bad_Name": use lower-case '
        "letters, digits and single hyphens, starting with a letter",
        "overlays/v/overlay.yaml:9:14: error: applications.ng-ui.options: expected a mapping, got "
        "a list",
    ]


def test_remove_relations_match_an_endpoint_left_to_inference(root: Path, write: Write):
    write(
        "overlays/adds/overlay.yaml",
        "applications:\n  db: {charm: osm-mongodb}\nrelations:\n  - [nbi:mongodb, db]\n",
    )
    write(
        "overlays/drops/overlay.yaml",
        "distro:\n  extends: [adds]\n  remove-relations: [[db:database, nbi:mongodb]]\n",
    )
    assert ["nbi:mongodb", "db"] not in compose(root, "drops").bundle["relations"]


def test_remove_relations_must_match_an_existing_relation(root: Path, write: Write):
    write(
        "overlays/v/overlay.yaml", "distro:\n  remove-relations:\n    - [nbi:mongodb, mongodb]\n"
    )
    assert errors(root, "v") == [
        'overlays/v/overlay.yaml:3:7: error: remove-relations: no relation ["nbi:mongodb" '
        '"mongodb"] in the bundle composed so far'
    ]


def test_remove_relations_apply_after_their_own_layer(root: Path, write: Write):
    write(
        "overlays/adds/overlay.yaml",
        "applications:\n  db: {charm: osm-mongodb}\nrelations:\n  - [nbi:mongodb, db:database]\n",
    )
    write(
        "overlays/drops/overlay.yaml",
        "distro:\n  extends: [adds]\n  remove-relations: [[nbi, db]]\n",
    )
    assert ["nbi:mongodb", "db:database"] not in compose(root, "drops").bundle["relations"]


def test_branding_needs_ng_ui(root: Path, write: Write):
    text = "distro:\n  branding: {product-name: X}\napplications:\n  ng-ui:\n"
    write("overlays/v/overlay.yaml", text)
    assert errors(root, "v") == [
        'overlays/v/overlay.yaml:2:28: error: branding needs the "ng-ui" application, which this '
        "bundle lacks"
    ]


def test_distro_section_only_in_the_first_document(root: Path, write: Write):
    write("overlays/v/overlay.yaml", "applications: {}\n---\ndistro:\n  name: late\n")
    assert errors(root, "v") == [
        "overlays/v/overlay.yaml:3:1: error: a distro: section belongs only in the first document "
        "of an overlay"
    ]


def test_later_layers_win_metadata_and_branding_keys(root: Path, write: Write):
    write(
        "overlays/a/overlay.yaml",
        "distro:\n  name: a\n  vendor: A\n  branding: {product-name: A, primary-color: '#111'}\n",
    )
    write(
        "overlays/b/overlay.yaml",
        "distro:\n  extends: [a]\n  name: b\n  branding: {product-name: B}\n",
    )
    composition = compose(root, "b")
    assert (composition.distro.name, composition.distro.vendor, composition.distro.version) == (
        "b",
        "A",
        "16",
    )
    assert composition.bundle["applications"]["ng-ui"]["options"] == {
        "branding-primary-color": "#111",
        "branding-product-name": "B",
    }


def test_parse_settings():
    assert parse_settings(["a=1", "b=true", "c=x=y", "d=", "e=[1]"]) == {
        "a": 1,
        "b": True,
        "c": "x=y",
        "d": "",
        "e": "[1]",
    }
    with pytest.raises(InputError) as raised:
        parse_settings(["novalue", "bad-key=1"])
    assert [d.message for d in raised.value.diagnostics] == [
        '--set "novalue": expected KEY=VALUE with KEY a Python identifier',
        '--set "bad-key=1": expected KEY=VALUE with KEY a Python identifier',
    ]


def test_project_is_found_above_the_cwd_or_refused(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (root / "overlays/deep/er").mkdir(parents=True)
    monkeypatch.chdir(root / "overlays/deep/er")
    assert Project.locate().root == root
    with pytest.raises(InputError, match="not a distro-builder project"):
        Project.locate(tmp_path / "overlays")
