"""Which controller to use: one line naming what is missing, before python-libjuju runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from distro_builder.deploy._controllers import (
    ControllerUnavailableError,
    juju_data_dir,
    resolve_controller,
)


def juju_data(
    directory: Path,
    *,
    controllers: dict | None = None,
    current: str | None = "lab",
    accounts: dict | None = None,
    cookies: tuple[str, ...] = ("lab",),
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    if controllers is not None:
        data = {"controllers": controllers, **({"current-controller": current} if current else {})}
        (directory / "controllers.yaml").write_text(yaml.safe_dump(data))
    if accounts is not None:
        (directory / "accounts.yaml").write_text(yaml.safe_dump({"controllers": accounts}))
    for name in cookies:
        (directory / "cookies").mkdir(exist_ok=True)
        (directory / "cookies" / f"{name}.json").write_text("[]")
    return directory


LAB = {"lab": {"api-endpoints": ["10.0.0.1:17070"], "uuid": "u"}, "edge": {"uuid": "v"}}
ACCOUNTS = {"lab": {"user": "admin", "password": "pw"}, "edge": {"user": "admin", "password": "x"}}


def test_the_data_directory_follows_the_juju_cli():
    assert juju_data_dir({"JUJU_DATA": "/j"}) == Path("/j")
    assert juju_data_dir({"XDG_DATA_HOME": "/x"}) == Path("/x/juju")
    assert juju_data_dir({}) == Path("~/.local/share/juju").expanduser()


def test_the_current_controller_or_the_one_asked_for(tmp_path):
    data = juju_data(tmp_path, controllers=LAB, accounts=ACCOUNTS, cookies=("lab", "edge"))
    current = resolve_controller(None, data)
    assert (current.name, current.endpoints) == ("lab", ("10.0.0.1:17070",))
    assert resolve_controller("edge", data).name == "edge"


@pytest.mark.parametrize(
    ("setup", "requested", "message"),
    [
        ({}, None, "no Juju controller: {dir}/controllers.yaml does not exist; bootstrap one"),
        ({"controllers": {}}, None, "no Juju controller in {dir}/controllers.yaml"),
        (
            {"controllers": LAB, "current": None},
            None,
            "no current Juju controller: pass --controller (known: edge, lab)",
        ),
        (
            {"controllers": LAB},
            "prod",
            'no Juju controller named "prod" in {dir}/controllers.yaml (known: edge, lab)',
        ),
        (
            {"controllers": LAB},
            None,
            'no credentials for controller "lab": {dir}/accounts.yaml has no account for it',
        ),
        (
            {"controllers": LAB, "accounts": {"lab": {"user": "admin"}}},
            None,
            'no password for controller "lab" in {dir}/accounts.yaml',
        ),
        (
            {"controllers": LAB, "accounts": ACCOUNTS, "cookies": ()},
            None,
            'no cookie file for controller "lab": python-libjuju reads {dir}/cookies/lab.json',
        ),
    ],
)
def test_what_is_missing_is_said_in_one_line(tmp_path, monkeypatch, setup, requested, message):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    data = juju_data(tmp_path / "juju", **setup)
    with pytest.raises(ControllerUnavailableError) as raised:
        resolve_controller(requested, data)
    text = str(raised.value)
    assert text.startswith(message.format(dir=data))
    assert "\n" not in text
    assert "pw" not in text
