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
    return merged_and_warnings(write, *overlays, base=base, verify=verify)[0]


def merged_and_warnings(
    write: Write, *overlays: str, base: str = BASE, verify: bool = True
) -> tuple[dict, list[str]]:
    write("bundle.yaml", base)
    paths = [Path(f"overlay{index}.yaml") for index in range(len(overlays))]
    for path, text in zip(paths, overlays, strict=True):
        write(path.name, text)
    composition, diagnostics = merge_files(Path("bundle.yaml"), paths, verify=verify)
    return composition.bundle, [d.format() for d in diagnostics]


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


SERVICES_WARNING = (
    'warning: unknown top-level field "services" (Juju 3 ignores it: the legacy alias of '
    '"applications" is gone)'
)


def test_services_key_in_an_overlay_is_an_ignored_unknown_field_as_in_juju_3(write: Write):
    # juju/charm removed the alias in v9 (commit 420891a): Juju 3's strict decoding reports
    # it as an unknown field and the deploy ignores it (deployer/bundle.go,
    # printDryRunUnmarshalErrors); applyOverlay's 'services' error cannot trigger any more.
    bundle, warnings = merged_and_warnings(write, "services:\n  nbi: {scale: 2}\n")

    assert bundle["applications"]["nbi"]["scale"] == 1
    assert warnings == [f"overlay0.yaml:1:1: {SERVICES_WARNING}"]


def test_services_key_in_the_base_is_ignored_too(write: Write):
    base = "services:\n  nbi: {charm: osm-nbi}\napplications:\n  ng-ui: {charm: osm-ng-ui}\n"

    bundle, warnings = merged_and_warnings(write, base=base)

    assert list(bundle["applications"]) == ["ng-ui"]
    assert warnings == [f"bundle.yaml:1:1: {SERVICES_WARNING}"]


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


STRING_MAPS = ("storage", "annotations", "bindings", "devices")
DELETING_MAPS = ("options", "resources")


def string_map_warning(where: str, path: str, field: str) -> str:
    return (
        f'{where}: warning: {path}: Juju keeps this key with the value "" (null in a string '
        f'map is an empty string, not a deletion; "{field}: null" clears the whole map)'
    )


@pytest.mark.parametrize("field", DELETING_MAPS)
def test_a_null_entry_deletes_the_key_of_options_and_resources(write: Write, field: str):
    # mergeStructs deletes an entry whose value is zero and non-scalar: an interface{} value
    # (juju/charm v13 overlay.go:681; isNonScalar sees the reflect.Value struct, :699-713).
    deleted, kept = MAP_FIELDS[field]
    overlay = f"applications:\n  nbi:\n    {field}:\n      {deleted}: null\n"

    bundle, warnings = merged_and_warnings(write, overlay, base=MAP_FIELDS_BASE, verify=False)

    assert bundle["applications"]["nbi"][field] == kept
    assert warnings == []


@pytest.mark.parametrize("field", STRING_MAPS)
def test_a_null_entry_of_a_string_map_is_an_empty_string_as_in_juju(write: Write, field: str):
    # map[string]string: yaml.v2 decodes null as "", a scalar, which mergeStructs sets.
    deleted, kept = MAP_FIELDS[field]
    overlay = f"applications:\n  nbi:\n    {field}:\n      {deleted}: null\n"

    bundle, warnings = merged_and_warnings(write, overlay, base=MAP_FIELDS_BASE, verify=False)

    assert bundle["applications"]["nbi"][field] == {**kept, deleted: ""}
    assert warnings == [
        string_map_warning("overlay0.yaml:4:7", f"applications.nbi.{field}.{deleted}", field)
    ]


@pytest.mark.parametrize("field", STRING_MAPS)
def test_a_null_string_entry_of_an_application_added_as_written_is_an_empty_string(
    write: Write, field: str
):
    deleted = MAP_FIELDS[field][0]
    overlay = f"applications:\n  extra:\n    charm: osm-ro\n    {field}: {{{deleted}: ~}}\n"

    bundle, warnings = merged_and_warnings(write, overlay, verify=False)

    assert bundle["applications"]["extra"][field] == {deleted: ""}
    assert warnings == [
        string_map_warning(
            f"overlay0.yaml:4:{len(field) + 8}", f"applications.extra.{field}.{deleted}", field
        )
    ]


def test_a_null_option_in_the_base_or_a_new_application_stays_null_as_in_juju(write: Write):
    # applyOverlay adds a new application's decoded spec as it is (overlay.go:548-552) and
    # the base is never merged: an interface{} option decoded from null stays nil.
    base = BASE.replace("      log-level: INFO\n", "      log-level: INFO\n      debug: null\n")
    overlay = "applications:\n  extra:\n    charm: osm-ro\n    options: {log-level: ~}\n"

    bundle, warnings = merged_and_warnings(write, overlay, base=base)

    assert bundle["applications"]["nbi"]["options"] == {"debug": None, "log-level": "INFO"}
    assert bundle["applications"]["extra"]["options"] == {"log-level": None}
    assert warnings == []


def test_a_null_resource_of_an_application_added_as_written_fails_verification(write: Write):
    overlay = "applications:\n  extra:\n    charm: osm-ro\n    resources: {ro-image: ~}\n"

    assert errors(write, overlay) == [
        'overlay0.yaml:4:17: error: resource revision "extra" is not int or string'
    ]


def test_a_null_offer_of_an_application_added_as_written_is_refused(write: Write):
    # bundledata.go:707-712 (v13) ranges over oSpec.Endpoints: a nil offer panics in Juju.
    overlay = "applications:\n  extra:\n    charm: osm-ro\n    offers: {api: ~}\n"

    assert errors(write, overlay, verify=False) == [
        'overlay0.yaml:4:14: error: offer "api" of application "extra" is null: Juju 3 crashes '
        "verifying it (a nil offer); only an overlay merging into an existing application "
        "deletes an offer with null"
    ]


def test_an_offer_entry_replaces_the_whole_offer(write: Write):
    # mergeStructs sets the overlay's *OfferSpec for the key: no field of the old one stays.
    first = """
    applications:
      nbi:
        offers:
          api: {endpoints: [nbi, metrics], acl: {admin: admin}}
          keep: {endpoints: [nbi]}
    """
    second = "applications:\n  nbi:\n    offers:\n      api: {endpoints: [nbi]}\n"

    offers = merged(write, first, second)["applications"]["nbi"]["offers"]

    assert offers == {"api": {"endpoints": ["nbi"]}, "keep": {"endpoints": ["nbi"]}}


def test_an_empty_offer_replaces_the_offer_and_is_not_a_deletion(write: Write):
    first = "applications:\n  nbi:\n    offers:\n      api: {endpoints: [nbi]}\n"
    second = "applications:\n  nbi:\n    offers:\n      api: {}\n"

    assert merged(write, first, second)["applications"]["nbi"]["offers"] == {"api": {}}


def test_an_exposed_endpoint_entry_replaces_the_whole_entry(write: Write):
    first = """
    applications:
      nbi:
        exposed-endpoints:
          nbi: {expose-to-spaces: [public], expose-to-cidrs: [10.0.0.0/8]}
          metrics: {expose-to-spaces: [internal]}
    """
    second = """
    applications:
      nbi:
        exposed-endpoints:
          nbi: {expose-to-cidrs: [192.168.0.0/16]}
    """

    endpoints = merged(write, first, second)["applications"]["nbi"]["exposed-endpoints"]

    assert endpoints == {
        "metrics": {"expose-to-spaces": ["internal"]},
        "nbi": {"expose-to-cidrs": ["192.168.0.0/16"]},
    }


def test_an_empty_exposed_endpoint_is_deleted_like_null_with_a_warning(write: Write):
    # ExposedEndpointSpec is a struct value: {} (or only null fields) is its zero value, which
    # mergeStructs deletes like null (overlay.go:681).
    first = """
    applications:
      nbi:
        exposed-endpoints:
          nbi: {expose-to-spaces: [public]}
          metrics: {expose-to-spaces: [internal]}
          admin: {expose-to-cidrs: [10.0.0.0/8]}
    """
    second = """
    applications:
      nbi:
        exposed-endpoints:
          nbi: {}
          metrics: {expose-to-spaces: ~}
          admin: {expose-to-cidrs: []}
    """

    bundle, warnings = merged_and_warnings(write, first, second)

    assert bundle["applications"]["nbi"]["exposed-endpoints"] == {"admin": {"expose-to-cidrs": []}}
    assert warnings == [
        'overlay1.yaml:4:7: warning: exposed endpoint "nbi" written {} is deleted by Juju, as if '
        "null (an empty exposed endpoint is the zero value)",
        'overlay1.yaml:5:7: warning: exposed endpoint "metrics" written {} is deleted by Juju, '
        "as if null (an empty exposed endpoint is the zero value)",
    ]


def test_a_null_exposed_endpoint_of_an_application_added_as_written_is_empty(write: Write):
    overlay = "applications:\n  extra:\n    charm: osm-ro\n    exposed-endpoints: {ro: ~}\n"

    assert merged(write, overlay)["applications"]["extra"]["exposed-endpoints"] == {"ro": {}}


def test_null_storage_entry_gives_the_storage_error_juju_gives(write: Write):
    overlay = "applications:\n  mongodb:\n    storage:\n      db: null\n      logs: 1G\n"

    assert errors(write, overlay) == [
        'overlay0.yaml:4:7: error: invalid storage "db" in application "mongodb": storage '
        "constraints require at least one field to be specified"
    ]


def test_null_storage_map_drops_every_entry(write: Write):
    overlay = "applications:\n  mongodb:\n    storage: null\n"

    assert "storage" not in merged(write, overlay)["applications"]["mongodb"]


def test_null_machine_annotation_and_offer_acl_are_empty_strings(write: Write):
    base = """
    applications:
      app: {charm: ubuntu, num_units: 1, to: ["0"]}
    machines:
      "0": {annotations: {rack: ~}}
    """
    overlay = "applications:\n  app:\n    offers:\n      o: {endpoints: [db], acl: {bob: ~}}\n"

    bundle, warnings = merged_and_warnings(write, overlay, base=base)

    assert bundle["machines"] == {"0": {"annotations": {"rack": ""}}}
    assert bundle["applications"]["app"]["offers"] == {
        "o": {"endpoints": ["db"], "acl": {"bob": ""}}
    }
    assert warnings == [
        string_map_warning("bundle.yaml:4:23", "machines.0.annotations.rack", "annotations"),
        string_map_warning("overlay0.yaml:4:34", "applications.app.offers.o.acl.bob", "acl"),
    ]
