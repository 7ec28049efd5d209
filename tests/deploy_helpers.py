"""Stand-ins for the deploy tests: packed charms, distribution directories, a fake model.

- `charm_zip` writes a `.charm` laid out as charmcraft packs one (metadata.yaml, config.yaml,
  manifest.yaml at the archive root).
- `write_dist` writes `dist/<name>/` as `build --charms-dir` does (the contract of issue 9):
  `bundle.yaml` with `./charms/<charm>_amd64.charm`, `distro.lock` with each charm's sha256.
- `full_status_json` builds a status in the Juju API's `FullStatus` shape (Juju's
  apiserver params: `status`/`info` detailed statuses, the scale in `int`), which the tests
  turn into libjuju's own objects with `FullStatus.from_json`.
- `FakeModel` is a :class:`~distro_builder.deploy.adapter.ModelAdapter` in memory.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from juju.client._definitions import FullStatus

from distro_builder.deploy._adapter import CharmRef, Target
from distro_builder.deploy._controllers import ModelMissingError
from distro_builder.deploy._plan import OptionState
from distro_builder.deploy._secrets import SecretState

# The base distribution: application -> (charm, image resource, takes the common key).
APPS: dict[str, tuple[str, str, bool]] = {
    "mongodb": ("osm-mongodb", "mongodb-image", False),
    "kafka": ("osm-kafka", "kafka-image", False),
    "nbi": ("osm-nbi", "nbi-image", True),
    "ro": ("osm-ro", "ro-image", True),
    "lcm": ("osm-lcm", "lcm-image", True),
    "mon": ("osm-mon", "mon-image", True),
    "pol": ("osm-pol", "pol-image", False),
    "ng-ui": ("osm-ng-ui", "ng-ui-image", False),
    "prometheus": ("osm-prometheus", "prometheus-image", False),
}
RELATIONS = [
    ("nbi:mongodb", "mongodb"),
    ("nbi:kafka", "kafka"),
    ("lcm:ro", "ro:ro"),
    ("ng-ui:nbi", "nbi:nbi"),
]
TAKERS = ["nbi", "ro", "lcm", "mon"]
SINCE = "2026-11-25T10:00:00Z"


def charm_zip(path: Path, name: str, *, image: str, commonkey: bool) -> Path:
    """A stand-in packed charm: charmcraft's metadata.yaml, config.yaml, manifest.yaml."""
    metadata = {
        "name": name,
        "containers": {name.removeprefix("osm-"): {"resource": image}},
        "resources": {
            image: {"type": "oci-image", "upstream-source": f"example/{name}:16"},
        },
    }
    options: dict[str, Any] = {"log-level": {"type": "string", "default": "INFO"}}
    if commonkey:
        options["database-commonkey"] = {"type": "secret", "description": "common key"}
    manifest = {
        "charmcraft-version": "4.5.0",
        "bases": [{"name": "ubuntu", "channel": "24.04", "architectures": ["amd64"]}],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.yaml", yaml.safe_dump(metadata))
        archive.writestr("config.yaml", yaml.safe_dump({"options": options}))
        archive.writestr("manifest.yaml", yaml.safe_dump(manifest))
        archive.writestr("src/charm.py", "# stand-in\n")
    return path


def charm_file(charm: str) -> str:
    """The file name charmcraft 4 gives a charm with `platforms: {amd64: }`."""
    return f"{charm}_amd64.charm"


def write_dist(
    directory: Path,
    *,
    name: str = "ci-osm",
    apps: Sequence[str] = tuple(APPS),
    missing: Sequence[str] = (),
    options: Mapping[str, Mapping[str, object]] | None = None,
) -> Path:
    """A distribution directory with packed stand-in charms (`missing` ones left out)."""
    applications: dict[str, Any] = {}
    charms: dict[str, Any] = {}
    for app in apps:
        charm, image, commonkey = APPS[app]
        reference = f"./charms/{charm_file(charm)}"
        path = directory / "charms" / charm_file(charm)
        digest = None
        if app not in missing:
            charm_zip(path, charm, image=image, commonkey=commonkey)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        applications[app] = {
            "charm": reference,
            "scale": 1,
            "resources": {image: f"docker.io/opensourcemano/{app}:16"},
        }
        if options and app in options:
            applications[app]["options"] = dict(options[app])
        charms[app] = {
            "charm": reference,
            "source": "local",
            "channel": None,
            "revision": None,
            "sha256": digest,
            "missing": app in missing,
        }
    relations = [list(pair) for pair in RELATIONS if _in(pair, apps)]
    bundle = {"bundle": "kubernetes", "applications": applications, "relations": relations}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "bundle.yaml").write_text(yaml.safe_dump(bundle, sort_keys=False))
    lock = {"name": name, "version": "0.0.0", "charms": charms}
    (directory / "distro.lock").write_text(
        "# distro.lock: written by a test\n" + yaml.safe_dump(lock)
    )
    (directory / "README.md").write_text(f"# {name}\n")
    return directory


def _in(pair: tuple[str, str], apps: Sequence[str]) -> bool:
    return all(side.split(":")[0] in apps for side in pair)


def detailed(status: str, info: str = "", kind: str = "") -> dict[str, Any]:
    """A DetailedStatus as the Juju API sends it."""
    return {
        "status": status,
        "info": info,
        "data": {},
        "since": SINCE,
        "kind": kind,
        "version": "",
        "life": "",
    }


def unit_json(
    app: str, number: int, workload: str, agent: str, message: str = "", leader: bool = False
) -> dict[str, Any]:
    """A UnitStatus of a Kubernetes unit."""
    return {
        "agent-status": {**detailed(agent, "", "agent"), "version": "3.6.12"},
        "workload-status": detailed(workload, message, "workload"),
        "workload-version": "",
        "machine": "",
        "opened-ports": [],
        "public-address": "",
        "charm": "",
        "subordinates": {},
        "leader": leader,
        "provider-id": f"{app}-{number}",
        "address": f"10.1.{len(app)}.{number + 10}",
    }


def app_json(
    app: str,
    status: str = "active",
    message: str = "",
    *,
    units: Sequence[tuple[str, str, str]] | None = None,
    charm: str | None = None,
    scale: int | None = None,
    channel: str = "",
    revision: int = 0,
) -> dict[str, Any]:
    """An ApplicationStatus; `units` as (workload, agent, message) per unit."""
    unit_states = units if units is not None else [(status, "idle", message)]
    return {
        "charm": charm or f"local:{APPS.get(app, (app,))[0]}-0",
        "charm-version": "",
        "charm-profile": "",
        "charm-channel": channel,
        "charm-rev": revision,
        "base": {"name": "ubuntu", "channel": "24.04"},
        "exposed": False,
        "life": "",
        "relations": {},
        "can-upgrade-to": "",
        "subordinate-to": [],
        "units": {
            f"{app}/{number}": unit_json(app, number, *state, leader=number == 0)
            for number, state in enumerate(unit_states)
        },
        "status": detailed(status, message, "application"),
        "workload-version": "",
        "endpoint-bindings": {"": "alpha"},
        "int": scale if scale is not None else len(unit_states),
        "provider-id": f"{app}-provider",
        "public-address": "",
    }


def relation_json(number: int, first: str, second: str, interface: str) -> dict[str, Any]:
    """A RelationStatus between two `app:endpoint`s."""
    return {
        "id": number,
        "key": f"{first} {second}",
        "interface": interface,
        "scope": "global",
        "endpoints": [
            {
                "application": side.split(":")[0],
                "name": side.split(":")[1],
                "role": role,
                "subordinate": False,
            }
            for side, role in ((first, "requirer"), (second, "provider"))
        ],
        "status": detailed("joined", "", "relation"),
    }


def full_status_json(
    applications: Mapping[str, Mapping[str, Any]],
    relations: Sequence[Mapping[str, Any]] = (),
    model: str = "ci-osm",
) -> dict[str, Any]:
    """A FullStatus of a Kubernetes model."""
    return {
        "model": {
            "name": model,
            "type": "caas",
            "cloud-tag": "cloud-microk8s",
            "region": "localhost",
            "version": "3.6.12",
            "available-version": "",
            "model-status": detailed("available", "", "model"),
            "sla": "unsupported",
        },
        "machines": {},
        "applications": dict(applications),
        "remote-applications": {},
        "offers": {},
        "relations": list(relations),
        "controller-timestamp": SINCE,
        "branches": {},
    }


def all_active(apps: Sequence[str] = tuple(APPS)) -> dict[str, Any]:
    """Every application active and idle, with the base's relations established."""
    established = [
        relation_json(number, _endpoint(first), _endpoint(second), "iface")
        for number, (first, second) in enumerate(RELATIONS)
        if _in((first, second), apps)
    ]
    return full_status_json({app: app_json(app) for app in apps}, established)


def _endpoint(side: str) -> str:
    return side if ":" in side else f"{side}:{'database' if side == 'mongodb' else side}"


@dataclass
class FakeModel:
    """A model in memory, behind the adapter interface (statuses replayed in order)."""

    statuses: list[dict[str, Any]] = field(default_factory=list)
    name: str = "microk8s:ci-osm"
    created: bool = False
    configs: dict[str, dict[str, OptionState]] = field(default_factory=dict)
    logs: dict[str, list[str]] = field(default_factory=dict)
    secrets: dict[str, SecretState] = field(default_factory=dict)
    stored: dict[str, dict[str, str]] = field(default_factory=dict)
    deployed: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    disconnected: bool = False
    interrupt_on_status: bool = False

    async def full_status(self) -> FullStatus:
        self.calls.append("full_status")
        if self.interrupt_on_status:
            raise KeyboardInterrupt
        data = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        status = FullStatus.from_json(data)
        assert status is not None
        return status

    async def application_configs(self, applications: Sequence[str]) -> dict[str, Any]:
        return {app: dict(self.configs[app]) for app in applications if app in self.configs}

    async def deploy_bundle(self, bundle: Path) -> None:
        data = yaml.safe_load(bundle.read_text())
        self.deployed.append(data)
        self.calls.append("deploy_bundle")
        for app, spec in data["applications"].items():
            if app in self.configs:
                continue
            config = {"log-level": OptionState("string", "INFO")}
            if app in TAKERS:
                value = (spec.get("options") or {}).get("database-commonkey")
                config["database-commonkey"] = OptionState("secret", value)
            for option, value in (spec.get("options") or {}).items():
                config.setdefault(option, OptionState("string", value))
            self.configs[app] = config

    async def scale(self, application: str, units: int) -> None:
        self.calls.append(f"scale {application} {units}")

    async def refresh(self, application: str, charm: CharmRef) -> None:
        target = charm.path.name if charm.path is not None else charm.name
        self.calls.append(f"refresh {application} {target}")

    async def find_secret(self, label: str) -> SecretState:
        return self.secrets.get(label, SecretState(label))

    async def create_secret(self, label: str, content: Mapping[str, str], description: str) -> str:
        uri = f"secret:d5f{len(self.secrets):03d}"
        self.secrets[label] = SecretState(label, uri)
        self.stored[label] = dict(content)
        self.calls.append(f"create_secret {label}")
        return uri

    async def grant_secret(self, label: str, applications: Sequence[str]) -> None:
        state = self.secrets[label]
        granted = tuple(dict.fromkeys([*state.granted, *applications]))
        self.secrets[label] = SecretState(label, state.uri, granted)
        self.calls.append(f"grant_secret {label} {','.join(applications)}")

    async def set_config(self, application: str, options: Mapping[str, str]) -> None:
        config = self.configs.setdefault(application, {})
        for option, value in options.items():
            kind = config[option].type if option in config else "string"
            config[option] = OptionState(kind, value)
        shown = ",".join(
            o if o == "database-commonkey" else f"{o}={v}" for o, v in options.items()
        )
        self.calls.append(f"set_config {application} {shown}")

    async def debug_log(self, units: Sequence[str], lines: int) -> list[str]:
        return [line for unit in units for line in self.logs.get(unit, [])][-lines:]

    async def disconnect(self) -> None:
        self.disconnected = True


def connector_for(model: FakeModel, *, exists: bool = True):
    """A connector that hands out `model` (or says the model is missing)."""

    async def connect(target: Target, create: bool) -> FakeModel:
        if not exists and not create:
            raise ModelMissingError(f'model "{target.model}" does not exist')
        if not exists:
            model.created = True
        return model

    return connect
