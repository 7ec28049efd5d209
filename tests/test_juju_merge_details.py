"""Juju's merge in detail: who wrote what, includes, removals, ordering, decoding errors."""

import base64
import hashlib
from pathlib import Path

import pytest
from helpers import Write

from distro_builder import api
from distro_builder.compose import Composition, merge_files
from distro_builder.core import MAX_FILE_BYTES, InputError, Origin

BASE = """
bundle: kubernetes
description: the base
tags: [osm]
applications:
  mongodb:
    charm: osm-mongodb
    scale: 1
    options:
      cache-size-gb: 1
      log-verbosity: 2
  nbi:
    charm: osm-nbi
    scale: 1
    options:
      log-level: INFO
  ng-ui:
    charm: osm-ng-ui
relations:
  - [nbi:mongodb, mongodb:database]
  - [ng-ui, nbi:nbi]
"""


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def compose(
    write: Write, *overlays: str, base: str = BASE, verify: bool = False
) -> tuple[Composition, list[str]]:
    write("bundle.yaml", base)
    paths = [Path(f"o{index}.yaml") for index in range(len(overlays))]
    for path, text in zip(paths, overlays, strict=True):
        write(path.name, text)
    composition, diagnostics = merge_files(Path("bundle.yaml"), paths, verify=verify)
    return composition, [d.format() for d in diagnostics]


def errors(write: Write, *overlays: str, base: str = BASE, verify: bool = False) -> list[str]:
    with pytest.raises(InputError) as raised:
        compose(write, *overlays, base=base, verify=verify)
    return [d.format() for d in raised.value.diagnostics]


def at(path: str, line: int, column: int) -> Origin:
    return Origin(path, line, column)


def test_provenance_names_the_last_writer_of_every_value(write: Write):
    overlay = """
    series: noble
    applications:
      nbi:
        scale: 3
        options:
          log-level: DEBUG
      mongodb:
        options: ~
        scale: 2
      keystone:
        charm: osm-keystone
        options: {admin: x}
    relations:
      - [nbi:keystone, keystone:keystone]
    """
    composition, _ = compose(write, overlay)
    origin, history = composition.provenance.origin, composition.provenance.history

    assert origin(("bundle",)) == at("bundle.yaml", 1, 1)
    assert origin(("description",)) == at("bundle.yaml", 2, 1)
    assert origin(("series",)) == at("o0.yaml", 1, 1)
    assert history(("applications", "nbi")) == [at("bundle.yaml", 11, 3), at("o0.yaml", 3, 3)]
    assert history(("applications", "nbi", "scale")) == [
        at("bundle.yaml", 13, 5),
        at("o0.yaml", 4, 5),
    ]
    assert history(("applications", "nbi", "options", "log-level")) == [
        at("bundle.yaml", 15, 7),
        at("o0.yaml", 6, 7),
    ]
    # a null map forgets the entries it cleared; the field itself is the overlay's now
    assert history(("applications", "mongodb", "options")) == [at("o0.yaml", 8, 5)]
    assert history(("applications", "mongodb", "options", "log-verbosity")) == []
    assert origin(("applications", "mongodb", "scale")) == at("o0.yaml", 9, 5)
    assert origin(("applications", "keystone", "options", "admin")) == at("o0.yaml", 12, 15)
    assert history(("relations", 2)) == [at("o0.yaml", 14, 5)]
    assert history(("relations", 2, 1)) == [at("o0.yaml", 14, 20)]
    assert history(("relations", 0)) == [at("bundle.yaml", 19, 5)]


def test_removed_or_rewritten_entries_forget_their_history(write: Write):
    first = "applications:\n  nbi:\n  mongodb:\n    options: {log-verbosity: ~}\n"
    second = "applications:\n  nbi:\n    charm: osm-nbi-2\n"
    composition, _ = compose(write, first, second)
    history = composition.provenance.history

    assert history(("applications", "nbi", "options", "log-level")) == []
    assert history(("applications", "nbi", "scale")) == []
    assert history(("applications", "nbi")) == [at("o1.yaml", 2, 3)]
    assert history(("applications", "mongodb", "options", "log-verbosity")) == [
        at("o0.yaml", 4, 15)
    ]


def test_removed_application_leaves_no_history(write: Write):
    composition, _ = compose(write, "applications:\n  ng-ui: ~\n")
    assert composition.provenance.history(("applications", "ng-ui", "charm")) == []
    assert composition.provenance.history(("applications", "ng-ui")) == []


def test_replaced_machines_forget_the_old_ones(write: Write):
    base = 'applications:\n  a: {charm: ubuntu, num_units: 1, to: ["1"]}\nmachines:\n  "1": {}\n'
    composition, _ = compose(write, 'machines:\n  "0": {constraints: mem=4G}\n', base=base)
    history = composition.provenance.history

    assert history(("machines", "1")) == []
    assert history(("machines", "0", "constraints")) == [at("o0.yaml", 2, 9)]


def test_kubernetes_scale_is_recorded_under_its_emitted_name(write: Write):
    composition, _ = compose(write, "applications:\n  nbi:\n    num_units: 2\n")
    assert composition.bundle["applications"]["nbi"]["scale"] == 2
    assert composition.provenance.history(("applications", "nbi", "scale")) == [
        at("bundle.yaml", 13, 5),
        at("o0.yaml", 3, 5),
    ]


def test_scale_and_placement_positions_point_at_what_was_written(write: Write):
    base = """
    bundle: kubernetes
    applications:
      a: {charm: a, scale: -1, placement: "x"}
    """
    assert errors(write, base=base, verify=True) == [
        'bundle.yaml:3:17: error: negative number of units specified on application "a"',
        'bundle.yaml:3:28: error: expected "key=value", got "x" for application "a"',
    ]
    iaas = 'applications:\n  a: {charm: a, num_units: -1, to: ["new"]}\n'
    assert errors(write, base=iaas, verify=True)[0].startswith("bundle.yaml:2:17: error:")


def test_top_level_fields_of_the_base_are_kept(write: Write):
    base = "default-base: ubuntu@24.04\nseries: noble\n" + BASE.replace("bundle: kubernetes\n", "")
    bundle = compose(write, base=base)[0].bundle
    assert [bundle[key] for key in ("description", "tags", "series", "default-base")] == [
        "the base",
        ["osm"],
        "noble",
        "ubuntu@24.04",
    ]
    assert list(bundle) == [
        "description",
        "tags",
        "series",
        "default-base",
        "applications",
        "relations",
    ]


def test_ignored_overlay_fields_warn_only_when_they_would_change_something(write: Write):
    overlay = (
        "bundle: kubernetes\ndescription: the base\ntags: [vendor]\ndefault-base: ubuntu@24.04\n"
    )
    composition, warnings = compose(write, overlay)

    assert composition.bundle["tags"] == ["osm"]
    assert "default-base" not in composition.bundle
    assert warnings == ['o0.yaml:3:1: warning: tags ["vendor"] in an overlay is ignored by Juju']


@pytest.mark.parametrize("endpoints", [["nbi:x"], ["nbi:x", "ng-ui:y", "mongodb:z"]])
def test_removing_an_application_keeps_relations_without_two_endpoints(
    write: Write, endpoints: list[str]
):
    # removeRelations keeps a relation that has not exactly two endpoints for verification
    # to report (juju/charm v13 overlay.go:604-619).
    base = BASE + f"  - {endpoints}\n".replace("'", "")
    bundle = compose(write, "applications:\n  nbi: ~\n", base=base)[0].bundle
    assert bundle["relations"] == [endpoints]


def test_removing_an_application_or_saas_that_does_not_exist_changes_nothing(write: Write):
    bundle = compose(write, "applications:\n  ghost: ~\nsaas:\n  nowhere: ~\n")[0].bundle
    assert sorted(bundle["applications"]) == ["mongodb", "nbi", "ng-ui"]
    assert len(bundle["relations"]) == 2


def test_an_overlay_changes_an_existing_saas_entry(write: Write):
    base = BASE + "saas:\n  pg:\n    url: lab:admin/db.pg\n  other: {url: m.other}\n"
    bundle = compose(write, "saas:\n  pg:\n    url: prod:admin/db.pg\n", base=base)[0].bundle
    assert bundle["saas"] == {"other": {"url": "m.other"}, "pg": {"url": "prod:admin/db.pg"}}


def test_a_null_map_then_more_fields_of_the_same_entry(write: Write):
    overlay = "applications:\n  mongodb:\n    options: ~\n    storage: {db: 5G}\n    scale: 2\n"
    mongodb = compose(write, overlay)[0].bundle["applications"]["mongodb"]
    assert mongodb == {"charm": "osm-mongodb", "scale": 2, "storage": {"db": "5G"}}


def test_nulling_an_option_the_base_never_set(write: Write):
    overlay = "applications:\n  nbi:\n    options: {debug: ~, log-level: DEBUG}\n"
    options = compose(write, overlay)[0].bundle["applications"]["nbi"]["options"]
    assert options == {"log-level": "DEBUG"}


def test_a_new_application_keeps_its_maps_and_lists_as_written(write: Write):
    overlay = """
    applications:
      keystone:
        charm: osm-keystone
        to: ["role=identity"]
        options: {b: 2, a: 1}
        resources: {image: "k:1"}
        annotations: {gui-x: "1"}
    """
    keystone = compose(write, overlay)[0].bundle["applications"]["keystone"]
    assert keystone == {
        "charm": "osm-keystone",
        "to": ["role=identity"],
        "resources": {"image": "k:1"},
        "options": {"a": 1, "b": 2},
        "annotations": {"gui-x": "1"},
    }
    assert list(keystone["options"]) == ["a", "b"]


def test_revision_zero_is_emitted_and_empty_strings_are_not(write: Write):
    overlay = 'applications:\n  nbi:\n    revision: 0\n    channel: ""\n    constraints: ""\n'
    nbi = compose(write, overlay)[0].bundle["applications"]["nbi"]
    assert nbi == {"charm": "osm-nbi", "revision": 0, "scale": 1, "options": {"log-level": "INFO"}}


def test_machines_are_ordered_by_number(write: Write):
    base = """
    applications:
      a: {charm: ubuntu, num_units: 3, to: ["10", "2", "x"]}
    machines:
      "10": {}
      "x": {}
      "2": {}
    """
    assert list(compose(write, base=base)[0].bundle["machines"]) == ["2", "10", "x"]


# --- includes ---------------------------------------------------------------------------


def test_includes_in_machine_annotations(write: Write):
    write("site/rack.txt", "r42")
    write(
        "site/machines.yaml",
        'machines:\n  "0":\n    annotations: {count: 3, rack: include-file://rack.txt}\n',
    )
    write("bundle.yaml", 'applications:\n  a: {charm: ubuntu, num_units: 1, to: ["0"]}\n')
    composition, _ = merge_files(Path("bundle.yaml"), [Path("site/machines.yaml")], verify=False)
    assert composition.bundle["machines"] == {"0": {"annotations": {"count": "3", "rack": "r42"}}}


def test_include_problems_in_machine_and_application_annotations_use_juju_wording(
    write: Write,
):
    write("folder/keep", "")
    overlay = """
    applications:
      nbi:
        annotations: {note: include-file://absent.txt}
        options: {n: 1, motd: include-base64://folder}
    machines:
      "0":
        annotations: {rack: include-file://gone.txt}
    """
    assert errors(write, overlay) == [
        'o0.yaml:4:21: error: processing option "motd" for application "nbi": resolving '
        'include "folder": include path "folder" resolves to a folder',
        'o0.yaml:3:19: error: processing annotation "note" for application "nbi": resolving '
        'include "absent.txt": include file "absent.txt" not found',
        'o0.yaml:7:19: error: processing annotation "rack" for machine "0": resolving include '
        '"gone.txt": include file "gone.txt" not found',
    ]


def test_include_size_limit(write: Write, tmp_path: Path):
    (tmp_path / "exact.bin").write_bytes(b"a" * MAX_FILE_BYTES)
    (tmp_path / "over.bin").write_bytes(b"a" * (MAX_FILE_BYTES + 1))
    fits = "applications:\n  nbi:\n    options: {x: include-file://exact.bin}\n"
    assert len(compose(write, fits)[0].bundle["applications"]["nbi"]["options"]["x"]) == (
        MAX_FILE_BYTES
    )
    too_big = "applications:\n  nbi:\n    options: {x: include-file://over.bin}\n"
    assert errors(write, too_big) == [
        'o0.yaml:3:15: error: processing option "x" for application "nbi": resolving include '
        f'"over.bin": include file "over.bin" is larger than {MAX_FILE_BYTES} bytes'
    ]


def test_included_files_are_recorded_with_their_digest(write: Write, tmp_path: Path):
    (tmp_path / "motd.txt").write_bytes(b"hello")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    overlay = """
    applications:
      nbi:
        options: {motd: include-file://motd.txt, logo: include-base64://logo.png}
    """
    composition, _ = compose(write, overlay)
    inputs = dict(composition.inputs)
    assert inputs[(tmp_path / "motd.txt").as_posix()] == hashlib.sha256(b"hello").hexdigest()
    assert inputs[(tmp_path / "logo.png").as_posix()] == hashlib.sha256(b"\x89PNG").hexdigest()
    assert composition.bundle["applications"]["nbi"]["options"]["logo"] == base64.b64encode(
        b"\x89PNG"
    ).decode("ascii")


def test_a_non_utf8_include_file_is_read_with_replacement_characters(write: Write, tmp_path: Path):
    (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1"))
    overlay = "applications:\n  nbi:\n    options: {motd: include-file://latin1.txt}\n"
    options = compose(write, overlay)[0].bundle["applications"]["nbi"]["options"]
    assert options["motd"] == "caf\ufffd"


def test_includes_and_charm_paths_resolve_after_a_removal_in_the_same_document(write: Write):
    charm = write("site/nbi.charm", "zip")
    write("site/motd.txt", "hi")
    write(
        "site/o.yaml",
        "applications:\n  ng-ui: ~\n  nbi:\n    charm: ./nbi.charm\n"
        "    options: {motd: include-file://motd.txt}\n",
    )
    write("bundle.yaml", BASE)
    composition, _ = merge_files(Path("bundle.yaml"), [Path("site/o.yaml")], verify=False)
    nbi = composition.bundle["applications"]["nbi"]
    assert (nbi["charm"], nbi["options"]["motd"]) == (str(charm), "hi")


def test_build_confines_includes_to_the_overlay_directory(project: Path, tmp_path: Path):
    overlay = project / "overlays" / "escape" / "overlay.yaml"
    overlay.parent.mkdir(parents=True)
    (project / "overlays" / "secret.txt").write_text("x")
    overlay.write_text(
        "distro: {name: escape}\napplications:\n  nbi:\n"
        "    options: {motd: include-file://../secret.txt}\n"
    )
    with pytest.raises(InputError) as raised:
        api.compose(api.Project.locate(project), api.ComposeOptions(overlays=["escape"]))
    (diagnostic,) = raised.value.diagnostics
    shown = overlay.relative_to(tmp_path)
    assert diagnostic.format() == (
        f'{shown}:4:15: error: processing option "motd" for application "nbi": resolving '
        f'include "../secret.txt": include path escapes the directory of its file ({shown.parent})'
    )


# --- decoding ---------------------------------------------------------------------------


def test_mistyped_values_name_what_they_got(write: Write):
    overlay = """
    applications:
      nbi:
        charm: {name: x}
        channel: [a]
        scale: ~
        trust: ~
        revision: true
        to: [lxd, {a: 1}]
        annotations: {gui-x: [1]}
        storage: [db]
        offers: {api: [x]}
        exposed-endpoints: {nbi: {colour: red}}
      ng-ui: [x]
    relations: [[a, [b]]]
    """
    assert errors(write, overlay) == [
        "o0.yaml:3:12: error: applications.nbi.charm: expected a string, got a mapping",
        "o0.yaml:4:14: error: applications.nbi.channel: expected a string, got a list",
        "o0.yaml:7:15: error: applications.nbi.revision: expected an integer, got true",
        "o0.yaml:8:15: error: applications.nbi.to.1: expected a string, got a mapping",
        "o0.yaml:9:26: error: applications.nbi.annotations.gui-x: expected a string, got a list",
        "o0.yaml:10:14: error: applications.nbi.storage: expected a mapping, got a list",
        "o0.yaml:11:19: error: applications.nbi.offers.api: expected a mapping, got a list",
        'o0.yaml:12:31: warning: unknown field "colour" in exposed endpoint "nbi" (Juju '
        "ignores it)",
        "o0.yaml:13:10: error: applications.ng-ui: expected a mapping, got a list",
        "o0.yaml:14:17: error: relations.0.1: expected a string, got a list",
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[a, b]", "error: expected a bundle (a mapping), got a list"),
        ("just text", "error: expected a bundle (a mapping), got a string"),  # never echoed
        ("3", "error: expected a bundle (a mapping), got a number"),
        ("false", "error: expected a bundle (a mapping), got a boolean"),
    ],
)
def test_a_document_that_is_not_a_mapping(write: Write, document: str, message: str):
    assert errors(write, document + "\n") == [f"o0.yaml:1:1: {message}"]


def test_sections_that_are_not_mappings(write: Write):
    overlay = "applications: [a]\nsaas: x\nmachines: 3\n"
    assert errors(write, overlay) == [
        "o0.yaml:1:15: error: applications: expected a mapping, got a list",
        'o0.yaml:2:7: error: saas: expected a mapping, got "x"',
        "o0.yaml:3:11: error: machines: expected a mapping, got 3",
    ]


def test_every_invalid_name_and_unknown_field_is_reported(write: Write):
    overlay = """
    applications:
      Bad_One: {charm: x}
      also_bad: {charm: x}
      nbi: {colour: red, size: 3}
    saas:
      pg: {url: m.pg, owner: me}
    colour: red
    size: 3
    """
    assert errors(write, overlay) == [
        'o0.yaml:2:3: error: invalid application name "Bad_One": use lower-case letters, '
        "digits and single hyphens, starting with a letter",
        'o0.yaml:3:3: error: invalid application name "also_bad": use lower-case letters, '
        "digits and single hyphens, starting with a letter",
        'o0.yaml:4:9: warning: unknown field "colour" in application "nbi" (Juju ignores it)',
        'o0.yaml:4:22: warning: unknown field "size" in application "nbi" (Juju ignores it)',
        'o0.yaml:6:19: warning: unknown field "owner" in SAAS "pg" (Juju ignores it)',
        'o0.yaml:7:1: warning: unknown top-level field "colour" (Juju ignores it)',
        'o0.yaml:8:1: warning: unknown top-level field "size" (Juju ignores it)',
    ]


def test_null_sections_and_null_unit_fields(write: Write):
    overlay = "applications:\nsaas:\nmachines:\nrelations:\n"
    assert compose(write, overlay)[0].bundle == compose(write)[0].bundle
    zeroed = "applications:\n  nbi:\n    scale: ~\n    trust: ~\n    num_units: ~\n"
    nbi = compose(write, zeroed)[0].bundle["applications"]["nbi"]
    assert "scale" not in nbi


def test_placement_normalisation_errors(write: Write):
    iaas = 'applications:\n  a: {charm: a, placement: "x=1"}\n  b: {charm: b, placement: "y=2"}\n'
    assert errors(write, base=iaas) == [
        'bundle.yaml:2:3: error: placement (x=1) not valid for non-Kubernetes application "a"',
        'bundle.yaml:3:3: error: placement (y=2) not valid for non-Kubernetes application "b"',
    ]
    k8s = (
        "bundle: kubernetes\napplications:\n"
        '  a: {charm: a, placement: "x=1", to: ["y=2"]}\n'
        '  b: {charm: b, placement: "x=1", to: ["y=2"]}\n'
        '  c: {charm: c, placement: "z=3"}\n'
    )
    assert errors(write, base=k8s) == [
        'bundle.yaml:3:3: error: cannot specify both placement and to for application "a"',
        'bundle.yaml:4:3: error: cannot specify both placement and to for application "b"',
    ]
    k8s = "bundle: kubernetes\napplications:\n" + '  c: {charm: c, placement: "z=3"}\n'
    assert compose(write, base=k8s)[0].bundle["applications"]["c"]["to"] == ["z=3"]


def test_scale_and_num_units_together_in_every_application(write: Write):
    base = "applications:\n  a: {charm: a, scale: 2, num_units: 2}\n  b: {charm: b, scale: 1}\n"
    assert errors(write, base=base) == [
        'bundle.yaml:2:3: error: cannot specify both scale and num_units for application "a"'
    ]
    overlay = "applications:\n  nbi: ~\n  ng-ui: {scale: 2}\n"
    assert compose(write, overlay)[0].bundle["applications"]["ng-ui"]["scale"] == 2


def test_merge_reads_includes_anywhere_as_juju_does(write: Write):
    write("shared/motd.txt", "hello")
    write(
        "site/o.yaml",
        "applications:\n  nbi:\n    options: {motd: include-file://../shared/motd.txt}\n",
    )
    write("bundle.yaml", BASE)
    composition, _ = merge_files(Path("bundle.yaml"), [Path("site/o.yaml")], verify=False)
    assert composition.bundle["applications"]["nbi"]["options"]["motd"] == "hello"


def test_build_composes_with_the_same_rules_and_says_where_juju_surprises(tmp_path: Path):
    root = Path(__file__).resolve().parent.parent
    overlay = tmp_path / "o" / "overlay.yaml"
    overlay.parent.mkdir()
    overlay.write_text(
        "distro: {name: quirks}\napplications:\n  mongodb:\n    storage: {db: ~}\n"
        "  nbi:\n    annotations: {note: ~}\n"
    )
    project = api.Project.locate(root)
    composition = api.compose(project, api.ComposeOptions(overlays=[str(overlay)]))
    findings = api.check(project, composition, api.CheckOptions()).diagnostics
    shown = api.display_path(overlay)

    assert composition.bundle["applications"]["nbi"]["annotations"] == {"note": ""}
    assert [d.format() for d in findings] == [
        f"{shown}:4:15: warning: applications.mongodb.storage.db: Juju keeps this key with the "
        'value "" (null in a string map is an empty string, not a deletion; "storage: null" '
        "clears the whole map)",
        f"{shown}:6:19: warning: applications.nbi.annotations.note: Juju keeps this key with "
        'the value "" (null in a string map is an empty string, not a deletion; "annotations: '
        'null" clears the whole map)',
        f'{shown}:4:15: error: invalid storage "db" in application "mongodb": storage '
        "constraints require at least one field to be specified",
    ]
