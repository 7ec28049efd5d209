# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""ops.testing builders for the OSM charms' unit tests (tests only, never packed).

A top-level module outside `charms.`, so that on a charm's test path it cannot shadow or
complete a library of the charm's own `lib/`: the tests see exactly what the charm packs.

The data relations: `mongodb_relation()` / `kafka_relation()` return the relation as a
requirer charm sees it and the provider's `secret-user` secret (None while the provider
has not answered). The answer has the shape that `dpcharmlibs-interfaces` providers
write (protocol v1), so the real `charms.osm_libs.v0.data` requirer reads it and emits
`resource_created` on relation-changed:

    relation, secret = mongodb_relation()
    state = testing.State(relations={relation}, secrets={secret}, leader=True)
    ctx.run(ctx.on.relation_changed(relation), state)

Put the secret in the State whenever it is not None; `data_relations()` gives both
relations and their secrets at once, `data_state()` a State holding them,
`rotate_mongodb_password()` a rotation, `withdraw_answer()` a provider taking its answer
back, and `DATA_RELATION_PROBLEMS` the statuses of absent and unanswered ones.

The upstream app-data interfaces: `keystone_relation()` and `vca_relation()`, with
complete sample data (`KEYSTONE_DATA`, `VCA_DATA`) unless told otherwise.

Pebble: `planned_container()` is a container as a reconcile left it (the charm's layer
planned, its service running, its checks up), `with_check()` changes one check's status,
`run_check_change()` runs the event of a check failing or recovering, and
`service_environment()` reads a planned service's environment. `rotate_secret()` gives a
secret of the State a new revision, as `secret-changed` sees it.

Workload processes, for exec checks run for real on this machine: `console_script()` runs
a process as an image runs a console script (a Python script on the PATH), and
`exec_check_command()` splits a planned exec check's command as Pebble does.
`run_as_simulator()` runs one hook as `distro-builder simulate` does, around a charm's
`workload_standins.Workload` (prepare the containers, run, observe).
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ops
from ops import testing

MONGODB_URI = (
    "mongodb://relation-1:test-password@mongodb-0.mongodb-endpoints:27017/osm"
    "?replicaSet=mongodb&authSource=admin"
)
KAFKA_BOOTSTRAP = "kafka-0.kafka-endpoints:9092"
USERNAME = "relation-1"
PASSWORD = "test-password"  # a test fixture, not a credential
_SALT = "0123456789abcdef"

# Every combination of absent (None) and unanswered (False) data relations, as
# `data_relations` takes them, with the status the conventions give it: pytest parameters
# (mongodb, kafka, status).
DATA_RELATION_PROBLEMS = (
    (None, None, ops.BlockedStatus("need kafka, mongodb relations")),
    (True, None, ops.BlockedStatus("need kafka relation")),
    (None, True, ops.BlockedStatus("need mongodb relation")),
    (False, False, ops.WaitingStatus("waiting for kafka, mongodb data")),
    (False, True, ops.WaitingStatus("waiting for mongodb data")),
    (True, False, ops.WaitingStatus("waiting for kafka data")),
)

# Everything upstream osm-keystone publishes; the OSM modules read the first seven keys.
KEYSTONE_DATA = {
    "host": "http://keystone:5000/v3",
    "port": "5000",
    "user_domain_name": "default",
    "project_domain_name": "default",
    "username": "osm-service",
    "password": "keystone-service-password",
    "service": "service",
    "keystone_db_password": "keystone-db-password",
    "region_id": "RegionOne",
    "admin_username": "admin",
    "admin_password": "keystone-admin-password",
    "admin_project_name": "admin",
}
# What upstream's osm-vca-integrator publishes for a controller with both clouds.
VCA_DATA = {
    "endpoints": "10.0.0.10:17070",
    "user": "admin",
    "secret": "vca-pass-from-relation",
    "public-key": "ssh-rsa AAAA juju-client-key",
    "cacert": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
    "lxd-cloud": "lxd-cloud",
    "k8s-cloud": "microk8s",
    "model-configs": json.dumps({"apt-http-proxy": "http://proxy:3128", "test-mode": True}),
}


def mongodb_relation(
    endpoint: str = "mongodb",
    uri: str = MONGODB_URI,
    ready: bool = True,
    *,
    database: str = "osm",
    remote_app_name: str = "mongodb",
) -> tuple[testing.Relation, testing.Secret | None]:
    """A `mongodb_client` relation; `ready` means the provider has created `database`."""
    host = uri.split("@", 1)[-1].split("/", 1)[0]
    return _relation(
        endpoint,
        "mongodb_client",
        remote_app_name,
        database,
        endpoints=host if ready else None,
        credentials={"username": USERNAME, "password": PASSWORD, "uris": uri},
    )


def kafka_relation(
    endpoint: str = "kafka",
    bootstrap: str = KAFKA_BOOTSTRAP,
    ready: bool = True,
    *,
    topic: str = "osm",
    remote_app_name: str = "kafka",
) -> tuple[testing.Relation, testing.Secret | None]:
    """A `kafka_client` relation; `ready` means the provider has published `bootstrap`."""
    return _relation(
        endpoint,
        "kafka_client",
        remote_app_name,
        topic,
        endpoints=bootstrap if ready else None,
        credentials={"username": USERNAME, "password": PASSWORD},
    )


def _relation(
    endpoint: str,
    interface: str,
    remote_app_name: str,
    resource: str,
    endpoints: str | None,
    credentials: dict[str, str],
) -> tuple[testing.Relation, testing.Secret | None]:
    """The relation with the provider's v1 answer for `resource` (None: no answer yet)."""
    relation = testing.Relation(endpoint, interface, remote_app_name=remote_app_name)
    if endpoints is None:
        return relation, None
    request_id = f"{resource}-request"
    request = {"resource": resource, "request-id": request_id, "salt": _SALT}
    # The consumer-side label the library gives the secret once it has seen it.
    secret = testing.Secret(
        tracked_content=credentials, label=f"{endpoint}.{relation.id}.{request_id}.user.secret"
    )
    answer = {**request, "endpoints": endpoints, "secret-user": secret.id}
    remote_app_data = {
        "version": "v1",
        "data": json.dumps({request_id: request}),
        "requests": json.dumps([answer]),
    }
    return dataclasses.replace(relation, remote_app_data=remote_app_data), secret


def data_relations(
    mongodb: bool | None = True,
    kafka: bool | None = True,
    *,
    mongodb_uri: str = MONGODB_URI,
    kafka_bootstrap: str = KAFKA_BOOTSTRAP,
) -> tuple[list[testing.Relation], list[testing.Secret]]:
    """The `mongodb` and `kafka` relations of an OSM component, and their answers' secrets.

    For each: True, the provider has answered; False, related without an answer yet;
    None, not related.
    """
    pairs = []
    if mongodb is not None:
        pairs.append(mongodb_relation(uri=mongodb_uri, ready=mongodb))
    if kafka is not None:
        pairs.append(kafka_relation(bootstrap=kafka_bootstrap, ready=kafka))
    return [relation for relation, _ in pairs], [secret for _, secret in pairs if secret]


def data_state(
    *relations: testing.RelationBase,
    mongodb: bool | None = True,
    kafka: bool | None = True,
    secrets: Iterable[testing.Secret] = (),
    **fields: Any,
) -> testing.State:
    """A State with the data relations (as `data_relations` says), `relations` and `secrets`.

    `fields` are the State's other fields (`containers`, `config`, `leader`, ...).
    """
    data, data_secrets = data_relations(mongodb, kafka)
    return testing.State(
        relations={*data, *relations}, secrets={*data_secrets, *secrets}, **fields
    )


def keystone_relation(data: Mapping[str, str] = KEYSTONE_DATA) -> testing.Relation:
    """A `keystone` relation whose provider published `data`."""
    return testing.Relation(
        "keystone", "keystone", remote_app_name="keystone", remote_app_data=dict(data)
    )


def vca_relation(data: Mapping[str, str] = VCA_DATA) -> testing.Relation:
    """A `vca` relation (interface `osm-vca`) whose integrator published `data`."""
    return testing.Relation("vca", "osm-vca", remote_app_name="vca", remote_app_data=dict(data))


def rotate_secret(
    state: testing.State, secret: testing.Secret, content: Mapping[str, str]
) -> tuple[testing.State, testing.Secret]:
    """`state` in which `secret` has a new revision: its content updated with `content`.

    Returns the new State and the secret to trigger `secret_changed` with.
    """
    rotated = dataclasses.replace(secret, latest_content={**secret.tracked_content, **content})
    others = {other for other in state.secrets if other.id != secret.id}
    return dataclasses.replace(state, secrets={*others, rotated}), rotated


def rotate_mongodb_password(
    state: testing.State, password: str, endpoint: str = "mongodb", *, labelled: bool = True
) -> tuple[testing.State, testing.Secret]:
    """`state` in which the MongoDB provider of `endpoint` has given its user `password`.

    The answer's secret gets a new revision with the password and the URI holding it.
    `labelled=False`: the unit has not given the secret the library's label (as the
    simulator's units see it); the secret is then the one the answer names.
    """
    secret = next(s for s in state.secrets if _answers_endpoint(state, s, endpoint))
    uri = secret.tracked_content["uris"]
    old = urlsplit(uri).password
    new_uri = uri.replace(f":{old}@", f":{password}@", 1)
    if not labelled:
        secret = dataclasses.replace(secret, label=None)
    return rotate_secret(state, secret, {"password": password, "uris": new_uri})


def _answers_endpoint(state: testing.State, secret: testing.Secret, endpoint: str) -> bool:
    """Whether `secret` is the `secret-user` of the answer on `endpoint` (or labelled so)."""
    if (secret.label or "").startswith(f"{endpoint}."):
        return True
    for relation in state.relations:
        if relation.endpoint == endpoint and isinstance(relation, testing.Relation):
            answers = json.loads(relation.remote_app_data.get("requests", "[]"))
            if any(answer.get("secret-user") == secret.id for answer in answers):
                return True
    return False


def withdraw_answer(state: testing.State, endpoint: str) -> tuple[testing.State, testing.Relation]:
    """`state` in which the provider of `endpoint` has emptied its app databag.

    Returns the new State and the relation to trigger `relation_changed` with.
    """
    relation = next(
        (r for r in state.relations if r.endpoint == endpoint and isinstance(r, testing.Relation)),
        None,
    )
    if relation is None:
        raise ValueError(f"no {endpoint} relation in the state")
    withdrawn = dataclasses.replace(relation, remote_app_data={})
    others = {other for other in state.relations if other.id != relation.id}
    return dataclasses.replace(state, relations={*others, withdrawn}), withdrawn


def planned_container(
    container: testing.Container,
    layer: ops.pebble.LayerDict,
    *,
    running: bool = True,
    ready: bool = True,
) -> testing.Container:
    """`container` as a reconcile left it: `layer` planned under the container's name.

    Every service of the layer is running (stopped unless `running`) and every check of
    the layer is up (the readiness checks down unless `ready`).
    """
    plan = ops.pebble.Layer(layer)
    service = ops.pebble.ServiceStatus.ACTIVE if running else ops.pebble.ServiceStatus.INACTIVE
    checks = set()
    for name, check in plan.checks.items():
        level = ops.pebble.CheckLevel(check.level)
        up = ready or level != ops.pebble.CheckLevel.READY
        status = ops.pebble.CheckStatus.UP if up else ops.pebble.CheckStatus.DOWN
        threshold = check.threshold if check.threshold is not None else 3
        checks.add(testing.CheckInfo(name, level=level, status=status, threshold=threshold))
    return dataclasses.replace(
        container,
        layers={container.name: plan},
        service_statuses=dict.fromkeys(plan.services, service),
        check_infos=checks,
    )


def with_check(
    container: testing.Container, check: str, status: ops.pebble.CheckStatus
) -> testing.Container:
    """`container` with its check `check` (which must be there) in `status`."""
    infos = {info.name: info for info in container.check_infos}
    infos[check] = dataclasses.replace(infos[check], status=status)
    return dataclasses.replace(container, check_infos=set(infos.values()))


def run_check_change(
    ctx: testing.Context[Any],
    state: testing.State,
    container: str,
    check: str,
    status: ops.pebble.CheckStatus,
) -> testing.State:
    """Run the event of `check` (in `container` of `state`) turning to `status`.

    UP is `pebble_check_recovered`, any other status `pebble_check_failed`; the event
    runs on `state` with the check in `status`.
    """
    changed = with_check(state.get_container(container), check, status)
    others = {other for other in state.containers if other.name != container}
    info = changed.get_check_info(check)
    if status == ops.pebble.CheckStatus.UP:
        event = ctx.on.pebble_check_recovered(changed, info)
    else:
        event = ctx.on.pebble_check_failed(changed, info)
    return ctx.run(event, dataclasses.replace(state, containers={*others, changed}))


def service_environment(state: testing.State, container: str, service: str) -> dict[str, str]:
    """The environment of `service` in the plan of `container`."""
    return dict(state.get_container(container).plan.services[service].environment)


def exec_check_command(layer: ops.pebble.LayerDict, check: str) -> list[str]:
    """The command of exec check `check` of `layer`, split as Pebble splits it (no shell)."""
    probe = ops.pebble.Layer(layer).checks[check].exec
    if probe is None or not probe.get("command"):
        raise ValueError(f"{check} is not an exec check")
    return shlex.split(probe.get("command", ""))


@contextlib.contextmanager
def console_script(directory: Path, name: str) -> Iterator[subprocess.Popen[bytes]]:
    """A running process started as an image starts its console script `name`.

    The script (a Python shebang and a sleep) is written to `directory`; the process shows
    in /proc as `<python> <directory>/<name>`, as `/usr/bin/<name>` does in the image.
    """
    script = directory / name
    script.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n")
    script.chmod(0o755)
    process = subprocess.Popen([str(script)])
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    deadline = time.monotonic() + 10
    # Until its exec is done the child shows its parent's command line.
    while str(script).encode() not in cmdline.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def run_as_simulator(
    ctx: testing.Context[Any],
    workload: Any,
    state: testing.State,
    event: Any,
    unit: int = 0,
) -> testing.State:
    """Run `event` on `state` as the simulator does around a charm's `Workload` stand-in.

    `event` is the trigger, or a function of the prepared State that returns it (for an
    event naming a container, which preparing replaces: `lambda s:
    ctx.on.pebble_ready(s.get_container(...))`). The stand-in's `observe` gets the
    commands the charm ran and, when it takes `environments`, each one's environment.
    """
    containers = {
        workload.prepare(unit, container, container.get_filesystem(ctx))
        for container in state.containers
    }
    prepared = dataclasses.replace(state, containers=containers)
    trigger: Any = event(prepared) if callable(event) else event
    state_out = ctx.run(trigger, prepared)
    for container in state_out.containers:
        calls = ctx.exec_history.get(container.name, [])
        observe_execs(workload, unit, container, calls, container.get_filesystem(ctx))
    ctx.exec_history.clear()
    return state_out


def observe_execs(
    workload: Any,
    unit: int,
    container: testing.Container,
    calls: Iterable[testing.ExecArgs],
    root: Path,
) -> None:
    """Tell a stand-in what the charm ran in `container`, as the simulator's worker does.

    `observe(unit, container, commands, root)`, plus `environments=` (each exec's
    environment, in order) when the stand-in takes it: a workload whose parameters travel
    in the environment (osm-mongodb's mongosh scripts) models them from there.
    """
    calls = list(calls)
    commands = [list(call.command) for call in calls]
    if "environments" in inspect.signature(workload.observe).parameters:
        environments = [dict(call.environment) for call in calls]
        workload.observe(unit, container, commands, root, environments=environments)
    else:
        workload.observe(unit, container, commands, root)


# The charm as packed: `dispatch` runs `src/charm.py` with `PYTHONPATH=lib:src` and the
# charm's venv; nothing of the tests' path. A child interpreter imports the charm so, runs
# `install` through ops.testing, and lists the modules it loaded from elsewhere.
_PACKED_DISPATCH = """
import inspect, json, os, sys, sysconfig
import ops
from ops import testing
import charm
[charm_type] = [
    value for value in vars(charm).values()
    if inspect.isclass(value) and issubclass(value, ops.CharmBase) and value.__module__ == "charm"
]
ctx = testing.Context(charm_type)
names = ctx.charm_spec.meta.get("containers", {})
containers = {testing.Container(name, can_connect=False) for name in names}
ctx.run(ctx.on.install(), testing.State(leader=True, containers=containers))
paths = sysconfig.get_paths()
roots = (*sys.argv[1:], paths["stdlib"], paths["platstdlib"], paths["purelib"], paths["platlib"])
allowed = [os.path.realpath(root) for root in roots]
foreign = sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None)
    and not any(os.path.realpath(module.__file__).startswith(root + os.sep) for root in allowed)
)
print(json.dumps(foreign))
"""


def dispatch_as_packed(charm_root: Path) -> list[str]:
    """Import the charm and dispatch `install` with only its `src` and `lib` on the path.

    Returns the modules the child loaded from outside `src`, `lib` and the environment's
    libraries (an empty list for a charm that packs everything it needs).

    Raises:
        AssertionError: with the child's output when the import or the hook fails.
    """
    paths = [str(charm_root / "lib"), str(charm_root / "src")]
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join(paths)
    with tempfile.TemporaryDirectory() as empty:  # the child's cwd: nothing importable
        proc = subprocess.run(
            [sys.executable, "-s", "-c", _PACKED_DISPATCH, *paths],
            cwd=empty,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert proc.returncode == 0, f"the packed charm fails to dispatch install:\n{proc.stderr}"
    return json.loads(proc.stdout.splitlines()[-1])


def planned_environment(container: testing.Container, service: str) -> dict[str, str] | None:
    """The environment of `service` in `container`'s plan; None while it is not planned."""
    planned = container.plan.services.get(service)
    return dict(planned.environment) if planned is not None else None


class EnvironmentReader:
    """The stand-in of an OSM module that answers no command and reads its environment.

    After each hook, `read(unit, environment)` gets the planned environment of `service` in
    `container` (nothing while it is not planned). A charm's `workload_standins.Workload`
    subclasses it, names the container and service, and records in `read` what the module
    would make of its environment.
    """

    container: str = ""
    service: str = ""

    def prepare(
        self, unit: int, container: testing.Container, root: Path | None = None
    ) -> testing.Container:
        """`container` as the unit's hook sees it: the module answers no command."""
        del unit, root
        return container

    def observe(
        self,
        unit: int,
        container: testing.Container,
        commands: list[list[str]],
        root: Path | None = None,
    ) -> None:
        """After the unit's hook: hand the planned environment to `read`."""
        del commands, root
        environment = planned_environment(container, self.service)
        if container.name == self.container and environment is not None:
            self.read(unit, environment)

    def read(self, unit: int, environment: Mapping[str, str]) -> None:
        """Record what the module makes of `environment` (subclasses)."""
        raise NotImplementedError
