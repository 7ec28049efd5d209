"""Relation resolution as Juju does it: named endpoints verified, omitted ones inferred."""

from __future__ import annotations

from distro_builder.check import parse_charm_metadata
from distro_builder.check._relations import JUJU_INFO, Side, resolve

NBI = parse_charm_metadata(
    {
        "name": "osm-nbi",
        "provides": {"nbi": {"interface": "nbi"}},
        "requires": {
            "mongodb": {"interface": "mongodb_client", "limit": 1},
            "kafka": {"interface": "kafka_client"},
        },
        "peers": {"cluster": {"interface": "nbi_peers"}},
    },
    "nbi",
)
MONGODB = parse_charm_metadata(
    {"name": "mongodb-k8s", "provides": {"database": {"interface": "mongodb_client"}}}, "m"
)
NG_UI = parse_charm_metadata(
    {"name": "osm-ng-ui", "requires": {"nbi": {"interface": "nbi"}}}, "ui"
)
MYSQL = parse_charm_metadata(
    {
        "name": "mysql-k8s",
        "provides": {"mysql": {"interface": "mysql"}, "mysql-root": {"interface": "mysql"}},
    },
    "my",
)
KEYSTONE = parse_charm_metadata(
    {"name": "osm-keystone", "requires": {"db": {"interface": "mysql"}}}, "k"
)
SUBORDINATE = parse_charm_metadata(
    {"name": "agent", "requires": {"juju-info": {"interface": "juju-info"}}}, "a"
)


def side(application: str, meta, endpoint: str = "") -> Side:
    return Side(application, meta.name, meta, endpoint)


def ends(resolution) -> list[str]:
    assert resolution.ends is not None, resolution.problems
    return sorted(map(str, resolution.ends))


def test_both_endpoints_named_and_fitting():
    resolution = resolve(side("nbi", NBI, "mongodb"), side("mongodb", MONGODB, "database"))

    assert ends(resolution) == ["mongodb:database", "nbi:mongodb"]
    assert resolution.ends is not None
    assert {end.endpoint.interface for end in resolution.ends} == {"mongodb_client"}


def test_omitted_endpoints_are_inferred():
    assert ends(resolve(side("nbi", NBI), side("mongodb", MONGODB))) == [
        "mongodb:database",
        "nbi:mongodb",
    ]
    assert ends(resolve(side("ng-ui", NG_UI), side("nbi", NBI, "nbi"))) == ["nbi:nbi", "ng-ui:nbi"]


def test_no_candidate_is_an_error():
    resolution = resolve(side("ng-ui", NG_UI), side("mongodb", MONGODB))

    assert resolution.problems == (
        "cannot infer endpoint between ng-ui and mongodb: no relations found",
    )


def test_ambiguity_lists_the_candidates():
    resolution = resolve(side("keystone", KEYSTONE, "db"), side("mysql", MYSQL))

    assert resolution.problems == (
        "cannot infer endpoint between keystone:db and mysql: ambiguous relation: keystone:db"
        ' mysql could refer to "keystone:db mysql:mysql"; "keystone:db mysql:mysql-root"',
    )


def test_the_implicit_juju_info_endpoint_is_used_only_when_nothing_else_fits():
    assert ends(resolve(side("agent", SUBORDINATE), side("nbi", NBI))) == [
        "agent:juju-info",
        "nbi:juju-info",
    ]
    assert JUJU_INFO.role == "provides"


def test_an_undefined_endpoint_is_named_with_a_suggestion():
    resolution = resolve(side("nbi", NBI, "mongo"), side("mongodb", MONGODB, "database"))

    assert resolution.problems == (
        'charm "osm-nbi" used by application "nbi" does not define relation "mongo"'
        ' (did you mean "mongodb"?)',
    )


def test_a_peer_endpoint_cannot_relate_two_applications():
    resolution = resolve(side("nbi", NBI, "cluster"), side("ng-ui", NG_UI, "nbi"))

    assert resolution.problems == (
        'endpoint "nbi:cluster" is a peer relation of charm "osm-nbi": it relates the units'
        " of one application and cannot be related to another application",
    )


def test_provider_to_provider_and_requirer_to_requirer():
    assert resolve(side("a", NBI, "nbi"), side("b", NBI, "nbi")).problems == (
        'relation "a:nbi" to "b:nbi" relates provider to provider',
    )
    assert resolve(side("ng-ui", NG_UI, "nbi"), side("nbi", NBI, "kafka")).problems == (
        'relation "ng-ui:nbi" to "nbi:kafka" relates requirer to requirer',
    )


def test_mismatched_interfaces_name_both_sides():
    resolution = resolve(side("mongodb", MONGODB, "database"), side("ng-ui", NG_UI, "nbi"))

    assert resolution.problems == (
        'mismatched interface between "mongodb:database" and "ng-ui:nbi"'
        ' ("mongodb_client" vs "nbi")',
    )


KAFKA_K8S = parse_charm_metadata(
    {"name": "kafka-k8s", "provides": {"kafka-client": {"interface": "kafka_client"}}}, "k"
)


def test_an_undefined_endpoint_suggests_the_one_that_fits_the_other_side():
    resolution = resolve(side("nbi", NBI, "kafka"), side("kafka", KAFKA_K8S, "kafka"))

    assert resolution.problems == (
        'charm "kafka-k8s" used by application "kafka" does not define relation "kafka"'
        ' (did you mean "kafka-client"?)',
    )
