"""The common key: created once, reused, granted, pointed at; its value never shown."""

from __future__ import annotations

import asyncio
import base64
import logging

from deploy_helpers import (
    TAKERS,
    FakeModel,
    all_active,
    connector_for,
    full_status_json,
    write_dist,
)

from distro_builder.deploy import _api as api
from distro_builder.deploy._adapter import Target
from distro_builder.deploy._dist import read_distribution
from distro_builder.deploy._plan import OptionState
from distro_builder.deploy._secrets import (
    COMMONKEY_CONTENT_KEY,
    SecretState,
    commonkey_label,
    commonkey_takers,
    ensure_commonkey,
    new_commonkey,
    share_commonkey,
)
from distro_builder.deploy._wait import WaitOptions

OPTIONS = api.DeployOptions(Target(None, "ci-osm"), WaitOptions(timeout=5, settle=0))


def deploy(dist_path, model: FakeModel):
    dist = read_distribution(dist_path)
    return asyncio.run(api.deploy(dist, OPTIONS, connector=connector_for(model)))


def test_a_new_key_is_32_random_bytes():
    key = new_commonkey()
    assert len(base64.urlsafe_b64decode(key + "=")) == 32
    assert key != new_commonkey()


def test_the_takers_are_the_charms_with_a_secret_database_commonkey_option(tmp_path):
    dist = read_distribution(write_dist(tmp_path / "d"))
    assert commonkey_takers(dist, {}) == TAKERS
    # A Charmhub charm is known to take it by its deployed config.
    dist = read_distribution(write_dist(tmp_path / "e", apps=["kafka", "pol"]))
    configs = {"pol": {"database-commonkey": OptionState("secret")}}
    assert commonkey_takers(dist, configs) == ["pol"]


def test_the_secret_is_created_once_and_then_kept():
    model = FakeModel()
    first, created = asyncio.run(ensure_commonkey(model, "ci-osm"))
    second, created_again = asyncio.run(ensure_commonkey(model, "ci-osm"))
    assert (created, created_again) == (True, False)
    assert first.label == second.label == "ci-osm-commonkey"
    assert first.uri == second.uri
    assert model.calls == ["create_secret ci-osm-commonkey"]
    assert list(model.stored["ci-osm-commonkey"]) == [COMMONKEY_CONTENT_KEY]


def test_sharing_grants_and_sets_only_what_is_missing():
    model = FakeModel()
    model.secrets["k"] = SecretState("k", "secret:abc", granted=("nbi",))
    outcome = asyncio.run(
        share_commonkey(
            model,
            model.secrets["k"],
            ["nbi", "lcm"],
            {"nbi": "secret:abc", "lcm": None},
        )
    )
    assert (outcome.granted, outcome.configured) == (("lcm",), ("lcm",))
    assert model.calls == ["grant_secret k lcm", "set_config lcm database-commonkey"]


def test_deploy_provisions_the_key_before_the_charms_start(tmp_path):
    model = FakeModel(statuses=[full_status_json({}), all_active()], created=True)
    result = deploy(write_dist(tmp_path / "ci-osm"), model)
    label = commonkey_label("ci-osm")
    uri = model.secrets[label].uri
    assert uri is not None
    # Created before the bundle is deployed, the bundle already pointing the takers at it.
    assert model.calls.index(f"create_secret {label}") < model.calls.index("deploy_bundle")
    [bundle] = model.deployed
    options = {app: spec.get("options", {}) for app, spec in bundle["applications"].items()}
    assert {app for app, opts in options.items() if opts.get("database-commonkey") == uri} == set(
        TAKERS
    )
    assert f"grant_secret {label} {','.join(TAKERS)}" in model.calls
    assert result.secret is not None
    assert (result.secret.created, result.secret.granted) == (True, tuple(TAKERS))
    assert result.secret.configured == ()
    assert result.ready


def test_a_second_deploy_keeps_the_secret_and_changes_nothing(tmp_path):
    path = write_dist(tmp_path / "ci-osm")
    model = FakeModel(statuses=[full_status_json({}), all_active()], created=True)
    deploy(path, model)
    uri = model.secrets[commonkey_label("ci-osm")].uri
    model.calls.clear()
    model.statuses = [all_active()]
    model.created = False
    result = deploy(path, model)
    assert model.secrets[commonkey_label("ci-osm")].uri == uri
    assert [call for call in model.calls if call != "full_status"] == []
    assert result.secret is not None
    assert (result.secret.created, result.secret.granted, result.secret.configured) == (
        False,
        (),
        (),
    )


def test_applications_deployed_by_hand_get_the_option_set(tmp_path):
    model = FakeModel(statuses=[all_active()])
    for app in ("mongodb", "kafka", "nbi", "ro", "lcm", "mon", "pol", "ng-ui", "prometheus"):
        model.configs[app] = {"log-level": OptionState("string", "INFO")}
    for app in TAKERS:
        model.configs[app]["database-commonkey"] = OptionState("secret", None)
    result = deploy(write_dist(tmp_path / "ci-osm"), model)
    assert "deploy_bundle" not in model.calls
    uri = model.secrets["ci-osm-commonkey"].uri
    assert {app for app in TAKERS if model.configs[app]["database-commonkey"].value == uri} == set(
        TAKERS
    )
    assert result.secret is not None
    assert result.secret.configured == tuple(TAKERS)


def test_the_value_is_never_in_output_logs_or_files(tmp_path, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    model = FakeModel(statuses=[full_status_json({}), all_active()], created=True)
    path = write_dist(tmp_path / "ci-osm")
    result = deploy(path, model)
    value = model.stored["ci-osm-commonkey"][COMMONKEY_CONTENT_KEY]
    captured = capsys.readouterr()
    assert value not in captured.out + captured.err
    assert value not in caplog.text
    assert value not in repr(result)
    assert model.deployed, "the bundle was deployed"
    assert value not in repr(model.deployed)
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert value.encode() not in file.read_bytes(), file
