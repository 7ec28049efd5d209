"""`distro-builder deploy` and `status`: messages, tables and exit statuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from deploy_helpers import FakeModel, all_active, app_json, full_status_json, write_dist
from helpers import REPO_ROOT
from typer.testing import CliRunner

from distro_builder import cli_deploy_run
from distro_builder.cli import create_app
from distro_builder.deploy import _adapter as adapter
from distro_builder.deploy import _api as api
from distro_builder.deploy._adapter import Target
from distro_builder.deploy._controllers import ModelMissingError
from distro_builder.deploy._wait import WaitOptions

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(create_app(), list(args))


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    """The wait loop polls without pausing and takes ready at once."""

    def options(timeout: float) -> WaitOptions:
        return WaitOptions(timeout=timeout, poll_interval=0.01, settle=0)

    monkeypatch.setattr(cli_deploy_run, "WaitOptions", options)


@pytest.fixture
def dist(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_dist(tmp_path / "dist" / "ci-osm")


@pytest.fixture
def model(monkeypatch) -> FakeModel:
    """The model every command connects to."""
    fake = FakeModel(statuses=[full_status_json({}), all_active()])
    targets: list[tuple[Target, bool]] = []

    async def connect(target: Target, create: bool) -> FakeModel:
        targets.append((target, create))
        if not fake.created and not create and not fake.configs:
            raise ModelMissingError(f'model "{target.model}" does not exist on controller "lab"')
        fake.created = fake.created or (create and not fake.configs)
        return fake

    monkeypatch.setattr(api, "connect_juju", connect)
    fake.targets = targets  # type: ignore[attr-defined]
    return fake


@pytest.fixture
def juju_data(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "juju-data"
    directory.mkdir()
    monkeypatch.setenv("JUJU_DATA", str(directory))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return directory


def test_no_controller_is_one_line_and_exit_1(dist, juju_data):
    result = invoke("deploy", str(dist))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: no Juju controller: {juju_data}/controllers.yaml does not exist; bootstrap one "
        "(`sudo concierge prepare -c concierge.yaml` on a lab machine) or register an existing "
        "one (`juju register`)"
    ]
    assert "Traceback" not in result.output


def test_an_unreachable_controller_is_one_line_through_python_libjuju(
    dist, juju_data, monkeypatch
):
    (juju_data / "controllers.yaml").write_text(
        yaml.safe_dump(
            {
                "controllers": {
                    "lab": {"api-endpoints": ["127.0.0.1:9"], "uuid": "u", "ca-cert": ""}
                },
                "current-controller": "lab",
            }
        )
    )
    (juju_data / "accounts.yaml").write_text(
        yaml.safe_dump({"controllers": {"lab": {"user": "admin", "password": "pw"}}})
    )
    (juju_data / "cookies").mkdir()
    (juju_data / "cookies" / "lab.json").write_text("[]")
    monkeypatch.setattr(adapter, "CONNECT_TIMEOUT", 0.5)
    result = invoke("status", str(dist))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(
        'error: cannot reach controller "lab" at 127.0.0.1:9'
    ) or line.startswith('error: cannot connect to controller "lab": ')


def test_without_python_libjuju_the_message_says_what_to_install(dist, juju_data, monkeypatch):
    (juju_data / "controllers.yaml").write_text(
        yaml.safe_dump({"controllers": {"lab": {"uuid": "u"}}, "current-controller": "lab"})
    )
    (juju_data / "accounts.yaml").write_text(
        yaml.safe_dump({"controllers": {"lab": {"user": "admin", "password": "pw"}}})
    )
    (juju_data / "cookies").mkdir()
    (juju_data / "cookies" / "lab.json").write_text("[]")
    monkeypatch.setitem(sys.modules, "juju.controller", None)
    result = invoke("deploy", str(dist), "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {adapter.LIBJUJU_HINT}"]


def test_missing_and_changed_charms_are_refused_before_connecting(tmp_path, monkeypatch, model):
    monkeypatch.chdir(tmp_path)
    path = write_dist(tmp_path / "d", missing=["nbi"])
    with (path / "charms" / "osm-lcm_amd64.charm").open("ab") as handle:
        handle.write(b"x")
    result = invoke("deploy", "d")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(": error: ")[0] for line in lines] == [
        "d/charms/osm-nbi_amd64.charm",
        "d/charms/osm-lcm_amd64.charm",
    ]
    assert model.targets == []  # type: ignore[attr-defined]


def test_a_missing_distribution_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("deploy", "dist/nope")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["dist/nope: error: not a distribution directory"]


def test_deploy_until_active(dist, model):
    result = invoke(
        "deploy", str(dist), "--model", "lab-osm", "--controller", "lab", "--timeout", "5"
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert model.targets == [(Target("lab", "lab-osm"), True)]  # type: ignore[attr-defined]
    out = result.stdout
    assert "connecting to lab:lab-osm" in out
    assert (
        "deploying the bundle, adding 9 application(s): mongodb, kafka, nbi, ro, lcm, mon, pol, "
        "ng-ui, prometheus" in out
    )
    assert "secret ci-osm-commonkey: created; granted to nbi, ro, lcm, mon" in out
    assert "every application is active and idle" in out
    for app in ("mongodb", "ng-ui", "prometheus"):
        assert any(line.split()[:3] == [app, "active", "1/1"] for line in out.splitlines()), app
    assert model.disconnected
    value = model.stored["ci-osm-commonkey"]["commonkey"]
    assert value not in result.output + result.stderr


def test_a_unit_in_error_exits_1_with_the_table_messages_and_log(dist, model, monkeypatch):
    broken = all_active()
    broken["applications"]["lcm"] = app_json(
        "lcm", "error", 'hook failed: "start"', units=[("error", "idle", 'hook failed: "start"')]
    )
    model.statuses = [full_status_json({}), broken]
    model.logs["lcm/0"] = ["unit-lcm-0: ERROR cannot start lcm"]
    result = invoke("deploy", str(dist), "--timeout", "5")
    assert result.exit_code == 1
    assert any(line.split()[:2] == ["lcm", "error"] for line in result.stdout.splitlines())
    assert result.stderr.splitlines()[1:] == [
        'error: lcm/0: error/idle: hook failed: "start"',
        "    unit-lcm-0: ERROR cannot start lcm",
    ]
    assert result.stderr.startswith("error: deploy failed: a unit is in error after 0s")


def test_a_timeout_exits_1(dist, model):
    waiting = all_active()
    waiting["applications"]["ng-ui"] = app_json("ng-ui", "blocked", "need nbi relation")
    model.statuses = [full_status_json({}), waiting]
    result = invoke("deploy", str(dist), "--timeout", "0")
    assert result.exit_code == 1
    assert "timed out" in result.stderr
    assert "error: ng-ui/0: blocked/idle: need nbi relation" in result.stderr.splitlines()


def test_ctrl_c_disconnects_and_exits_130(dist, model):
    model.interrupt_on_status = True
    result = invoke("deploy", str(dist))
    assert result.exit_code == 130
    assert model.disconnected
    assert result.stderr.splitlines() == ["interrupted: disconnected from the model"]


def test_dry_run_prints_the_plan_and_changes_nothing(dist, model):
    result = invoke("deploy", str(dist), "--dry-run", "--controller", "lab")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "model lab:ci-osm (does not exist yet)"
    assert "  create model lab:ci-osm" in lines
    assert "  add application nbi: (unset) -> ./charms/osm-nbi_amd64.charm" in lines
    assert model.calls == [] and model.secrets == {}


def test_status_shows_the_table_and_the_differences(dist, model):
    model.configs = {"nbi": {}}
    model.statuses = [full_status_json({"nbi": app_json("nbi", "active", "")})]
    result = invoke("status", str(dist))
    assert result.exit_code == 0, result.stderr
    out = result.stdout.splitlines()
    assert any(line.split()[:3] == ["nbi", "active", "1/1"] for line in out)
    assert any(line.split()[:3] == ["ng-ui", "missing", "0/0"] for line in out)
    assert "differences from the distribution:" in out
    assert "  add application ng-ui: (unset) -> ./charms/osm-ng-ui_amd64.charm" in out


def test_status_of_a_missing_model_is_exit_1(dist, model):
    model.configs = {}
    result = invoke("status", str(dist), "--model", "gone")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ['error: model "gone" does not exist on controller "lab"']


def test_build_imports_neither_libjuju_nor_the_deploy_commands(tmp_path):
    code = (
        "import sys\n"
        "from distro_builder.cli import main\n"
        "try:\n"
        f"    main(['build', '--output', {str(tmp_path / 'out')!r}])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "loaded = [m for m in sys.modules if m == 'juju' or m.startswith(('juju.', 'rich'))]\n"
        "loaded += [m for m in sys.modules if m.startswith('distro_builder.deploy')]\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
