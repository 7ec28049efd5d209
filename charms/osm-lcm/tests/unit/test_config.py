# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The typed config."""

from __future__ import annotations

import base64
import re
from typing import Any, cast

import ops
import pytest
from config import CharmConfig


def external_vca(**changes: Any) -> CharmConfig:
    """Config for an external controller; `changes` override single options."""
    secret = cast("ops.Secret", object())  # the config class only checks that it is set
    options: dict[str, Any] = {
        "vca_host": "10.0.0.10",
        "vca_secret": secret,
        "vca_cacert": secret,
        "vca_pubkey": "ssh-rsa AAAA",
        "vca_cloud": "lxd-cloud",
        **changes,
    }
    return CharmConfig(**options)


@pytest.mark.parametrize(("given", "expected"), [("info", "INFO"), ("Trace", "TRACE")])
def test_log_level_is_normalised(given: str, expected: str):
    assert CharmConfig(log_level=given).log_level == expected


@pytest.mark.parametrize("url", ["", "https://charts.helm.sh/stable", "http://10.0.0.1:8080/c"])
def test_helm_stable_repo_url_accepts_http_urls(url: str):
    assert CharmConfig(helm_stable_repo_url=url).helm_stable_repo_url == url


@pytest.mark.parametrize("url", ["charts.helm.sh", "ftp://charts", "https://"])
def test_helm_stable_repo_url_rejects_others(url: str):
    with pytest.raises(ValueError, match=r"^invalid helm-stable-repo-url"):
        CharmConfig(helm_stable_repo_url=url)


def test_complete_external_vca_is_accepted():
    assert external_vca().vca_host == "10.0.0.10"


def test_vca_options_without_vca_host_are_not_checked():
    assert CharmConfig(vca_port=0, vca_user="").vca_host == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"vca_host": "a b"}, "invalid vca-host 'a b'"),
        ({"vca_host": "http://x"}, "invalid vca-host 'http://x'"),
        ({"vca_port": 0}, "invalid vca-port 0"),
        ({"vca_port": 70000}, "invalid vca-port 70000"),
        ({"vca_secret": None}, "vca-host is set: also set vca-secret"),
        ({"vca_user": "", "vca_cacert": None}, "vca-host is set: also set vca-user, vca-cacert"),
        ({"vca_pubkey": ""}, "vca-host is set: also set vca-pubkey"),
        ({"vca_cloud": ""}, "vca-host is set: also set vca-cloud or vca-k8s-cloud"),
    ],
)
def test_incomplete_external_vca_is_rejected(changes: dict[str, Any], message: str):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        external_vca(**changes)


def test_k8s_cloud_alone_is_enough():
    assert external_vca(vca_cloud="", vca_k8s_cloud="microk8s").vca_k8s_cloud == "microk8s"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", {}),
        (
            "{apt-http-proxy: 'http://p:3128', automatically-retry-hooks: true}",
            {"apt-http-proxy": "http://p:3128", "automatically-retry-hooks": "true"},
        ),
        (
            '{"update-status-hook-interval": 5, "test_mode": false}',
            {"update-status-hook-interval": "5", "test_mode": "false"},
        ),
    ],
)
def test_vca_model_configs_are_parsed(value: str, expected: dict[str, str]):
    assert CharmConfig(vca_model_configs=value).model_configs == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{a: [", "invalid vca-model-configs: not YAML"),
        ("[1, 2]", "invalid vca-model-configs: use a mapping"),
        ("{Bad Key: 1}", "invalid vca-model-configs key 'Bad Key'"),
        ("{no-proxy: [a, b]}", "invalid vca-model-configs value of 'no-proxy'"),
    ],
)
def test_bad_vca_model_configs_are_rejected(value: str, message: str):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        CharmConfig(vca_model_configs=value)


COMPANY_CA = (
    "-----BEGIN CERTIFICATE-----\n"
    "Q29tcGFueSBDQSBmb3IgSGVsbSBjaGFydHM=\n"
    "-----END CERTIFICATE-----\n"
)
OTHER_CA = "-----BEGIN CERTIFICATE-----\nQW5vdGhlciBDQQ==\n-----END CERTIFICATE-----\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        (COMPANY_CA, COMPANY_CA),
        (f"  {COMPANY_CA}\n{OTHER_CA}\n", COMPANY_CA + OTHER_CA),
        (base64.b64encode(COMPANY_CA.encode()).decode(), COMPANY_CA),
    ],
    ids=["unset", "one", "two-with-blanks", "base64-encoded"],
)
def test_helm_ca_certs_are_pem_certificates(value: str, expected: str):
    assert CharmConfig(helm_ca_certs=value).helm_ca_certs == expected


@pytest.mark.parametrize(
    "value",
    [
        "bundle",
        "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nQ0E=\n",
        "-----BEGIN PRIVATE KEY-----\nQ0E=\n-----END PRIVATE KEY-----\n",
        COMPANY_CA + "trailing words",
    ],
    ids=["words", "bad-body", "unterminated", "a-key", "extra-text"],
)
def test_helm_ca_certs_that_are_not_certificates_are_rejected(value: str):
    with pytest.raises(ValueError, match=r"^invalid helm-ca-certs: use PEM certificates"):
        CharmConfig(helm_ca_certs=value)
