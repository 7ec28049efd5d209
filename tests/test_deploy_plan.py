"""`deploy --dry-run`: what deploying would change; `status`: how the model differs."""

from __future__ import annotations

import asyncio

from deploy_helpers import (
    APPS,
    FakeModel,
    all_active,
    app_json,
    connector_for,
    full_status_json,
    relation_json,
    write_dist,
)

from distro_builder.deploy import _api as api
from distro_builder.deploy._adapter import Target
from distro_builder.deploy._dist import read_distribution
from distro_builder.deploy._plan import OptionState, render
from distro_builder.deploy._secrets import SecretState
from distro_builder.deploy._wait import WaitOptions

TARGET = Target("microk8s", "ci-osm")


def dry_run(dist_path, model: FakeModel, *, exists: bool = True):
    dist = read_distribution(dist_path)
    return asyncio.run(api.dry_run(dist, TARGET, connector=connector_for(model, exists=exists)))


def test_a_missing_model_is_created_and_gets_everything(tmp_path):
    plan = dry_run(
        write_dist(tmp_path / "ci-osm", apps=["nbi", "ng-ui"]), FakeModel(), exists=False
    )
    assert plan.model == "microk8s:ci-osm"
    assert not plan.model_exists
    assert render(plan.changes) == [
        "create model microk8s:ci-osm",
        "add application nbi: (unset) -> ./charms/osm-nbi_amd64.charm",
        "add application ng-ui: (unset) -> ./charms/osm-ng-ui_amd64.charm",
        "add relation ng-ui:nbi - nbi:nbi",
        "create secret ci-osm-commonkey",
        "grant secret ci-osm-commonkey: (unset) -> nbi",
        "option nbi database-commonkey: (unset) -> secret ci-osm-commonkey",
    ]


def test_an_up_to_date_model_needs_nothing(tmp_path):
    model = FakeModel(statuses=[all_active()])
    for app in APPS:
        model.configs[app] = {"log-level": OptionState("string", "INFO")}
    for app in ("nbi", "ro", "lcm", "mon"):
        model.configs[app]["database-commonkey"] = OptionState("secret", "secret:k1")
    model.secrets["ci-osm-commonkey"] = SecretState(
        "ci-osm-commonkey", "secret:k1", ("nbi", "ro", "lcm", "mon")
    )
    plan = dry_run(write_dist(tmp_path / "ci-osm"), model)
    assert plan.model_exists
    assert plan.changes == ()
    assert not plan.deploys_bundle


def test_charm_scale_options_and_relations_that_differ(tmp_path):
    path = write_dist(
        tmp_path / "ci-osm",
        apps=["mongodb", "nbi", "ng-ui"],
        options={"nbi": {"log-level": "DEBUG"}, "ng-ui": {"branding-product-name": "CI"}},
    )
    status = full_status_json(
        {
            "mongodb": app_json(
                "mongodb", charm="ch:amd64/noble/mongodb-k8s-61", channel="6/edge"
            ),
            "nbi": app_json("nbi", units=[("active", "idle", "")] * 3),
            "ng-ui": app_json("ng-ui"),
        },
        [relation_json(0, "nbi:mongodb", "mongodb:database", "mongodb_client")],
    )
    model = FakeModel(statuses=[status])
    model.configs = {
        "mongodb": {},
        "nbi": {"log-level": OptionState("string", "INFO")},
        "ng-ui": {"branding-product-name": OptionState("string", "CI")},
    }
    plan = dry_run(path, model)
    assert render(plan.differences) == [
        "charm mongodb: ch:amd64/noble/mongodb-k8s-61 (6/edge)"
        " -> ./charms/osm-mongodb_amd64.charm",
        "scale nbi: 3 -> 1",
        "option nbi log-level: INFO -> DEBUG",
        "add relation ng-ui:nbi - nbi:nbi",
        "option nbi database-commonkey: (unset) -> secret ci-osm-commonkey",
    ]
    assert plan.deploys_bundle
    assert plan.applications_to_add == []
    # Dry run: nothing was changed.
    assert [call for call in model.calls if call != "full_status"] == []
    assert model.secrets == {}


def test_values_of_secret_options_are_masked(tmp_path):
    path = write_dist(
        tmp_path / "ci-osm", apps=["nbi"], options={"nbi": {"admin-password": "secret:x"}}
    )
    model = FakeModel(statuses=[full_status_json({"nbi": app_json("nbi")})])
    model.configs = {"nbi": {"admin-password": OptionState("string", "hunter2")}}
    lines = render(dry_run(path, model).differences)
    assert lines[0] == "option nbi admin-password: *** -> secret:x"
    assert "hunter2" not in repr(lines)


def test_status_lists_the_table_and_the_differences(tmp_path):
    path = write_dist(tmp_path / "ci-osm", apps=["nbi", "ng-ui"])
    model = FakeModel(
        statuses=[
            full_status_json({"nbi": app_json("nbi", "blocked", "need kafka, mongodb relations")})
        ]
    )
    model.configs = {"nbi": {}}
    result = asyncio.run(
        api.status(read_distribution(path), TARGET, connector=connector_for(model))
    )
    assert [(row.name, row.status, row.message) for row in result.progress.rows] == [
        ("nbi", "blocked", "need kafka, mongodb relations"),
        ("ng-ui", "missing", "not in the model"),
    ]
    assert render(result.differences) == [
        "add application ng-ui: (unset) -> ./charms/osm-ng-ui_amd64.charm",
        "add relation ng-ui:nbi - nbi:nbi",
        "option nbi database-commonkey: (unset) -> secret ci-osm-commonkey",
    ]
    assert model.disconnected


def test_deploy_brings_existing_applications_to_the_distribution(tmp_path):
    path = write_dist(
        tmp_path / "ci-osm",
        apps=["mongodb", "nbi", "ng-ui"],
        options={"nbi": {"log-level": "DEBUG"}, "ng-ui": {"max-body-size": 100}},
    )
    status = full_status_json(
        {
            "mongodb": app_json(
                "mongodb", charm="ch:amd64/noble/mongodb-k8s-61", channel="6/edge"
            ),
            "nbi": app_json("nbi", units=[("active", "idle", "")] * 3),
            "ng-ui": app_json("ng-ui"),
        },
        [
            relation_json(0, "nbi:mongodb", "mongodb:database", "mongodb_client"),
            relation_json(1, "ng-ui:nbi", "nbi:nbi", "nbi"),
        ],
    )
    model = FakeModel(statuses=[status])
    model.configs = {
        "mongodb": {},
        "nbi": {"log-level": OptionState("string", "INFO")},
        "ng-ui": {"max-body-size": OptionState("int", 50)},
    }
    options = api.DeployOptions(TARGET, WaitOptions(timeout=0, settle=0))
    asyncio.run(api.deploy(read_distribution(path), options, connector=connector_for(model)))
    assert [call for call in model.calls if not call.startswith(("full_status", "grant"))] == [
        "create_secret ci-osm-commonkey",
        "refresh mongodb osm-mongodb_amd64.charm",
        "scale nbi 1",
        "set_config nbi log-level=DEBUG",
        "set_config ng-ui max-body-size=100",
        "set_config nbi database-commonkey",
    ]
