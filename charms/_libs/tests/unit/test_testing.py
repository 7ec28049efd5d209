"""osm_charm_testing: the builders answer like a dpcharmlibs provider does."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import ops
import pytest
from charms.osm_libs.v0 import component
from charms.osm_libs.v0.keystone import read_credentials
from charms.osm_libs.v0.pebble_service import (
    ALIVE,
    READY,
    exec_check,
    service_layer,
    service_status,
    tcp_check,
)
from charms.osm_libs.v0.vca import read_settings
from dummy_charms import (
    CLIENT_META,
    PROVIDER_META,
    ClientCharm,
    LibraryProviderCharm,
)
from ops import testing
from osm_charm_testing import (
    DATA_RELATION_PROBLEMS,
    KAFKA_BOOTSTRAP,
    KEYSTONE_DATA,
    MONGODB_URI,
    VCA_DATA,
    console_script,
    data_relations,
    data_state,
    exec_check_command,
    kafka_relation,
    keystone_relation,
    mongodb_relation,
    planned_container,
    rotate_mongodb_password,
    rotate_secret,
    run_as_simulator,
    run_check_change,
    service_environment,
    vca_relation,
    with_check,
    withdraw_answer,
)


def answer(relation: testing.Relation) -> dict:
    [response] = json.loads(relation.remote_app_data["requests"])
    return response


def library_provider_answer() -> tuple[dict[str, str], dict]:
    """The app databag and the one answer a dpcharmlibs provider writes for one request."""
    request = {"resource": "osm", "request-id": "abc", "salt": "s", "extra-user-roles": "admin"}
    relation = testing.Relation(
        "database",
        "mongodb_client",
        remote_app_name="client",
        remote_app_data={"version": "v1", "requests": json.dumps([request])},
    )
    ctx = testing.Context(LibraryProviderCharm, meta=PROVIDER_META)
    out = ctx.run(
        ctx.on.relation_changed(relation, remote_unit=0),
        testing.State(relations={relation}, leader=True),
    )
    databag = dict(out.get_relation(relation.id).local_app_data)
    return databag, json.loads(databag["requests"])[0]


@pytest.mark.parametrize("builder", [mongodb_relation, kafka_relation])
def test_builders_write_what_the_library_provider_writes(builder):
    provider_databag, provider_answer = library_provider_answer()
    relation, _ = builder()

    assert set(relation.remote_app_data) == set(provider_databag)
    filled = {key for key, value in provider_answer.items() if value is not None}
    assert set(answer(relation)) == filled


@pytest.mark.parametrize(
    ("builder", "interface", "remote_app"),
    [(mongodb_relation, "mongodb_client", "mongodb"), (kafka_relation, "kafka_client", "kafka")],
)
def test_not_ready_is_a_relation_without_an_answer(builder, interface, remote_app):
    relation, secret = builder(ready=False)

    assert secret is None
    assert (relation.interface, relation.remote_app_name) == (interface, remote_app)
    assert relation.remote_app_data == {}


def test_mongodb_answer_carries_the_uri_in_the_user_secret():
    relation, secret = mongodb_relation("database", uri=MONGODB_URI, database="nbi")

    assert secret is not None
    assert answer(relation)["secret-user"] == secret.id
    assert answer(relation)["resource"] == "nbi"
    assert answer(relation)["endpoints"] == "mongodb-0.mongodb-endpoints:27017"
    assert secret.tracked_content["uris"] == MONGODB_URI
    assert secret.label == f"database.{relation.id}.nbi-request.user.secret"
    assert MONGODB_URI not in json.dumps(relation.remote_app_data)


def test_kafka_answer_carries_the_bootstrap_endpoints():
    relation, secret = kafka_relation(bootstrap=KAFKA_BOOTSTRAP, topic="lcm")

    assert secret is not None
    assert answer(relation)["endpoints"] == KAFKA_BOOTSTRAP
    assert answer(relation)["resource"] == "lcm"
    assert set(secret.tracked_content) == {"username", "password"}


def test_each_call_builds_a_distinct_relation_and_secret():
    (first, first_secret), (second, second_secret) = mongodb_relation(), mongodb_relation()

    assert first.id != second.id
    assert first_secret is not None and second_secret is not None
    assert first_secret.id != second_secret.id


# --- data_relations and the rotation of the MongoDB password -------------------------------


@pytest.mark.parametrize(
    ("mongodb", "kafka", "endpoints", "secrets"),
    [
        (True, True, ["mongodb", "kafka"], 2),
        (False, True, ["mongodb", "kafka"], 1),
        (None, False, ["kafka"], 0),
        (None, None, [], 0),
    ],
)
def test_data_relations(mongodb, kafka, endpoints, secrets):
    relations, relation_secrets = data_relations(mongodb, kafka)

    assert [relation.endpoint for relation in relations] == endpoints
    assert len(relation_secrets) == secrets


def test_data_state_adds_relations_secrets_and_fields():
    extra = testing.Relation("ro")
    secret = testing.Secret(tracked_content={"commonkey": "key"})

    state = data_state(extra, kafka=False, secrets=[secret], leader=True)

    assert {relation.endpoint for relation in state.relations} == {"mongodb", "kafka", "ro"}
    assert len(state.secrets) == 2  # the mongodb answer's and the given one
    assert secret in state.secrets
    assert state.leader


@pytest.mark.parametrize(("mongodb", "kafka", "expected"), DATA_RELATION_PROBLEMS)
def test_data_relation_problems_are_what_the_component_library_says(mongodb, kafka, expected):
    ctx = testing.Context(ClientCharm, meta=CLIENT_META)

    with ctx(ctx.on.update_status(), data_state(mongodb=mongodb, kafka=kafka)) as manager:
        charm = manager.charm
        relations = {
            "mongodb": (charm.mongodb.relation, charm.mongodb.uri()),
            "kafka": (charm.kafka.relation, charm.kafka.endpoint()),
        }

        assert component.relation_problems(relations) == (expected,)


def test_a_rotated_mongodb_password_reaches_the_requirer():
    ctx = testing.Context(ClientCharm, meta=CLIENT_META)
    relations, secrets = data_relations()
    state = testing.State(relations=relations, secrets=secrets)

    rotated_state, rotated = rotate_mongodb_password(state, "rotated-password")
    with ctx(ctx.on.secret_changed(rotated), rotated_state) as manager:
        manager.run()
        uri = manager.charm.mongodb.uri()

    assert uri == MONGODB_URI.replace(":test-password@", ":rotated-password@")
    assert rotated.latest_content is not None
    assert rotated.latest_content["password"] == "rotated-password"
    assert len(rotated_state.secrets) == len(state.secrets)


def test_an_unlabelled_rotation_finds_the_secret_by_the_answer():
    relations, secrets = data_relations()
    unlabelled = {dataclasses.replace(secret, label=None) for secret in secrets}
    state = testing.State(relations=relations, secrets=unlabelled)
    [mongodb] = [r for r in relations if r.endpoint == "mongodb"]

    rotated_state, rotated = rotate_mongodb_password(state, "new", labelled=False)

    assert rotated.id == answer(mongodb)["secret-user"]
    assert rotated.label is None
    assert rotated.latest_content is not None
    assert rotated.latest_content["uris"] == MONGODB_URI.replace(":test-password@", ":new@")
    assert rotated in rotated_state.secrets


def test_rotate_secret_keeps_what_it_does_not_change():
    secret = testing.Secret(tracked_content={"password": "old", "cacert": "ca"})
    other = testing.Secret(tracked_content={"commonkey": "key"})

    state, rotated = rotate_secret(
        testing.State(secrets={secret, other}), secret, {"password": "new"}
    )

    assert rotated.id == secret.id
    assert (rotated.tracked_content, rotated.latest_content) == (
        {"password": "old", "cacert": "ca"},
        {"password": "new", "cacert": "ca"},
    )
    assert state.secrets == {rotated, other}


@pytest.mark.parametrize(
    ("endpoint", "other"),
    [("mongodb", "kafka"), ("kafka", "mongodb")],
)
def test_a_withdrawn_answer_reaches_the_requirer_as_none(endpoint, other):
    ctx = testing.Context(ClientCharm, meta=CLIENT_META)
    state = data_state()

    withdrawn_state, withdrawn = withdraw_answer(state, endpoint)
    with ctx(ctx.on.relation_changed(withdrawn), withdrawn_state) as manager:
        manager.run()
        charm = manager.charm
        answers = {"mongodb": charm.mongodb.uri(), "kafka": charm.kafka.endpoint()}

    assert charm.reconciled == [f"{endpoint}_relation_changed"]
    assert answers[endpoint] is None
    assert answers[other] is not None
    assert withdrawn.remote_app_data == {}
    assert withdrawn in withdrawn_state.relations
    assert {r.id for r in withdrawn_state.relations} == {r.id for r in state.relations}
    assert withdrawn_state.secrets == state.secrets


def test_withdrawing_the_answer_of_an_absent_relation_says_which():
    with pytest.raises(ValueError, match="no kafka relation"):
        withdraw_answer(data_state(kafka=None), "kafka")


# --- the app-data interfaces ---------------------------------------------------------------


def test_keystone_and_vca_samples_are_complete_for_their_readers():
    assert read_credentials(keystone_relation().remote_app_data) is not None
    assert read_settings(vca_relation().remote_app_data) is not None
    assert keystone_relation({"host": KEYSTONE_DATA["host"]}).remote_app_data == {
        "host": KEYSTONE_DATA["host"]
    }
    assert vca_relation().interface == "osm-vca"
    assert vca_relation().remote_app_data == VCA_DATA


# --- Pebble --------------------------------------------------------------------------------

WORKLOAD_META = {"name": "component", "containers": {"workload": {}}}
LAYER = service_layer(
    "component",
    "svc",
    {"command": "serve", "environment": {"LEVEL": "INFO"}},
    {
        "svc-ready": tcp_check(READY, 80, period="10s", threshold=2),
        "svc-alive": tcp_check(ALIVE, 80, period="30s", threshold=5),
    },
)


class WorkloadCharm(ops.CharmBase):
    """One container, no behaviour."""


def status_of(container: testing.Container) -> ops.StatusBase | None:
    """What `pebble_service.service_status` makes of the container."""
    ctx = testing.Context(WorkloadCharm, meta=WORKLOAD_META)
    with ctx(ctx.on.update_status(), testing.State(containers={container})) as manager:
        return service_status(manager.charm.unit.get_container("workload"), "svc", "svc-ready")


def test_a_planned_container_runs_its_layer_with_the_checks_up():
    base = testing.Container("workload", can_connect=True, execs={testing.Exec(["true"])})

    container = planned_container(base, LAYER)

    assert container.plan.services["svc"].command == "serve"
    assert container.service_statuses == {"svc": ops.pebble.ServiceStatus.ACTIVE}
    assert {(info.name, info.status, info.threshold) for info in container.check_infos} == {
        ("svc-ready", ops.pebble.CheckStatus.UP, 2),
        ("svc-alive", ops.pebble.CheckStatus.UP, 5),
    }
    assert container.execs == base.execs
    assert status_of(container) is None


@pytest.mark.parametrize(
    ("running", "ready", "expected"),
    [
        (False, True, ops.BlockedStatus("svc service is not running")),
        (True, False, ops.WaitingStatus("svc service is not ready: readiness check failing")),
    ],
)
def test_a_planned_container_may_be_stopped_or_not_ready(running, ready, expected):
    container = planned_container(
        testing.Container("workload", can_connect=True), LAYER, running=running, ready=ready
    )

    assert status_of(container) == expected
    assert container.get_check_info("svc-alive").status == ops.pebble.CheckStatus.UP


def test_with_check_changes_one_check():
    container = planned_container(testing.Container("workload", can_connect=True), LAYER)

    failing = with_check(container, "svc-ready", ops.pebble.CheckStatus.DOWN)

    assert failing.get_check_info("svc-ready").status == ops.pebble.CheckStatus.DOWN
    assert failing.get_check_info("svc-ready").threshold == 2
    assert failing.get_check_info("svc-alive") == container.get_check_info("svc-alive")


def test_service_environment_reads_the_plan():
    container = planned_container(testing.Container("workload", can_connect=True), LAYER)

    assert service_environment(testing.State(containers={container}), "workload", "svc") == {
        "LEVEL": "INFO"
    }


class HealthCharm(ops.CharmBase):
    """Reports the service's health, as the OSM charms do, on the check events."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        status = service_status(self.unit.get_container("workload"), "svc", "svc-ready")
        event.add_status(status or ops.ActiveStatus())


@pytest.mark.parametrize(
    ("status", "event", "expected"),
    [
        (
            ops.pebble.CheckStatus.DOWN,
            "workload_pebble_check_failed",
            ops.WaitingStatus("svc service is not ready: readiness check failing"),
        ),
        (ops.pebble.CheckStatus.UP, "workload_pebble_check_recovered", ops.ActiveStatus()),
    ],
)
def test_run_check_change_runs_the_check_event(status, event, expected):
    ctx = testing.Context(HealthCharm, meta=WORKLOAD_META)
    container = planned_container(testing.Container("workload", can_connect=True), LAYER)
    state = testing.State(containers={container})

    out = run_check_change(ctx, state, "workload", "svc-ready", status)

    assert [emitted.handle.kind for emitted in ctx.emitted_events] == [event]
    assert out.unit_status == expected
    assert out.get_container("workload").get_check_info("svc-ready").status == status


def test_exec_check_command_is_split_as_pebble_splits_it():
    layer = service_layer(
        "x",
        "svc",
        {"command": "x"},
        {
            "probe": exec_check(
                READY, "/bin/sh -c \"echo 'a b'\"", "svc", period="1s", threshold=1
            ),
            "port": tcp_check(ALIVE, 1, period="1s", threshold=1),
        },
    )

    assert exec_check_command(layer, "probe") == ["/bin/sh", "-c", "echo 'a b'"]
    with pytest.raises(ValueError, match="port is not an exec check"):
        exec_check_command(layer, "port")


def test_a_console_script_runs_under_its_name_until_the_block_ends(tmp_path):
    with console_script(tmp_path, "osm-x-server") as process:
        arguments = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert str(tmp_path / "osm-x-server").encode() in arguments

    assert process.poll() is not None


class ExecCharm(ops.CharmBase):
    """Runs `tool` on pebble-ready, its parameter in the environment."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.workload_pebble_ready, self._on_ready)

    def _on_ready(self, event: ops.PebbleReadyEvent) -> None:
        event.workload.exec(["tool", "--run"], environment={"PARAM": "value"}).wait()


class CommandsStandin:
    """A stand-in of the older kind: commands only."""

    def __init__(self) -> None:
        self.seen: list[tuple] = []

    def prepare(self, unit, container, root=None):
        return dataclasses.replace(container, execs={testing.Exec(["tool"])})

    def observe(self, unit, container, commands, root=None):
        self.seen.append((unit, commands))


class EnvironmentsStandin(CommandsStandin):
    """A stand-in that models what travels in the environment."""

    def observe(self, unit, container, commands, root=None, environments=None):
        self.seen.append((unit, commands, environments))


@pytest.mark.parametrize(
    ("standin", "seen"),
    [
        (CommandsStandin, (3, [["tool", "--run"]])),
        (EnvironmentsStandin, (3, [["tool", "--run"]], [{"PARAM": "value"}])),
    ],
)
def test_run_as_simulator_prepares_runs_and_tells_the_standin(standin, seen):
    ctx = testing.Context(ExecCharm, meta=WORKLOAD_META, unit_id=3)
    workload = standin()
    state = testing.State(containers={testing.Container("workload", can_connect=True)})

    # A container event names the prepared container: the trigger is a function of it.
    run_as_simulator(
        ctx, workload, state, lambda s: ctx.on.pebble_ready(s.get_container("workload")), 3
    )

    assert workload.seen == [seen]
    assert ctx.exec_history == {}
