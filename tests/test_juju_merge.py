"""Juju's overlay merge rules, as `distro-builder merge` applies them to bundle files."""

import base64
from pathlib import Path

import pytest
from helpers import Write

from distro_builder.compose import merge_files
from distro_builder.core import InputError

BASE = """
bundle: kubernetes
applications:
  mongodb:
    charm: osm-mongodb
    channel: latest/edge
    scale: 1
    trust: true
    options:
      cache-size-gb: 1
      log-verbosity: 2
    storage:
      db: 10G
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
    """Run in tmp_path so that files are shown as the tests name them."""
    monkeypatch.chdir(tmp_path)


def merged(write: Write, *overlays: str, base: str = BASE, verify: bool = True) -> dict:
    write("bundle.yaml", base)
    paths = [Path(f"overlay{index}.yaml") for index in range(len(overlays))]
    for path, text in zip(paths, overlays, strict=True):
        write(path.name, text)
    composition, _ = merge_files(Path("bundle.yaml"), paths, verify=verify)
    return composition.bundle


def errors(write: Write, *overlays: str, base: str = BASE, verify: bool = True) -> list[str]:
    with pytest.raises(InputError) as raised:
        merged(write, *overlays, base=base, verify=verify)
    return [d.format() for d in raised.value.diagnostics if d.is_error]


def test_null_application_is_removed_with_its_relations(write: Write):
    bundle = merged(write, "applications:\n  nbi:\n")
    assert sorted(bundle["applications"]) == ["mongodb", "ng-ui"]
    assert "relations" not in bundle


def test_empty_mapping_application_is_not_a_removal(write: Write):
    bundle = merged(write, "applications:\n  nbi: {}\n")
    assert bundle["applications"]["nbi"] == {
        "charm": "osm-nbi",
        "scale": 1,
        "options": {"log-level": "INFO"},
    }


def test_new_application_is_added_as_written(write: Write):
    overlay = """
    applications:
      keystone:
        charm: osm-keystone
        channel: latest/beta
        trust: true
    relations:
      - [nbi:keystone, keystone:keystone]
    """
    bundle = merged(write, overlay)
    assert bundle["applications"]["keystone"] == {
        "charm": "osm-keystone",
        "channel": "latest/beta",
        "trust": True,
    }
    assert bundle["relations"][-1] == ["nbi:keystone", "keystone:keystone"]


def test_scalars_replace_even_with_zero_values(write: Write):
    overlay = """
    applications:
      mongodb:
        channel: 6/stable
        trust: false
        num_units: 0
    """
    mongodb = merged(write, overlay)["applications"]["mongodb"]
    assert mongodb["channel"] == "6/stable"
    assert "trust" not in mongodb  # false: Juju omits zero values
    assert "scale" not in mongodb


def test_scale_zero_in_an_overlay_changes_nothing_as_in_juju(write: Write):
    assert (
        merged(write, "applications:\n  nbi:\n    scale: 0\n")["applications"]["nbi"]["scale"] == 1
    )
    assert (
        merged(write, "applications:\n  nbi:\n    scale: 3\n")["applications"]["nbi"]["scale"] == 3
    )


def test_string_fields_read_scalars_as_written(write: Write):
    bundle = merged(write, "applications:\n  nbi:\n    channel: 3.10\n")
    assert bundle["applications"]["nbi"]["channel"] == "3.10"


def test_options_merge_key_by_key_and_null_deletes_a_key(write: Write):
    overlay = """
    applications:
      mongodb:
        options:
          log-verbosity: ~
          cache-size-gb: 2
          new-option: ""
    """
    options = merged(write, overlay)["applications"]["mongodb"]["options"]
    assert options == {"cache-size-gb": 2, "new-option": ""}


def test_null_map_clears_and_empty_map_keeps(write: Write):
    cleared = merged(write, "applications:\n  mongodb:\n    options:\n")["applications"]["mongodb"]
    kept = merged(write, "applications:\n  mongodb:\n    options: {}\n")["applications"]["mongodb"]
    assert "options" not in cleared
    assert kept["options"] == {"cache-size-gb": 1, "log-verbosity": 2}


def test_storage_and_resources_merge_per_key(write: Write):
    overlay = """
    applications:
      mongodb:
        storage:
          logs: 1G
        resources:
          mongodb-image: mongo:8.0
    """
    mongodb = merged(write, overlay)["applications"]["mongodb"]
    assert mongodb["storage"] == {"db": "10G", "logs": "1G"}
    assert mongodb["resources"] == {"mongodb-image": "mongo:8.0"}


def test_relations_are_appended_in_order(write: Write):
    first = "relations:\n  - [ng-ui:x, mongodb:y]\n"
    second = "relations:\n  - [nbi:z, ng-ui:w]\n"
    relations = merged(write, first, second)["relations"]
    assert relations[-2:] == [["ng-ui:x", "mongodb:y"], ["nbi:z", "ng-ui:w"]]


def test_machines_are_replaced_wholesale(write: Write):
    base = """
    applications:
      app:
        charm: ubuntu
        num_units: 1
        to: ["0"]
    machines:
      "0": {constraints: mem=2G}
      "1": {}
    """
    with_machines = """
    machines:
      "0": {constraints: mem=4G}
    """
    bundle = merged(write, with_machines, base=base, verify=False)
    assert bundle["machines"] == {"0": {"constraints": "mem=4G"}}
    assert bundle["applications"]["app"]["num_units"] == 1


def test_machines_replacement_breaks_placements_like_juju(write: Write):
    base = """
    applications:
      app: {charm: ubuntu, num_units: 1, to: ["1"]}
    machines:
      "1": {}
    """
    assert errors(write, 'machines:\n  "0": {}\n', base=base) == [
        'bundle.yaml:2:38: error: placement "1" refers to a machine not defined in this bundle',
        'overlay0.yaml:2:3: error: machine "0" is not referred to by a placement directive',
    ]


def test_series_overrides_and_default_base_is_ignored_with_a_warning(write: Write):
    base = "series: jammy\ndefault-base: ubuntu@22.04\napplications:\n  a: {charm: ubuntu}\n"
    overlay = "series: noble\ndefault-base: ubuntu@24.04\n"
    write("bundle.yaml", base)
    write("o.yaml", overlay)
    composition, warnings = merge_files(Path("bundle.yaml"), [Path("o.yaml")])
    assert composition.bundle["series"] == "noble"
    assert composition.bundle["default-base"] == "ubuntu@22.04"
    assert [w.format() for w in warnings] == [
        'o.yaml:2:1: warning: default-base "ubuntu@24.04" in an overlay is ignored by Juju'
    ]


def test_multi_document_file_is_base_then_overlays(write: Write):
    text = BASE + "---\napplications:\n  ng-ui:\n---\napplications:\n  nbi:\n    scale: 2\n"
    bundle = merged(write, base=text)
    assert sorted(bundle["applications"]) == ["mongodb", "nbi"]
    assert bundle["applications"]["nbi"]["scale"] == 2


def test_includes_resolve_relative_to_the_defining_file(write: Write):
    write("site/motd.txt", "hello\n")
    write("site/logo.png", "PNG")
    write(
        "site/overlay.yaml",
        """
        applications:
          ng-ui:
            options:
              motd: include-file://motd.txt
              logo: include-base64://./logo.png
            annotations:
              note: include-file://motd.txt
        """,
    )
    write("bundle.yaml", BASE)
    composition, _ = merge_files(Path("bundle.yaml"), [Path("site/overlay.yaml")])
    ng_ui = composition.bundle["applications"]["ng-ui"]
    assert ng_ui["options"] == {"logo": base64.b64encode(b"PNG").decode(), "motd": "hello\n"}
    assert ng_ui["annotations"] == {"note": "hello\n"}


def test_missing_include_uses_juju_wording(write: Write):
    overlay = "applications:\n  nbi:\n    options:\n      motd: include-file://absent.txt\n"
    assert errors(write, overlay) == [
        'overlay0.yaml:4:7: error: processing option "motd" for application "nbi": '
        'resolving include "absent.txt": include file "absent.txt" not found'
    ]


def test_relative_charm_paths_become_absolute_against_the_defining_file(write: Write):
    charm = write("site/charms/osm-nbi.charm", "zip")
    write("site/overlay.yaml", "applications:\n  nbi:\n    charm: ./charms/osm-nbi.charm\n")
    write("bundle.yaml", BASE)
    composition, _ = merge_files(Path("bundle.yaml"), [Path("site/overlay.yaml")])
    assert composition.bundle["applications"]["nbi"]["charm"] == str(charm)


def test_overlay_only_fields_are_refused_in_the_base(write: Write):
    base = BASE.replace(
        "  ng-ui:\n    charm: osm-ng-ui\n",
        "  ng-ui:\n    charm: osm-ng-ui\n    offers:\n      ui:\n        endpoints: [nbi]\n",
    )
    assert errors(write, base=base) == [
        "bundle.yaml:20:5: error: applications.ng-ui.offers can only appear in an overlay section",
        "bundle.yaml:22:9: error: applications.ng-ui.offers.ui.endpoints can only appear in an "
        "overlay section",
    ]


def test_overlay_only_fields_are_fine_in_an_overlay(write: Write):
    overlay = "applications:\n  nbi:\n    offers:\n      api:\n        endpoints: [nbi]\n"
    assert merged(write, overlay)["applications"]["nbi"]["offers"] == {
        "api": {"endpoints": ["nbi"]}
    }


def test_base_is_verified_alone_before_overlays(write: Write):
    base = BASE + "  - [nbi:keystone, keystone:keystone]\n"
    overlay = "applications:\n  keystone:\n    charm: osm-keystone\n"
    (error,) = errors(write, overlay, base=base)
    assert error.startswith(
        'bundle.yaml:23:20: error: relation ["nbi:keystone" "keystone:keystone"]'
    )
    assert 'refers to application "keystone" not defined in this bundle' in error
    assert "keystone" in merged(write, overlay, base=base, verify=False)["applications"]


def test_base_application_without_body(write: Write):
    base = "applications:\n  apache2:\n---\napplications:\n  apache2:\n    charm: apache2\n"
    assert errors(write, base=base) == [
        'bundle.yaml:2:3: error: bundle application for key "apache2" is undefined'
    ]
    assert errors(write, base=base, verify=False) == [
        'bundle.yaml:2:3: error: base application "apache2" has no body'
    ]


def test_null_saas_is_removed_with_its_relations(write: Write):
    base = BASE + "  - [nbi:db, pg]\nsaas:\n  pg:\n    url: lab:admin/db.pg\n"
    bundle = merged(write, "saas:\n  pg:\n", base=base)
    assert "saas" not in bundle
    assert ["nbi:db", "pg"] not in bundle["relations"]


def test_services_key_is_refused_in_an_overlay(write: Write):
    (error,) = errors(write, "services:\n  nbi: {scale: 2}\n")
    assert "deprecated 'services' key, this is not valid for bundle overlay files" in error


def test_scale_and_num_units_together(write: Write):
    (error,) = errors(write, "applications:\n  nbi:\n    scale: 2\n    num_units: 2\n")
    assert (
        error
        == "overlay0.yaml:2:3: error: cannot specify both scale and num_units for application "
        '"nbi"'
    )


def test_wrong_types_are_errors_at_the_value(write: Write):
    overlay = """
    applications:
      nbi:
        options: [log-level, DEBUG]
        scale: three
        trust: maybe
        to: lxd:0
    relations: nbi:kafka
    """
    assert errors(write, overlay) == [
        "overlay0.yaml:3:14: error: applications.nbi.options: expected a mapping, got a list",
        'overlay0.yaml:4:12: error: applications.nbi.scale: expected an integer, got "three"',
        'overlay0.yaml:5:12: error: applications.nbi.trust: expected true or false, got "maybe"',
        'overlay0.yaml:6:9: error: applications.nbi.to: expected a list of strings, got "lxd:0"',
        'overlay0.yaml:7:12: error: relations: expected a list of relations, got "nbi:kafka"',
    ]


def test_invalid_application_names(write: Write):
    (error,) = errors(write, "applications:\n  Bad_App:\n    charm: x\n")
    assert error.startswith('overlay0.yaml:2:3: error: invalid application name "Bad_App"')


def test_unknown_fields_are_warnings_like_juju(write: Write):
    base_path, overlay = Path("bundle.yaml"), Path("o.yaml")
    write(base_path.name, BASE)
    write(overlay.name, "name: x\napplications:\n  nbi:\n    colour: blue\n")
    _, warnings = merge_files(base_path, [overlay])
    assert [w.format() for w in warnings] == [
        'o.yaml:1:1: warning: unknown top-level field "name" (Juju ignores it)',
        'o.yaml:4:5: warning: unknown field "colour" in application "nbi" (Juju ignores it)',
    ]
    with pytest.raises(InputError):
        merge_files(base_path, [overlay], strict=True)


def test_anchors_work_inside_one_document(write: Write):
    overlay = """
    x-defaults: &defaults {log-level: DEBUG}
    applications:
      nbi:
        options: *defaults
      ng-ui:
        options:
          <<: *defaults
          max-body-size: 10
    """
    bundle = merged(write, overlay)
    assert bundle["applications"]["nbi"]["options"] == {"log-level": "DEBUG"}
    assert bundle["applications"]["ng-ui"]["options"] == {
        "log-level": "DEBUG",
        "max-body-size": 10,
    }


def test_empty_inputs(write: Write):
    assert errors(write, base="") == ["error: malformed bundle: bundle is empty"]
    assert merged(write, "", "# only a comment\n") == merged(write)


def test_saas_entries_merge_like_applications(write: Write):
    base = BASE + "saas:\n  pg:\n    url: lab:admin/db.pg\n"
    bundle = merged(
        write, "saas:\n  pg:\n    url: lab:admin/other.pg\n  new: {url: m.app}\n", base=base
    )
    assert bundle["saas"] == {"new": {"url": "m.app"}, "pg": {"url": "lab:admin/other.pg"}}


def test_null_entries_delete_offers_and_exposed_endpoints(write: Write):
    first = """
    applications:
      nbi:
        offers:
          api: {endpoints: [nbi]}
          old: {endpoints: [nbi]}
        exposed-endpoints:
          nbi: {expose-to-cidrs: [10.0.0.0/8]}
    """
    second = "applications:\n  nbi:\n    offers:\n      old:\n    exposed-endpoints:\n      nbi:\n"
    nbi = merged(write, first, second)["applications"]["nbi"]
    assert nbi["offers"] == {"api": {"endpoints": ["nbi"]}}
    assert "exposed-endpoints" not in nbi


MAP_FIELDS_BASE = """
bundle: kubernetes
applications:
  nbi:
    charm: osm-nbi
    options: {log-level: INFO, max-body-size: 10}
    resources: {nbi-image: "osm/nbi:16", extra: 3}
    storage: {data: 10G, logs: 1G}
    annotations: {gui-x: "10", gui-y: "20"}
    bindings: {nbi: internal, mongodb: storage}
    devices: {gpu: "1,nvidia.com/gpu", fpga: "2,acme/fpga"}
"""
# Each map field: the entry an overlay deletes, and the entry that stays.
MAP_FIELDS = {
    "options": ("log-level", {"max-body-size": 10}),
    "resources": ("nbi-image", {"extra": 3}),
    "storage": ("data", {"logs": "1G"}),
    "annotations": ("gui-x", {"gui-y": "20"}),
    "bindings": ("nbi", {"mongodb": "storage"}),
    "devices": ("gpu", {"fpga": "2,acme/fpga"}),
}


@pytest.mark.parametrize("field", MAP_FIELDS)
def test_a_null_entry_deletes_the_key_in_every_map_field(write: Write, field: str):
    deleted, kept = MAP_FIELDS[field]
    overlay = f"applications:\n  nbi:\n    {field}:\n      {deleted}: null\n"

    nbi = merged(write, overlay, base=MAP_FIELDS_BASE, verify=False)["applications"]["nbi"]

    assert nbi[field] == kept


@pytest.mark.parametrize("field", MAP_FIELDS)
def test_a_null_entry_of_an_application_added_as_written_is_left_out(write: Write, field: str):
    deleted = MAP_FIELDS[field][0]
    overlay = f"applications:\n  extra:\n    charm: osm-ro\n    {field}: {{{deleted}: ~}}\n"

    extra = merged(write, overlay, verify=False)["applications"]["extra"]

    assert field not in extra


def test_deleting_storage_with_null_gives_a_bundle_that_verifies(write: Write):
    overlay = "applications:\n  mongodb:\n    storage:\n      db: null\n      logs: 1G\n"

    assert merged(write, overlay)["applications"]["mongodb"]["storage"] == {"logs": "1G"}
