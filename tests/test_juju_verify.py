"""Juju's structural verification: each check with Juju's message."""

from pathlib import Path
from typing import Any

import pytest
from helpers import Write

from distro_builder.compose import merge_files
from distro_builder.core import InputError, Origin
from distro_builder.juju import verify_bundle

K8S_APP = {"charm": "osm-nbi", "scale": 1}


def messages(bundle: dict[str, Any], **options: Any) -> list[str]:
    return [d.message for d in verify_bundle(bundle, lambda path: None, **options)]


def k8s(applications: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"bundle": "kubernetes", "applications": applications, **top}


def test_a_valid_bundle_has_no_findings():
    bundle = k8s(
        {
            "nbi": K8S_APP,
            "mongodb": {"charm": "ch:osm-mongodb", "channel": "6/edge", "revision": 3},
        },
        relations=[["nbi:mongodb", "mongodb:database"]],
    )
    assert messages(bundle) == []


@pytest.mark.parametrize(
    ("bundle", "expected"),
    [
        ({"bundle": "foo", "applications": {"a": K8S_APP}}, 'bundle has an invalid type "foo"'),
        (
            k8s({"a": K8S_APP}, machines={"0": {}}),
            "bundle machines not valid for Kubernetes bundles",
        ),
        (k8s({"a": K8S_APP}, series="bogus"), 'bundle declares an invalid series "bogus"'),
        (
            k8s({"a": K8S_APP}, **{"default-base": "ubuntu"}),
            'bundle declares an invalid base "ubuntu"',
        ),
        (k8s({}), "at least one application must be specified"),
        (k8s({"a": {"scale": 1}}), "empty charm path"),
        (
            k8s({"a": {"charm": "Bad_Name"}}),
            'invalid charm URL in application "a": cannot parse URL "Bad_Name": name "Bad_Name" '
            "not valid",
        ),
        (
            k8s({"a": {"charm": "cs:mysql"}}),
            'invalid charm URL in application "a": charm or bundle URL "cs:mysql" has '
            "unrecognized schema",
        ),
        (
            k8s({"a": {"charm": "ch:mysql-9"}}),
            'cannot specify revision in "ch:mysql-9", please use revision',
        ),
        (
            k8s({"a": {"charm": "mysql", "revision": 9}}),
            'application "a" with a revision requires a channel for future upgrades, please use '
            "channel",
        ),
        (
            k8s({"a": {"charm": "mysql", "channel": "8.0", "revision": -1}}),
            'the revision for application "a" must be zero or greater',
        ),
        (
            k8s({"a": {"charm": "x", "series": "nope"}}),
            'application "a" declares an invalid series "nope"',
        ),
        (
            k8s({"a": {"charm": "x", "base": "ubuntu"}}),
            'application "a" declares an invalid base "ubuntu"',
        ),
        (
            k8s({"a": {"charm": "x", "constraints": "mem"}}),
            'invalid constraints "mem" in application "a": malformed constraint "mem"',
        ),
        (
            k8s({"a": {"charm": "x", "constraints": "colour=red"}}),
            'invalid constraints "colour=red" in application "a": unknown constraint "colour"',
        ),
        (
            k8s({"a": {"charm": "x", "constraints": "mem=lots"}}),
            'invalid constraints "mem=lots" in application "a": bad "mem" constraint: must be a '
            "non-negative float with optional M/G/T/P suffix",
        ),
        (
            k8s({"a": {"charm": "x", "storage": {"Data": "1G"}}}),
            'invalid storage name "Data" in application "a"',
        ),
        (
            k8s({"a": {"charm": "x", "storage": {"data": "1G,big!"}}}),
            'invalid storage "data" in application "a": unrecognized storage constraint "big!"',
        ),
        (
            k8s({"a": {"charm": "x", "devices": {"gpu": ""}}}),
            'invalid device "gpu" in application "a": empty constraints',
        ),
        (
            k8s({"a": {"charm": "x", "resources": {"img": 1.5}}}),
            'resource revision "a" is not int or string',
        ),
        (
            k8s({"a": {"charm": "x", "scale": -1}}),
            'negative number of units specified on application "a"',
        ),
        (
            k8s({"a": {"charm": "x", "to": ["a=b", "c=d"]}}),
            'too many placement directives for application "a"',
        ),
        (
            k8s({"a": {"charm": "x", "to": ["zone"]}}),
            'expected "key=value", got "zone" for application "a"',
        ),
        (
            k8s({"a": {"charm": "x", "offers": {"Bad": {"endpoints": ["db"]}}}}),
            'invalid offer name "Bad" in application "a"',
        ),
        (
            k8s(
                {
                    "a": {
                        "charm": "x",
                        "expose": True,
                        "exposed-endpoints": {"": {"expose-to-cidrs": ["10.0.0.0/8"]}},
                    }
                }
            ),
            'exposed-endpoints cannot be specified together with "exposed:true" in application '
            '"a" as this poses a security risk when deploying bundles to older controllers',
        ),
        (
            k8s(
                {
                    "a": {
                        "charm": "x",
                        "exposed-endpoints": {"api": {"expose-to-cidrs": ["10.0.0/33"]}},
                    }
                }
            ),
            'invalid CIDR "10.0.0/33" for expose to CIDRs field for endpoint "api" in '
            'application "a"',
        ),
        (
            k8s({"a": K8S_APP}, saas={"db": {"url": "not a url"}}),
            'invalid offer URL "not a url" for SAAS db',
        ),
        (k8s({"a": K8S_APP}, relations=[["a:x"]]), 'relation ["a:x"] has 1 endpoint(s), not 2'),
        (
            k8s({"a": K8S_APP, "b": K8S_APP}, relations=[["a/0", "b"]]),
            'invalid relation syntax "a/0"',
        ),
        (
            k8s({"a": K8S_APP}, relations=[["a:x", "b:y"]]),
            'relation ["a:x" "b:y"] refers to application "b" not defined in this bundle',
        ),
        (
            k8s({"a": K8S_APP}, relations=[["a:x", "a:y"]]),
            'relation ["a:x" "a:y"] relates an application to itself',
        ),
    ],
)
def test_structural_checks(bundle: dict[str, Any], expected: str):
    assert messages(bundle) == [expected]


def test_application_and_saas_of_the_same_name():
    assert messages(k8s({"a": K8S_APP}, saas={"a": {"url": "m.a"}})) == [
        'application "a" already exists with SAAS "a" name',
        'SAAS "a" already exists with application "a" name',
    ]


def test_duplicate_relations_whichever_way_round():
    bundle = k8s({"a": K8S_APP, "b": K8S_APP}, relations=[["a:x", "b:y"], ["b:y", "a:x"]])
    assert messages(bundle) == ['relation ["b:y" "a:x"] is defined more than once']


def test_ambiguous_application_and_saas():
    bundle = k8s({"a": K8S_APP, "b": K8S_APP}, saas={"b": {}}, relations=[["a:x", "b:y"]])
    assert 'ambiguous relation "b" refers to a application and a SAAS in this bundle' in messages(
        bundle
    )


def test_iaas_placements():
    bundle = {
        "applications": {
            "db": {"charm": "mysql", "num_units": 1, "to": ["lxd:0", "new"]},
            "web": {"charm": "wordpress", "num_units": 2, "to": ["db/3", "ghost/0"]},
            "bad": {"charm": "x", "num_units": 1, "to": ["kvm:0/1"]},
        },
        "machines": {"0": {}, "1": {}, "x": {"constraints": "cores=many"}},
    }
    assert messages(bundle) == [
        'invalid machine id "x" found in machines',
        'invalid constraints "cores=many" in machine "x": bad "cores" constraint: must be a '
        "non-negative integer",
        'too many units specified in unit placement for application "db"',
        'placement "db/3" specifies a unit greater than the 1 unit(s) started by the target '
        "application",
        'placement "ghost/0" refers to an application not defined in this bundle',
        'invalid placement syntax "kvm:0/1"',
        'machine "1" is not referred to by a placement directive',
        'machine "x" is not referred to by a placement directive',
    ]


def test_image_id_constraint_only_in_overlays(
    write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    write("base.yaml", "applications:\n  a: {charm: ubuntu, constraints: image-id=ami-1}\n")
    with pytest.raises(InputError) as raised:
        merge_files(Path("base.yaml"), [])
    assert [d.format() for d in raised.value.diagnostics] == [
        'base.yaml:2:22: error: invalid constraints "image-id=ami-1" in application "a": '
        "'image-id' constraint in a base bundle not supported"
    ]
    write("base.yaml", "applications:\n  a: {charm: ubuntu}\n")
    write("o.yaml", "applications:\n  a: {constraints: image-id=ami-1}\n")
    composition, _ = merge_files(Path("base.yaml"), [Path("o.yaml")])
    assert composition.bundle["applications"]["a"]["constraints"] == "image-id=ami-1"


def test_local_charm_paths_must_exist(tmp_path: Path):
    (tmp_path / "here.charm").write_text("zip")
    bundle = k8s({"a": {"charm": "./here.charm"}, "b": {"charm": "./gone.charm"}})
    assert messages(bundle, bundle_dir=tmp_path) == [
        f'charm path in application "b" does not exist: {tmp_path / "gone.charm"}'
    ]


def test_findings_are_placed_at_the_origin_of_their_value():
    origins = {("relations", 0): Origin("o.yaml", 9, 5)}
    bundle = k8s({"a": K8S_APP}, relations=[["a:x", "a:y"]])
    (diagnostic,) = verify_bundle(bundle, lambda path: origins.get(path))
    assert (
        diagnostic.format()
        == 'o.yaml:9:5: error: relation ["a:x" "a:y"] relates an application to itself'
    )
