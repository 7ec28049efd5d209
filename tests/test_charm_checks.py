"""Charm-aware checks over a composed bundle, each finding at the path of the value at fault.

The provenance here is a stand-in that names the bundle path itself, so every diagnostic shows
which value it was attached to; tests/test_charm_checks_overlays.py checks real file:line:col.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from distro_builder.check import CATALOG_DIR, CharmIndex, check_charms
from distro_builder.core import Origin

SECRET_URI = "secret:csb5gt7mp25c77a3bo6g"


class PathOrigins:
    """Provenance that names the path it is asked about."""

    def origin(self, path: tuple[str | int, ...]) -> Origin:
        return Origin("/".join(map(str, path)), 1, 1)


CHARMS = {
    "osm-db": {
        "provides": {"database": {"interface": "mongodb_client"}},
        "storage": {"data": {"type": "filesystem"}},
    },
    "osm-api": {
        "provides": {"api": {"interface": "api"}},
        "requires": {
            "mongodb": {"interface": "mongodb_client", "limit": 1, "optional": False},
            "keystone": {"interface": "keystone", "optional": True},
        },
        "peers": {"cluster": {"interface": "api_peers"}},
        "containers": {"api": {"resource": "api-image"}},
        "resources": {"api-image": {"type": "oci-image"}, "blob": {"type": "file"}},
        "config": {
            "options": {
                "log-level": {"type": "string", "default": "INFO"},
                "workers": {"type": "int", "default": 2},
                "commonkey": {"type": "secret"},
                "admin-password": {"type": "string", "default": ""},
                "mysql-uri": {"type": "string", "default": ""},
            }
        },
    },
    "osm-ui": {"requires": {"api": {"interface": "api", "limit": 1, "optional": False}}},
    "osm-tsdb": {"provides": {"metrics": {"interface": "prometheus"}}},
    "osm-agent": {"subordinate": True, "requires": {"host": {"interface": "juju-info"}}},
}
RULES = {
    "osm-api": {"options": {"log-level": {"one-of": ["INFO", "DEBUG"]}, "workers": {"min": 1}}},
    "osm-tsdb": {"single-unit": True},
}
EXTERNAL = {
    "name": "mongodb-k8s",
    "channel": "6/edge",
    "provides": {"database": {"interface": "mongodb_client"}},
    "requires": {"certificates": {"interface": "tls-certificates", "limit": 1}},
}
BUNDLE = {
    "bundle": "kubernetes",
    "applications": {
        "db": {"charm": "osm-db", "scale": 1, "storage": {"data": "10G"}},
        "api": {
            "charm": "osm-api",
            "scale": 3,
            "options": {"log-level": "DEBUG", "workers": "4", "commonkey": SECRET_URI},
            "resources": {"api-image": "registry.example/osm/api:16", "blob": "./blob.tgz"},
        },
        "ui": {"charm": "ch:osm-ui"},
        "tsdb": {"charm": "osm-tsdb", "scale": 1},
    },
    "relations": [["api:mongodb", "db:database"], ["ui", "api"]],
}


@pytest.fixture
def index(tmp_path: Path) -> CharmIndex:
    for name, metadata in CHARMS.items():
        directory = tmp_path / "charms" / name
        directory.mkdir(parents=True)
        (directory / "charmcraft.yaml").write_text(yaml.safe_dump({"name": name, **metadata}))
    (tmp_path / CATALOG_DIR).mkdir()
    (tmp_path / CATALOG_DIR / "mongodb-k8s.yaml").write_text(yaml.safe_dump(EXTERNAL))
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(RULES))
    return CharmIndex(tmp_path, rules_file=tmp_path / "rules.yaml")


def findings(index: CharmIndex, bundle: dict, *, allow_unknown_charms: bool = False) -> list[str]:
    report = check_charms(bundle, PathOrigins(), index, allow_unknown_charms=allow_unknown_charms)
    return [diagnostic.format() for diagnostic in report.diagnostics]


def changed(**applications: dict) -> dict:
    bundle = copy.deepcopy(BUNDLE)
    for name, fields in applications.items():
        bundle["applications"].setdefault(name, {}).update(fields)
    return bundle


def test_a_fitting_bundle_is_clean_and_relations_get_their_interfaces(index):
    report = check_charms(BUNDLE, PathOrigins(), index)

    assert report.diagnostics == []
    assert report.facts.interfaces == {0: "mongodb_client", 1: "api"}
    assert report.facts.external == frozenset()


def test_an_unknown_option_suggests_the_closest_one(index):
    bundle = changed(api={"options": {"log_level": "DEBUG"}})

    assert findings(index, bundle) == [
        "applications/api/options/log_level:1:1: error: cannot validate application"
        ' "api": configuration option "log_level" not found in charm "osm-api"'
        ' (did you mean "log-level"?)'
    ]


def test_a_value_of_the_wrong_type(index):
    bundle = changed(api={"options": {"workers": "four"}})

    assert findings(index, bundle) == [
        "applications/api/options/workers:1:1: error: cannot validate application"
        ' "api": option "workers" expected int, got "four"'
    ]


def test_a_secret_option_with_a_plain_value_is_refused_without_showing_it(index):
    bundle = changed(api={"options": {"commonkey": "hunter2"}})

    [message] = findings(index, bundle)
    assert message == (
        "applications/api/options/commonkey:1:1: error: cannot validate application"
        ' "api": option "commonkey" expected secret, got a value that is not a secret URI'
        " (not shown)"
    )


def test_a_value_the_charm_would_refuse(index):
    bundle = changed(api={"options": {"log-level": "LOUD", "workers": 0}})

    assert findings(index, bundle) == [
        "applications/api/options/log-level:1:1: error: cannot validate application"
        ' "api": option "log-level": must be one of INFO, DEBUG, got "LOUD"',
        "applications/api/options/workers:1:1: error: cannot validate application"
        ' "api": option "workers": must be at least 1, got 0',
    ]


def test_unknown_resource_and_storage_names(index):
    bundle = changed(api={"resources": {"api-imag": "osm/api:16"}}, db={"storage": {"dat": "10G"}})

    assert findings(index, bundle) == [
        "applications/api/resources/api-imag:1:1: error: cannot validate application"
        ' "api": resource "api-imag" not found in charm "osm-api" (did you mean "api-image"?)',
        "applications/db/storage/dat:1:1: error: cannot validate application"
        ' "db": storage "dat" not found in charm "osm-db" (did you mean "data"?)',
    ]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("registry.example/OSM/api:16", '"registry.example/OSM/api:16" is not a valid OCI image'),
        (-1, "a revision cannot be negative"),
        (["osm/api:16"], "must be a revision number, a file path or an image reference"),
    ],
)
def test_bad_resource_values(index, value, problem):
    bundle = changed(api={"resources": {"api-image": value}})

    [message] = findings(index, bundle)
    assert message.startswith(
        f'applications/api/resources/api-image:1:1: error: application "api" resource'
        f' "api-image": {problem}'
    )


def test_resource_revisions_and_local_files_are_accepted(index):
    bundle = changed(api={"resources": {"api-image": 12, "blob": "../files/blob.tgz"}})

    assert findings(index, bundle) == []


def test_a_single_unit_charm_scaled_up(index):
    bundle = changed(tsdb={"scale": 2})

    assert findings(index, bundle) == [
        'applications/tsdb/scale:1:1: error: application "tsdb" has 2 units but charm'
        ' "osm-tsdb" runs as a single unit'
    ]


def test_a_subordinate_relates_through_juju_info_and_takes_no_units(index):
    bundle = changed(agent={"charm": "osm-agent", "scale": 1})
    bundle["relations"].append(["agent", "api"])

    report = check_charms(bundle, PathOrigins(), index)

    assert [d.format() for d in report.diagnostics] == [
        'applications/agent/scale:1:1: error: application "agent" is subordinate but has'
        " non-zero scale"
    ]
    assert report.facts.interfaces[2] == "juju-info"


def test_relation_problems_are_reported_at_the_relation(index, tmp_path):
    bundle = copy.deepcopy(BUNDLE)
    bundle["relations"] += [["ui:api", "db"], ["api:cluster", "db:database"]]

    assert findings(index, bundle) == [
        "relations/2:1:1: error: cannot infer endpoint between ui:api and db: no relations found",
        f'{tmp_path}/charms/osm-ui/charmcraft.yaml: note: application "ui" (charm "ch:osm-ui")'
        " offers: api (requires, interface api)",
        f'{tmp_path}/charms/osm-db/charmcraft.yaml: note: application "db" (charm "osm-db")'
        " offers: database (provides, interface mongodb_client)",
        'relations/3:1:1: error: endpoint "api:cluster" is a peer relation of charm "osm-api":'
        " it relates the units of one application and cannot be related to another application",
    ]


def test_an_exceeded_limit(index):
    bundle = changed(db2={"charm": "osm-db"})
    bundle["relations"].append(["api", "db2"])

    assert findings(index, bundle) == [
        'relations/2:1:1: error: relation ["api" "db2"] exceeds the limit of endpoint'
        ' "api:mongodb": charm "osm-api" allows 1 relation (limit: 1)'
    ]


def test_a_duplicate_hidden_by_inference(index):
    bundle = copy.deepcopy(BUNDLE)
    bundle["relations"].append(["db", "api"])

    assert findings(index, bundle) == [
        'relations/2:1:1: error: relation ["db" "api"] is defined more than once'
    ]


def test_a_relation_that_fails_is_not_reported_again_as_an_unrelated_endpoint(index):
    bundle = copy.deepcopy(BUNDLE)
    bundle["relations"][0] = ["api:mongodb", "db:databse"]

    assert findings(index, bundle) == [
        'relations/0:1:1: error: charm "osm-db" used by application "db" does not define'
        ' relation "databse" (did you mean "database"?)'
    ]


def test_a_required_endpoint_left_unrelated(index):
    bundle = copy.deepcopy(BUNDLE)
    bundle["relations"] = [["api:mongodb", "db:database"]]

    assert findings(index, bundle) == [
        'applications/ui:1:1: error: application "ui" leaves required endpoint "api"'
        ' (interface api) of charm "ch:osm-ui" unrelated'
    ]


def test_a_charm_found_nowhere_is_an_error_or_a_warning(index):
    bundle = changed(extra={"charm": "thirdparty-k8s"})
    expected = (
        'applications/extra/charm:1:1: {}: application "extra" refers to non-existent charm'
        ' "thirdparty-k8s": it is neither in charms/ nor in the external catalog'
        " (charms/external/)"
    )

    note = (
        "note: to deploy a charm from elsewhere, describe it in the catalog: distro-builder"
        " catalog import FILE (its .charm, charmcraft.yaml or metadata.yaml); see"
        " charms/external/README.md"
    )

    assert findings(index, bundle) == [expected.format("error"), note]
    assert findings(index, bundle, allow_unknown_charms=True) == [
        expected.format("warning"),
        note,
    ]


def test_an_external_charm_from_the_catalog_swaps_in_cleanly(index):
    bundle = changed(db={"charm": "mongodb-k8s", "channel": "6/edge", "storage": {}})

    report = check_charms(bundle, PathOrigins(), index)

    assert report.diagnostics == []
    assert report.facts.external == frozenset({"db"})


def test_relations_to_an_offer_check_the_local_endpoint_only(index):
    bundle = copy.deepcopy(BUNDLE)
    bundle["saas"] = {"remote": {"url": "admin/other.keystone"}}
    bundle["relations"] += [["api:keystone", "remote"], ["api:keystne", "remote"]]

    assert findings(index, bundle) == [
        'relations/3:1:1: error: charm "osm-api" used by application "api" does not define'
        ' relation "keystne" (did you mean "keystone"?)'
    ]


def test_a_rule_function_that_cannot_load_is_reported_once_at_the_rules_file(tmp_path):
    (tmp_path / "charms/osm-api").mkdir(parents=True)
    (tmp_path / "charms/osm-api/charmcraft.yaml").write_text(
        yaml.safe_dump({"name": "osm-api", **CHARMS["osm-api"]})
    )
    (tmp_path / "checks.py").write_text("def other(value):\n    return value\n")
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        yaml.safe_dump({"osm-api": {"options": {"workers": {"python": "checks.py:f"}}}})
    )
    bundle = {
        "applications": {
            name: {"charm": "osm-api", "options": {"workers": 2}} for name in ("a", "b")
        }
    }

    report = check_charms(bundle, PathOrigins(), CharmIndex(tmp_path, rules_file=rules))

    assert [d.format() for d in report.diagnostics if d.origin is None] == [
        f"{rules}: error: osm-api.options.workers: checks.py has no function 'f'"
    ]


def test_broken_charm_metadata_is_reported_once_at_its_file(index, tmp_path):
    (tmp_path / "charms/osm-ui/charmcraft.yaml").write_text("name: osm-ui\nrequires: [api]\n")
    bundle = changed(ui2={"charm": "osm-ui"})

    assert findings(index, bundle) == [
        f"{tmp_path}/charms/osm-ui/charmcraft.yaml: error: requires must be a mapping"
    ]
