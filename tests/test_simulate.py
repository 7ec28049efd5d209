"""`simulate` end to end: the real charms, each in its own environment, played offline.

Every distribution shipped settles with every unit active; the shipped day-2 scenarios pass;
what a vendor would see when a relation is missing, a secret rotates or the data layer scales.
These run the charms for real (a child process per charm, its locked environment), so each
simulation runs once per module.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import REPO_ROOT
from typer.testing import CliRunner

from distro_builder import api
from distro_builder.cli import create_app
from distro_builder.simulate import (
    Engine,
    WorkerPool,
    check,
    deployment_from_bundle,
    read_scenario,
    run_step,
)

SCENARIOS = REPO_ROOT / "tests/scenarios"


def simulate(*overlays: str, scenario: str | None = None, **options: object) -> api.Simulation:
    return api.simulate(
        api.Project(REPO_ROOT),
        api.SimulateOptions(
            overlays=overlays,
            scenario=SCENARIOS / scenario if scenario else None,
            **options,  # type: ignore[arg-type]
        ),
    )


def statuses(played: api.Simulation) -> dict[str, tuple[str, str]]:
    return {
        unit.name: (unit.workload_status, unit.message)
        for app in played.applications
        for unit in app.units
    }


def environment_values(played: api.Simulation, suffix: str) -> dict[str, str]:
    """Each unit's planned environment variables ending in `suffix`, by unit/service/name."""
    return {
        f"{unit.name} {service} {name}": value
        for app in played.applications
        for unit in app.units
        for service, environment in unit.environment.items()
        for name, value in environment.items()
        if name.endswith(suffix)
    }


@pytest.fixture(scope="module")
def base() -> api.Simulation:
    return simulate(scenario="base.yaml")


@pytest.fixture(scope="module")
def ha() -> api.Simulation:
    return simulate("ha", scenario="ha.yaml")


def test_the_base_distribution_settles_and_its_scenario_passes(base: api.Simulation):
    assert base.loop is None
    assert base.diagnostics() == []
    assert base.failed_units == []
    assert base.settled
    assert [step.label for step in base.steps][:3] == [
        "deploy",
        "remove-relation nbi:mongodb mongodb",
        "add-relation nbi:mongodb mongodb",
    ]


def test_scaling_the_data_layer_reaches_every_client(base: api.Simulation):
    # The scenario ends with mongodb and kafka scaled from 1 to 3 units.
    uris = {k: v for k, v in environment_values(base, "_DATABASE_URI").items() if "mongodb" in v}
    assert {where.split()[0] for where in uris} >= {"nbi/0", "ro/0", "lcm/0", "mon/0", "pol/0"}
    for where, uri in uris.items():
        hosts = urlsplit(uri.strip('"')).netloc.rpartition("@")[2].split(",")
        assert len(hosts) == 3, where
    kafka = [d for d in base.data if d.relation.startswith("nbi:kafka ")]
    [answer] = kafka
    requests = json.loads(answer.app_data["kafka"]["requests"])
    brokers = [e for e in requests[0]["endpoints"].split(",") if "kafka-endpoints" in e]
    assert len(brokers) == 3


def test_the_ha_distribution_settles_and_its_scenario_passes(ha: api.Simulation):
    assert ha.diagnostics() == [] and ha.loop is None
    assert ha.settled
    assert {s[0] for s in statuses(ha).values()} == {"active"}
    assert len(statuses(ha)) >= 23


def test_the_busiest_relation_names_what_juju_fired_its_relation_changed_hooks_for(
    ha: api.Simulation,
):
    """Counted over the deployment and the scenario's day-2 steps (scaling adds joins)."""
    seen = ha.busiest_relation
    assert seen is not None
    assert seen.total == ha.worst_relation_changed
    assert seen.joins >= 3  # one after each remote unit's relation-joined: three at least
    assert min(seen.application, seen.units) >= 0
    assert seen.relation in {relation.relation for relation in ha.data}


@pytest.mark.parametrize("overlay", ["acme-telco", "globex"])
def test_the_vendor_examples_settle(overlay: str):
    played = simulate(overlay)
    assert played.failed_units == [], statuses(played)
    assert played.settled


def test_external_charms_take_part_through_their_catalog_data():
    played = simulate("acme-telco")
    apps = {app.name: app for app in played.applications}
    assert not apps["keystone"].simulated and apps["keystone"].documented
    nbi = apps["nbi"].units[0].environment["nbi/nbi"]
    assert nbi["OSMNBI_AUTHENTICATION_BACKEND"] == "keystone"
    assert nbi["OSMNBI_AUTHENTICATION_AUTH_URL"] == "http://keystone:5000/v3"
    pol = apps["pol"].units[0].environment["pol/pol"]
    assert pol["OSMPOL_SQL_DATABASE_URI"].startswith("mysql://")


def test_a_distribution_without_the_ng_ui_nbi_relation_is_refused_unless_allowed():
    with pytest.raises(api.InputError) as refused:
        simulate("tests/overlays/ng-ui-alone")
    assert any("ng-ui" in d.message for d in refused.value.diagnostics)
    played = simulate("tests/overlays/ng-ui-alone", allow_invalid=True)
    assert statuses(played)["ng-ui/0"] == ("blocked", "need nbi relation")
    assert not played.settled
    assert played.failed_units == ["ng-ui/0"]


def test_the_cli_prints_the_table_and_exits_2_when_a_unit_is_not_active():
    result = CliRunner().invoke(
        create_app(),
        ["simulate", "--root", str(REPO_ROOT), "--overlay", "tests/overlays/ng-ui-alone",
         "--allow-invalid", "--show-data"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "ng-ui/0*" in result.stdout and "need nbi relation" in result.stdout
    assert "rounds" in result.stdout
    assert "nbi:mongodb mongodb:database (mongodb_client)" in result.stdout


def test_json_output_masks_every_credential(base: api.Simulation):
    text = base.as_json()
    outcome = json.loads(text)
    assert outcome["settled"] is True and outcome["failed_units"] == []
    for uri in environment_values(base, "_URI").values():
        password = urlsplit(uri.strip('"')).password
        if password:
            assert password not in text
    assert ":***@" in text
    # the digest of what was masked is not the mask: the check above saw real passwords
    assert hashlib.sha256(b"***").hexdigest() not in text


def test_a_scenario_that_names_an_unknown_application_is_an_input_error(tmp_path: Path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("steps:\n  - upgrade-charm: {app: nbii}\n")
    with pytest.raises(api.InputError) as caught:
        api.simulate(api.Project(REPO_ROOT), api.SimulateOptions(scenario=scenario))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.format().startswith(f'{scenario}:2:5: error: no application "nbii"')


def mongodb_passwords(engine: Engine) -> dict[str, str]:
    """The sha256 of the MongoDB password in each unit's planned environments (one each)."""
    found: dict[str, set[str]] = {}
    for unit in engine.units.values():
        for environment in unit.environment.values():
            for value in environment.values():
                parts = urlsplit(value.strip('"'))
                if parts.scheme == "mongodb" and parts.password:
                    digest = hashlib.sha256(parts.password.encode()).hexdigest()
                    found.setdefault(unit.name, set()).add(digest)
    assert all(len(digests) == 1 for digests in found.values()), found
    return {unit: digests.pop() for unit, digests in found.items()}


def test_rotating_mongodb_credentials_reaches_every_clients_pebble_environment(tmp_path: Path):
    project = api.Project(REPO_ROOT)
    composition = api.compose(project, api.ComposeOptions())
    deployment = deployment_from_bundle(composition.bundle, composition.provenance, REPO_ROOT)
    roots = {n: a.charm_root for n, a in deployment.applications.items() if a.charm_root}
    scenario = tmp_path / "rotate.yaml"
    scenario.write_text("steps:\n  - rotate-secret: {app: mongodb}\n    expect: {all: active}\n")
    [step] = read_scenario(scenario).steps
    pool = WorkerPool(roots)
    try:
        engine = Engine(deployment, pool)
        engine.deploy()
        before = mongodb_passwords(engine)
        run_step(engine, step)
        assert check(engine, step.expect) == []
        after = mongodb_passwords(engine)
    finally:
        pool.close()
    assert set(before) == set(after) == {"lcm/0", "mon/0", "nbi/0", "pol/0", "ro/0"}
    assert all(before[unit] != after[unit] for unit in before)
    latest = {
        hashlib.sha256(secret.revisions[secret.latest]["password"].encode()).hexdigest()
        for secret in engine.secrets.values()
        if secret.owner_app == "mongodb" and "password" in secret.revisions[secret.latest]
    }
    assert set(after.values()) <= latest


def test_a_project_given_by_a_relative_path_is_simulated(monkeypatch: pytest.MonkeyPatch):
    """Each charm's worker starts from the charm's directory: relative paths must not break it."""
    monkeypatch.chdir(REPO_ROOT)
    pool = WorkerPool({"ng-ui": Path("charms/osm-ng-ui")})
    try:
        assert pool.run({"ng-ui": []}) == {"ng-ui": []}
    finally:
        pool.close()
