# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The osm-lcm charm's events, statuses, Pebble plan and secrets."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import ops
import pytest
from conftest import environment, ready_state, ro_relation, running_container
from literals import READY_CHECK
from ops import testing
from osm_charm_testing import (
    MONGODB_URI,
    PASSWORD,
    VCA_DATA,
    data_relations,
    rotate_mongodb_password,
    rotate_secret,
    run_check_change,
    vca_relation,
    withdraw_answer,
)
from workload_standins import SYSTEM_CA_BUNDLE, SYSTEM_CA_CONTENT, tls_trust_file

CONTAINER = testing.Container("lcm", can_connect=True)
ACTIVE_INSECURE = testing.ActiveStatus("insecure default database-commonkey in use")
MANDATORY = ("kafka", "mongodb", "ro")


def state_with(present: dict[str, bool], **changes: object) -> testing.State:
    """A state with the relations in `present`, each answered or not."""
    relations, secrets = data_relations(present.get("mongodb"), present.get("kafka"))
    if "ro" in present:
        relations.append(ro_relation(ready=present["ro"]))
    state = testing.State(containers={CONTAINER}, relations=relations, secrets=secrets)
    return dataclasses.replace(state, **changes)


# --- relations -----------------------------------------------------------------------------

MISSING_CASES = [subset for size in range(3) for subset in itertools.combinations(MANDATORY, size)]


@pytest.mark.parametrize("present", MISSING_CASES, ids=lambda names: "+".join(names) or "none")
def test_missing_mandatory_relations_block(ctx, present):
    missing = [name for name in MANDATORY if name not in present]
    noun = "relation" if len(missing) == 1 else "relations"

    out = ctx.run(ctx.on.config_changed(), state_with(dict.fromkeys(present, True)))

    assert out.unit_status == testing.BlockedStatus(f"need {', '.join(missing)} {noun}")
    assert out.get_container("lcm").plan.services == {}


WAITING_CASES = [
    subset for size in (1, 2, 3) for subset in itertools.combinations(MANDATORY, size)
]


@pytest.mark.parametrize("unanswered", WAITING_CASES, ids="+".join)
def test_relations_without_data_wait(ctx, unanswered):
    state = state_with({name: name not in unanswered for name in MANDATORY})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == testing.WaitingStatus(f"waiting for {', '.join(unanswered)} data")
    assert out.get_container("lcm").plan.services == {}


@pytest.mark.parametrize(
    "event", ["pebble_ready", "config_changed", "upgrade_charm", "leader_elected"]
)
def test_ready_relations_plan_the_service(ctx, event):
    trigger = (
        ctx.on.pebble_ready(CONTAINER) if event == "pebble_ready" else getattr(ctx.on, event)()
    )

    out = ctx.run(trigger, ready_state())

    env = environment(out)
    assert env["OSMLCM_DATABASE_URI"] == env["OSMLCM_STORAGE_URI"] == MONGODB_URI
    assert (env["OSMLCM_MESSAGE_HOST"], env["OSMLCM_MESSAGE_PORT"]) == (
        "kafka-0.kafka-endpoints",
        "9092",
    )
    assert (env["OSMLCM_RO_HOST"], env["OSMLCM_RO_PORT"]) == ("ro", "9090")
    assert not any(key.startswith("OSMLCM_VCA_ENDPOINTS") for key in env)
    assert out.get_container("lcm").service_statuses["lcm"] == ops.pebble.ServiceStatus.ACTIVE
    assert out.unit_status == ACTIVE_INSECURE


def test_ro_endpoint_change_replans(ctx):
    moved = dataclasses.replace(ro_relation(), remote_app_data={"host": "ro-b", "port": "9091"})
    state = ready_state(container=running_container())
    state = dataclasses.replace(
        state, relations={r for r in state.relations if r.endpoint != "ro"} | {moved}
    )

    out = ctx.run(ctx.on.relation_changed(moved), state)

    assert (environment(out)["OSMLCM_RO_HOST"], environment(out)["OSMLCM_RO_PORT"]) == (
        "ro-b",
        "9091",
    )


@pytest.mark.parametrize("endpoint", MANDATORY)
def test_broken_mandatory_relation_stops_the_service(ctx, endpoint):
    state = ready_state(container=running_container())
    broken = next(r for r in state.relations if r.endpoint == endpoint)

    out = ctx.run(ctx.on.relation_broken(broken), state)

    assert out.get_container("lcm").service_statuses["lcm"] == ops.pebble.ServiceStatus.INACTIVE
    assert out.unit_status == testing.BlockedStatus(f"need {endpoint} relation")


@pytest.mark.parametrize("endpoint", ["mongodb", "kafka"])
def test_provider_withdrawing_its_answer_stops_the_service(ctx, endpoint):
    state, withdrawn = withdraw_answer(ready_state(container=running_container()), endpoint)

    out = ctx.run(ctx.on.relation_changed(withdrawn), state)

    assert out.get_container("lcm").service_statuses["lcm"] == ops.pebble.ServiceStatus.INACTIVE
    assert out.unit_status == testing.WaitingStatus(f"waiting for {endpoint} data")


def test_mongodb_credential_rotation_replans_with_the_new_uri(ctx):
    state = ready_state(container=running_container())
    state, rotated = rotate_mongodb_password(state, "rotated-pass")

    out = ctx.run(ctx.on.secret_changed(rotated), state)

    rotated_uri = MONGODB_URI.replace(PASSWORD, "rotated-pass")
    assert environment(out)["OSMLCM_DATABASE_URI"] == rotated_uri
    assert environment(out)["OSMLCM_STORAGE_URI"] == rotated_uri


@pytest.mark.parametrize("leader", [True, False])
def test_leader_and_non_leader_run_the_service(ctx, leader):
    out = ctx.run(ctx.on.config_changed(), ready_state(leader=leader))

    assert out.get_container("lcm").service_statuses["lcm"] == ops.pebble.ServiceStatus.ACTIVE
    assert out.unit_status == ACTIVE_INSECURE


# --- the vca relation ----------------------------------------------------------------------


def test_vca_relation_configures_the_controller(ctx):
    vca = vca_relation()

    out = ctx.run(ctx.on.relation_changed(vca), ready_state(vca))

    env = environment(out)
    assert env["OSMLCM_VCA_ENDPOINTS"] == "10.0.0.10:17070"
    assert env["OSMLCM_VCA_SECRET"] == VCA_DATA["secret"]
    assert env["OSMLCM_VCA_CACERT"] == VCA_DATA["cacert"]
    assert env["OSMLCM_VCA_CLOUD"] == "lxd-cloud"
    assert env["OSMLCM_VCA_K8S_CLOUD"] == "microk8s"
    assert env["OSMLCM_VCA_MODEL_CONFIG_TEST_MODE"] == "true"
    assert out.unit_status == ACTIVE_INSECURE
    assert VCA_DATA["secret"] not in " ".join(line.message for line in ctx.juju_log)


def test_incomplete_vca_relation_waits_but_runs_lcm(ctx):
    vca = vca_relation({"endpoints": "10.0.0.10:17070"})

    out = ctx.run(ctx.on.relation_changed(vca), ready_state(vca))

    assert out.unit_status == testing.WaitingStatus("waiting for vca data")
    assert "OSMLCM_VCA_ENDPOINTS" not in environment(out)
    assert out.get_container("lcm").service_statuses["lcm"] == ops.pebble.ServiceStatus.ACTIVE


def test_malformed_vca_relation_blocks_but_runs_lcm(ctx):
    vca = vca_relation({**VCA_DATA, "model-configs": "{oops"})

    out = ctx.run(ctx.on.relation_changed(vca), ready_state(vca))

    assert out.unit_status == testing.BlockedStatus("invalid vca relation model-configs: not JSON")
    assert "OSMLCM_VCA_ENDPOINTS" not in environment(out)


def test_broken_vca_relation_drops_the_controller(ctx):
    vca = vca_relation()
    state = ready_state(vca, container=running_container())
    with_vca = ctx.run(ctx.on.relation_changed(vca), state)

    out = ctx.run(ctx.on.relation_broken(vca), with_vca)

    assert "OSMLCM_VCA_ENDPOINTS" not in environment(out)
    assert out.unit_status == ACTIVE_INSECURE


# --- config --------------------------------------------------------------------------------


def vca_secrets(password: str = "vca-pass", cacert: str = "Y2FjZXJ0") -> testing.Secret:
    return testing.Secret({"password": password, "cacert": cacert})


def external_vca_config(secret: testing.Secret, **changes: object) -> dict[str, object]:
    return {
        "vca-host": "10.0.0.20",
        "vca-port": 17071,
        "vca-secret": secret.id,
        "vca-cacert": secret.id,
        "vca-pubkey": "ssh-rsa BBBB",
        "vca-k8s-cloud": "microk8s",
        "vca-apiproxy": "10.0.0.1",
        "vca-model-configs": "{juju-no-proxy: 10.0.0.0/8}",
        **changes,
    }


def test_external_vca_options_configure_the_controller(ctx):
    secret = vca_secrets()
    state = ready_state(secrets=[secret], config=external_vca_config(secret))

    out = ctx.run(ctx.on.config_changed(), state)

    env = environment(out)
    assert env["OSMLCM_VCA_ENDPOINTS"] == "10.0.0.20:17071"
    assert env["OSMLCM_VCA_USER"] == "admin"
    assert env["OSMLCM_VCA_SECRET"] == "vca-pass"
    assert env["OSMLCM_VCA_CACERT"] == "Y2FjZXJ0"
    assert env["OSMLCM_VCA_PUBKEY"] == "ssh-rsa BBBB"
    assert env["OSMLCM_VCA_K8S_CLOUD"] == "microk8s"
    assert "OSMLCM_VCA_CLOUD" not in env
    assert env["OSMLCM_VCA_API_PROXY"] == "10.0.0.1"
    assert env["OSMLCM_VCA_MODEL_CONFIG_JUJU_NO_PROXY"] == "10.0.0.0/8"
    assert out.unit_status == ACTIVE_INSECURE
    assert "vca-pass" not in " ".join(line.message for line in ctx.juju_log)


def test_external_vca_password_rotation_replans(ctx):
    secret = vca_secrets()
    state = ready_state(
        container=running_container(), secrets=[secret], config=external_vca_config(secret)
    )
    state, rotated = rotate_secret(state, secret, {"password": "new", "cacert": "Y2E="})

    out = ctx.run(ctx.on.secret_changed(rotated), state)

    assert environment(out)["OSMLCM_VCA_SECRET"] == "new"
    assert environment(out)["OSMLCM_VCA_CACERT"] == "Y2E="


@pytest.mark.parametrize(
    ("content", "granted", "message"),
    [
        ({"password": "p", "cacert": "c"}, False, "vca-secret: secret not found or not granted"),
        ({"cacert": "c"}, True, "vca-secret: secret has no 'password' value"),
        ({"password": "p"}, True, "vca-cacert: secret has no 'cacert' value"),
    ],
)
def test_unreadable_vca_secrets_block(ctx, content, granted, message):
    secret = testing.Secret(content)
    state = ready_state(
        container=running_container(),
        secrets=[secret] if granted else [],
        config=external_vca_config(secret),
    )

    out = ctx.run(ctx.on.config_changed(), state)

    assert isinstance(out.unit_status, testing.BlockedStatus)
    assert out.unit_status.message.startswith(message)
    assert "OSMLCM_VCA_SECRET" not in environment(out)


def test_vca_options_and_relation_together_block(ctx):
    secret = vca_secrets()
    container = running_container()
    state = ready_state(
        vca_relation(), container=container, secrets=[secret], config=external_vca_config(secret)
    )

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == testing.BlockedStatus(
        "vca relation and vca-host option are both set: use one"
    )
    assert out.get_container("lcm").plan == container.plan


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"log-level": "verbose"}, "invalid log-level 'verbose'"),
        ({"helm-stable-repo-url": "charts"}, "invalid helm-stable-repo-url 'charts'"),
        ({"vca-host": "10.0.0.20"}, "vca-host is set: also set vca-secret, vca-pubkey"),
        ({"vca-model-configs": "[1]"}, "invalid vca-model-configs: use a mapping"),
    ],
)
def test_bad_config_blocks_and_leaves_the_service_alone(ctx, config, message):
    container = running_container()

    out = ctx.run(ctx.on.config_changed(), ready_state(container=container, config=config))

    assert isinstance(out.unit_status, testing.BlockedStatus)
    assert out.unit_status.message.startswith(message)
    assert out.get_container("lcm").plan == container.plan
    assert out.get_container("lcm").service_statuses["lcm"] == ops.pebble.ServiceStatus.ACTIVE


def test_helm_stable_repo_is_planned(ctx):
    config = {"helm-stable-repo-url": "https://charts.example/stable"}

    out = ctx.run(ctx.on.config_changed(), ready_state(config=config))

    assert environment(out)["OSMLCM_VCA_STABLEREPOURL"] == "https://charts.example/stable"


COMPANY_CA = "-----BEGIN CERTIFICATE-----\nQ29tcGFueSBDQQ==\n-----END CERTIFICATE-----\n"


def image_container(
    tmp_path: Path, system_bundle: str | None = SYSTEM_CA_CONTENT
) -> testing.Container:
    """The lcm container, holding the image's CA bundle unless `system_bundle` is None."""
    certs = tmp_path / "certs"
    certs.mkdir()
    if system_bundle is not None:
        (certs / Path(SYSTEM_CA_BUNDLE).name).write_text(system_bundle)
    mount = testing.Mount(location=str(Path(SYSTEM_CA_BUNDLE).parent), source=certs)
    return testing.Container("lcm", can_connect=True, mounts={"certs": mount})


def trusted(ctx, out: testing.State, client: str) -> str:
    """The CA certificates `client` trusts in the LCM container after `out`."""
    path = tls_trust_file(environment(out), client)
    assert path is not None
    root = out.get_container("lcm").get_filesystem(ctx)
    if path == SYSTEM_CA_BUNDLE:
        return SYSTEM_CA_CONTENT
    return (root / path.lstrip("/")).read_text()


@pytest.mark.parametrize("client", ["helm", "python-ssl", "requests"])
def test_helm_ca_certs_are_trusted_by_lcm_and_helm(ctx, tmp_path, client):
    state = ready_state(container=image_container(tmp_path), config={"helm-ca-certs": COMPANY_CA})

    out = ctx.run(ctx.on.config_changed(), state)

    assert trusted(ctx, out, client) == SYSTEM_CA_CONTENT + COMPANY_CA
    assert "OSMLCM_VCA_HELM_CA_CERTS" not in environment(out)
    assert out.unit_status.name == "active"


def test_an_image_without_a_ca_bundle_trusts_the_given_certificates(ctx, tmp_path):
    container = image_container(tmp_path, system_bundle=None)
    state = ready_state(container=container, config={"helm-ca-certs": COMPANY_CA})

    out = ctx.run(ctx.on.config_changed(), state)

    assert trusted(ctx, out, "helm") == COMPANY_CA


def test_without_helm_ca_certs_lcm_trusts_the_images_bundle(ctx, tmp_path):
    out = ctx.run(ctx.on.config_changed(), ready_state(container=image_container(tmp_path)))

    assert tls_trust_file(environment(out), "helm") == SYSTEM_CA_BUNDLE
    assert tls_trust_file(environment(out), "requests") is None


def test_new_helm_ca_certs_replace_the_old_in_the_bundle(ctx, tmp_path):
    first = ctx.run(
        ctx.on.config_changed(),
        ready_state(container=image_container(tmp_path), config={"helm-ca-certs": COMPANY_CA}),
    )
    other = COMPANY_CA.replace("Q29tcGFueSBDQQ==", "T3RoZXIgQ0E=")

    out = ctx.run(
        ctx.on.config_changed(), dataclasses.replace(first, config={"helm-ca-certs": other})
    )

    assert trusted(ctx, out, "helm") == SYSTEM_CA_CONTENT + other


def test_lcm_is_not_planned_before_its_ca_bundle_is_written(ctx, tmp_path, monkeypatch, caplog):
    def refuse(*_: object, **__: object) -> None:
        raise ops.pebble.PathError("permission-denied", "cannot write")

    monkeypatch.setattr(ops.Container, "push", refuse)
    state = ready_state(container=image_container(tmp_path), config={"helm-ca-certs": COMPANY_CA})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.get_container("lcm").layers == {}
    assert "could not write the CA bundle: permission-denied - cannot write" in caplog.messages


def test_invalid_helm_ca_certs_block_naming_the_option(ctx):
    container = running_container()
    state = ready_state(container=container, config={"helm-ca-certs": "bundle"})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == testing.BlockedStatus(
        "invalid helm-ca-certs: use PEM certificates (-----BEGIN CERTIFICATE----- ...)"
        " or their base64 encoding"
    )
    assert out.get_container("lcm").plan == container.plan


@pytest.mark.parametrize(
    ("level", "lcm_level"), [("trace", "DEBUG"), ("debug", "DEBUG"), ("Warn", "WARN")]
)
def test_log_level_is_planned_in_a_level_python_knows(ctx, level, lcm_level):
    out = ctx.run(ctx.on.config_changed(), ready_state(config={"log-level": level}))

    assert environment(out)["OSMLCM_GLOBAL_LOGLEVEL"] == lcm_level


def test_commonkey_secret_reaches_only_the_environment(ctx):
    secret = testing.Secret({"commonkey": "lcm-common-key"})
    state = ready_state(secrets=[secret], config={"database-commonkey": secret.id})

    out = ctx.run(ctx.on.config_changed(), state)

    assert environment(out)["OSMLCM_DATABASE_COMMONKEY"] == "lcm-common-key"
    assert out.unit_status == testing.ActiveStatus()
    assert "lcm-common-key" not in " ".join(line.message for line in ctx.juju_log)


def test_unset_commonkey_uses_the_insecure_default(ctx):
    out = ctx.run(ctx.on.config_changed(), ready_state())

    assert environment(out)["OSMLCM_DATABASE_COMMONKEY"] == "osm"
    assert out.unit_status == ACTIVE_INSECURE


def test_unreadable_commonkey_blocks(ctx):
    secret = testing.Secret({"other": "x"})
    state = ready_state(secrets=[secret], config={"database-commonkey": secret.id})

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == testing.BlockedStatus(
        "database-commonkey: secret has no 'commonkey' value"
    )
    assert out.get_container("lcm").plan.services == {}


# --- Pebble --------------------------------------------------------------------------------


def test_unreachable_pebble_waits(ctx):
    state = ready_state(container=testing.Container("lcm", can_connect=False))

    out = ctx.run(ctx.on.config_changed(), state)

    assert out.unit_status == testing.WaitingStatus("waiting for pebble to start")


def test_planned_service_that_does_not_run_blocks(ctx):
    container = running_container(running=False)

    out = ctx.run(ctx.on.update_status(), ready_state(container=container))

    assert out.unit_status == testing.BlockedStatus("lcm service is not running")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            ops.pebble.CheckStatus.DOWN,
            testing.WaitingStatus("lcm service is not ready: readiness check failing"),
        ),
        (ops.pebble.CheckStatus.UP, ACTIVE_INSECURE),
    ],
    ids=["failed", "recovered"],
)
def test_health_check_events(ctx, status, expected):
    state = ready_state(container=running_container())

    out = run_check_change(ctx, state, "lcm", READY_CHECK, status)

    assert out.unit_status == expected


# --- one shape: a bad option does not keep a service running without its relations ---------


@pytest.mark.parametrize("endpoint", MANDATORY)
def test_a_broken_relation_stops_lcm_even_with_a_bad_option(ctx, endpoint):
    state = ready_state(container=running_container(), config={"log-level": "loud"})
    relation = next(r for r in state.relations if r.endpoint == endpoint)

    out = ctx.run(ctx.on.relation_broken(relation), state)

    assert out.unit_status.message.startswith("invalid log-level 'loud'")
    assert out.get_container("lcm").service_statuses["lcm"] == ops.pebble.ServiceStatus.INACTIVE
