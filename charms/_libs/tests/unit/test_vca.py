# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""charms.osm_libs.v0.vca: the controller in an osm-vca databag."""

from __future__ import annotations

import json
import re

import pytest
from charms.osm_libs.v0.vca import VcaSettings, read_settings
from osm_charm_testing import VCA_DATA


def test_vca_relation_data_is_read():
    settings = read_settings(VCA_DATA)

    assert settings == VcaSettings(
        endpoints="10.0.0.10:17070",
        user="admin",
        secret=VCA_DATA["secret"],
        public_key="ssh-rsa AAAA juju-client-key",
        cacert=VCA_DATA["cacert"],
        lxd_cloud="lxd-cloud",
        k8s_cloud="microk8s",
        model_configs={"apt-http-proxy": "http://proxy:3128", "test-mode": "true"},
    )


@pytest.mark.parametrize("dropped", ["endpoints", "user", "secret", "public-key", "cacert"])
def test_vca_relation_data_without_a_mandatory_key_is_incomplete(dropped: str):
    data = {key: value for key, value in VCA_DATA.items() if key != dropped}

    assert read_settings(data) is None


def test_vca_relation_data_without_any_cloud_is_incomplete():
    data = {key: value for key, value in VCA_DATA.items() if not key.endswith("cloud")}

    assert read_settings(data) is None


def test_vca_relation_data_without_model_configs_has_none():
    data = {key: value for key, value in VCA_DATA.items() if key != "model-configs"}

    settings = read_settings(data)

    assert settings is not None
    assert settings.model_configs == {}


@pytest.mark.parametrize(
    ("model_configs", "message"),
    [
        ("{not json", "invalid vca relation model-configs: not JSON"),
        (json.dumps(["a"]), "invalid vca relation model-configs: use a mapping"),
    ],
)
def test_malformed_vca_model_configs_are_rejected(model_configs: str, message: str):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        read_settings({**VCA_DATA, "model-configs": model_configs})
