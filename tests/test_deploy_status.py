"""Model snapshots parsed from python-libjuju's own FullStatus objects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deploy_helpers import app_json, full_status_json
from juju.client._definitions import FullStatus

from distro_builder.deploy._status import charm_name_of, parse_full_status

FIXTURE = Path(__file__).parent / "fixtures" / "fullstatus_ci_osm.json"


@pytest.fixture
def snapshot():
    return parse_full_status(FullStatus.from_json(json.loads(FIXTURE.read_text())))


def test_applications_units_and_messages_are_read(snapshot):
    assert snapshot.name == "ci-osm"
    assert list(snapshot.applications) == ["kafka", "mon", "mongodb", "nbi", "ng-ui", "pol"]
    mongodb = snapshot.applications["mongodb"]
    assert (mongodb.status, mongodb.message, mongodb.charm) == (
        "active",
        "primary",
        "local:osm-mongodb-0",
    )
    assert mongodb.units[0].name == "mongodb/0"
    assert mongodb.units[0].leader
    assert mongodb.units[0].address.startswith("10.1.")
    nbi = snapshot.applications["nbi"].units[0]
    assert (nbi.workload, nbi.agent, nbi.message) == (
        "waiting",
        "executing",
        "waiting for kafka, mongodb data",
    )


def test_ready_needs_active_workloads_idle_agents_and_every_unit(snapshot):
    apps = snapshot.applications
    assert apps["mongodb"].ready and apps["kafka"].ready
    assert not apps["nbi"].ready
    mon = apps["mon"]
    assert (mon.scale, mon.ready_units, mon.total_units, mon.ready) == (2, 1, 2, False)
    assert not apps["ng-ui"].ready and not apps["ng-ui"].failed


def test_a_failed_hook_is_an_error(snapshot):
    pol = snapshot.applications["pol"]
    assert pol.failed
    assert pol.units[0].failed
    assert pol.units[0].message == 'hook failed: "install"'
    assert not snapshot.applications["nbi"].failed


def test_relations_match_bundle_sides_with_or_without_endpoints(snapshot):
    assert snapshot.has_relation("nbi:mongodb", "mongodb")
    assert snapshot.has_relation("mongodb", "nbi:mongodb")
    assert snapshot.has_relation("nbi:kafka", "kafka:kafka")
    assert not snapshot.has_relation("nbi:kafka", "kafka:other")
    assert not snapshot.has_relation("ng-ui:nbi", "nbi:nbi")
    # The peer relation (one endpoint) is no relation between two applications.
    assert not snapshot.has_relation("mongodb:database-peers", "mongodb")


def test_units_are_in_numeric_order():
    units = [("active", "idle", "")] * 11
    status = FullStatus.from_json(full_status_json({"nbi": app_json("nbi", units=units)}))
    names = [unit.name for unit in parse_full_status(status).applications["nbi"].units]
    assert names[:3] == ["nbi/0", "nbi/1", "nbi/2"]
    assert names[-1] == "nbi/10"


def test_an_application_without_units_is_not_ready():
    status = FullStatus.from_json(full_status_json({"nbi": app_json("nbi", units=[], scale=1)}))
    app = parse_full_status(status).applications["nbi"]
    assert (app.total_units, app.ready_units, app.ready) == (1, 0, False)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("local:osm-nbi-3", "osm-nbi"),
        ("ch:amd64/noble/osm-ng-ui-12", "osm-ng-ui"),
        ("ch:amd64/mongodb-k8s-61", "mongodb-k8s"),
        ("osm-nbi", "osm-nbi"),
    ],
)
def test_charm_names_from_model_urls(url, name):
    assert charm_name_of(url) == name
