"""Which Juju controller to use, checked in the Juju client's files before connecting.

python-libjuju reads the files the `juju` CLI writes (`controllers.yaml`, `accounts.yaml` in
`$JUJU_DATA`, else `$XDG_DATA_HOME/juju`, else `~/.local/share/juju`) and fails on a missing
one with a traceback-worthy exception; this names, in one line, what is missing. It reads
`accounts.yaml` only to see that an account exists: nothing of it is ever shown.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

CONTROLLERS_FILE = "controllers.yaml"
ACCOUNTS_FILE = "accounts.yaml"
COOKIES_DIR = "cookies"
GO_COOKIES = Path("~/.go-cookies")
GET_A_CONTROLLER = (
    "bootstrap one (`sudo concierge prepare -c concierge.yaml` on a lab machine) "
    "or register an existing one (`juju register`)"
)


class DeployEnvironmentError(Exception):
    """The environment failed (exit status 1): the message is one line for people."""


class ControllerUnavailableError(DeployEnvironmentError):
    """No usable controller: the message says, in one line, what is missing."""


class ModelMissingError(DeployEnvironmentError):
    """The model does not exist (and was not to be created)."""


def juju_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The Juju client's data directory, as the CLI and python-libjuju find it."""
    env = os.environ if environ is None else environ
    if env.get("JUJU_DATA"):
        return Path(env["JUJU_DATA"])
    if env.get("XDG_DATA_HOME"):
        return Path(env["XDG_DATA_HOME"]) / "juju"
    return Path("~/.local/share/juju").expanduser()


@dataclass(frozen=True)
class Controller:
    """A controller the Juju client knows: its name and API endpoints."""

    name: str
    endpoints: tuple[str, ...]


def resolve_controller(requested: str | None, data_dir: Path) -> Controller:
    """The controller to connect to: `requested`, else the current one.

    Raises:
        ControllerUnavailableError: no controller file, no such controller, no current one,
            no password-based account for it (what python-libjuju logs in with), or no
            cookie file (python-libjuju reads the one the CLI writes).
    """
    controllers_file = data_dir / CONTROLLERS_FILE
    data = _read(controllers_file)
    if data is None:
        raise ControllerUnavailableError(
            f"no Juju controller: {controllers_file} does not exist; {GET_A_CONTROLLER}"
        )
    controllers = data.get("controllers")
    known = sorted(controllers) if isinstance(controllers, Mapping) else []
    if not known:
        raise ControllerUnavailableError(
            f"no Juju controller in {controllers_file}; {GET_A_CONTROLLER}"
        )
    name = requested or data.get("current-controller")
    if not name:
        raise ControllerUnavailableError(
            f"no current Juju controller: pass --controller (known: {', '.join(known)})"
        )
    if name not in known:
        raise ControllerUnavailableError(
            f'no Juju controller named "{name}" in {controllers_file} (known: {", ".join(known)})'
        )
    accounts_file = data_dir / ACCOUNTS_FILE
    accounts = (_read(accounts_file) or {}).get("controllers")
    account = accounts.get(name) if isinstance(accounts, Mapping) else None
    if not isinstance(account, Mapping) or not account.get("user"):
        raise ControllerUnavailableError(
            f'no credentials for controller "{name}": {accounts_file} has no account for it '
            f"(`juju login -c {name}`)"
        )
    if not account.get("password"):
        raise ControllerUnavailableError(
            f'no password for controller "{name}" in {accounts_file}: python-libjuju logs in '
            f"with one (`juju change-user-password -c {name}` sets it)"
        )
    cookies = data_dir / COOKIES_DIR / f"{name}.json"
    if not cookies.is_file() and not GO_COOKIES.expanduser().is_file():
        raise ControllerUnavailableError(
            f'no cookie file for controller "{name}": python-libjuju reads {cookies}, which '
            f"the juju CLI writes (run `juju status -m {name}:controller` once)"
        )
    entry = controllers.get(name) if isinstance(controllers, Mapping) else None
    endpoints = entry.get("api-endpoints") if isinstance(entry, Mapping) else None
    return Controller(str(name), tuple(map(str, endpoints or ())))


def _read(path: Path) -> Mapping[str, object] | None:
    """A Juju client file's mapping; None when the file does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ControllerUnavailableError(f"cannot read {path}: {error.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ControllerUnavailableError(f"{path} is not valid YAML") from None
    return data if isinstance(data, Mapping) else {}
