# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The LCM Pebble layer: command, user, working directory, environment and checks."""

from __future__ import annotations

import dataclasses

import ops
import workload
from charms.osm_libs.v0.endpoint import Endpoint
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.vca import VcaSettings, parse_model_configs
from workload_standins import (
    SYSTEM_CA_BUNDLE,
    SYSTEM_CA_CONTENT,
    juju_bool,
    lcm_config,
    tls_trust_file,
)

SETTINGS = workload.LcmSettings(
    backends=OsmBackends("kafka-0.kafka-endpoints", 9092, "mongodb://u:p@m:27017/osm", "key"),
    log_level="DEBUG",
    ro=Endpoint("ro", 9090),
    helm_stable_repo_url="https://charts.example/stable",
    helm_ca_certs="",
)
COMPANY_CA = "-----BEGIN CERTIFICATE-----\nQ29tcGFueSBDQQ==\n-----END CERTIFICATE-----\n"
VCA = VcaSettings(
    endpoints="10.0.0.10:17070",
    user="admin",
    secret="pw",
    public_key="ssh-rsa AAAA",
    cacert="Y2E=",
    lxd_cloud="lxd-cloud",
    k8s_cloud="microk8s",
    api_proxy="10.0.0.1",
    model_configs={"apt-http-proxy": "http://proxy:3128"},
)


def test_environment_is_what_the_lcm_image_reads():
    assert workload.environment(SETTINGS) == {
        "OSMLCM_GLOBAL_LOGLEVEL": "DEBUG",
        "OSMLCM_MESSAGE_DRIVER": "kafka",
        "OSMLCM_MESSAGE_HOST": "kafka-0.kafka-endpoints",
        "OSMLCM_MESSAGE_PORT": "9092",
        "OSMLCM_DATABASE_DRIVER": "mongo",
        "OSMLCM_DATABASE_URI": "mongodb://u:p@m:27017/osm",
        "OSMLCM_DATABASE_COMMONKEY": "key",
        "OSMLCM_STORAGE_DRIVER": "mongo",
        "OSMLCM_STORAGE_PATH": "/app/storage",
        "OSMLCM_STORAGE_COLLECTION": "files",
        "OSMLCM_STORAGE_URI": "mongodb://u:p@m:27017/osm",
        "OSMLCM_RO_HOST": "ro",
        "OSMLCM_RO_PORT": "9090",
        "OSMLCM_RO_TENANT": "osm",
        "OSMLCM_VCA_STABLEREPOURL": "https://charts.example/stable",
    }


def test_lcm_reads_ports_as_numbers_and_the_rest_as_strings():
    config = lcm_config(workload.environment(SETTINGS))

    assert config["RO"] == {"host": "ro", "port": 9090, "tenant": "osm"}
    assert config["message"]["port"] == 9092
    assert config["database"]["commonkey"] == "key"


def test_model_config_booleans_reach_juju_as_booleans():
    configs = parse_model_configs({"test-mode": True, "enable-os-upgrade": False}, "test")
    vca = dataclasses.replace(VCA, model_configs=configs)
    env = workload.environment(dataclasses.replace(SETTINGS, vca=vca))

    assert juju_bool(env["OSMLCM_VCA_MODEL_CONFIG_TEST_MODE"]) is True
    assert juju_bool(env["OSMLCM_VCA_MODEL_CONFIG_ENABLE_OS_UPGRADE"]) is False


def test_without_helm_ca_certs_every_client_trusts_the_images_own_bundle():
    env = workload.environment(SETTINGS)

    assert tls_trust_file(env, "helm") == SYSTEM_CA_BUNDLE
    assert tls_trust_file(env, "requests") is None
    assert not any("HELM_CA_CERTS" in key for key in env)


def test_with_helm_ca_certs_helm_python_and_requests_trust_the_charms_bundle():
    env = workload.environment(dataclasses.replace(SETTINGS, helm_ca_certs=COMPANY_CA))

    for client in ("helm", "python-ssl", "requests"):
        assert tls_trust_file(env, client) == workload.CA_BUNDLE
    assert "OSMLCM_VCA_HELM_CA_CERTS" not in env  # only the image's start script read it


def test_the_bundle_adds_the_certificates_to_the_images_own():
    bundle = workload.ca_bundle(SYSTEM_CA_CONTENT, COMPANY_CA)

    assert bundle == SYSTEM_CA_CONTENT + COMPANY_CA
    assert workload.ca_bundle(SYSTEM_CA_CONTENT.rstrip("\n"), COMPANY_CA) == bundle
    assert workload.ca_bundle("", COMPANY_CA) == COMPANY_CA


def test_vca_adds_the_variables_n2vc_reads():
    env = workload.environment(dataclasses.replace(SETTINGS, vca=VCA))

    assert {key: value for key, value in env.items() if "_VCA_" in key} == {
        "OSMLCM_VCA_STABLEREPOURL": "https://charts.example/stable",
        "OSMLCM_VCA_ENDPOINTS": "10.0.0.10:17070",
        "OSMLCM_VCA_USER": "admin",
        "OSMLCM_VCA_SECRET": "pw",
        "OSMLCM_VCA_PUBKEY": "ssh-rsa AAAA",
        "OSMLCM_VCA_CACERT": "Y2E=",
        "OSMLCM_VCA_CLOUD": "lxd-cloud",
        "OSMLCM_VCA_K8S_CLOUD": "microk8s",
        "OSMLCM_VCA_API_PROXY": "10.0.0.1",
        "OSMLCM_VCA_MODEL_CONFIG_APT_HTTP_PROXY": "http://proxy:3128",
    }


def test_unset_optional_vca_variables_are_left_out():
    minimal = dataclasses.replace(VCA, k8s_cloud="", api_proxy="", model_configs={})

    env = workload.environment(dataclasses.replace(SETTINGS, vca=minimal))

    assert "OSMLCM_VCA_K8S_CLOUD" not in env
    assert "OSMLCM_VCA_API_PROXY" not in env
    assert env["OSMLCM_VCA_CLOUD"] == "lxd-cloud"


def test_vca_secrets_stay_out_of_repr():
    assert "pw" not in repr(VCA)
    assert "Y2E=" not in repr(VCA)


def test_service_runs_lcm_as_appuser_in_its_directory():
    service = ops.pebble.Layer(workload.layer(SETTINGS)).services["lcm"]

    assert service.override == "replace"
    assert service.command == "python3 -m osm_lcm.lcm"
    assert (service.user, service.group) == ("appuser", "appuser")
    assert service.working_dir == "/app/osm_lcm"
    assert service.startup == "enabled"
    assert service.environment == workload.environment(SETTINGS)
    assert service.on_check_failure == {"lcm-alive": "restart"}


def test_checks_run_upstreams_health_check_in_the_service_context():
    checks = ops.pebble.Layer(workload.layer(SETTINGS)).checks

    assert checks["lcm-ready"].level == ops.pebble.CheckLevel.READY
    assert checks["lcm-alive"].level == ops.pebble.CheckLevel.ALIVE
    for check in checks.values():
        assert check.exec == {"command": "python3 -m osm_lcm.lcm_hc", "service-context": "lcm"}
