# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The Juju controller (VCA) LCM deploys VNF charms with, and the environment it becomes.

The controller comes either from the `vca` relation (interface osm-vca, as upstream's
osm-vca-integrator publishes it in its application databag) or from the `vca-*` options.
Either way LCM's N2VC reads it from `OSMLCM_VCA_*` variables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# Upstream's osm-vca keys: all mandatory, plus at least one cloud.
MANDATORY_KEYS = ("endpoints", "user", "secret", "public-key", "cacert")
CLOUD_KEYS = ("lxd-cloud", "k8s-cloud")
MODEL_CONFIGS_KEY = "model-configs"
RELATION_MODEL_CONFIGS = "vca relation model-configs"

_MODEL_CONFIG_KEY = re.compile(r"[a-z0-9]+([-_][a-z0-9]+)*")


@dataclass(frozen=True)
class VcaSettings:
    """How LCM reaches the controller; `secret` (the password) and `cacert` are sensitive."""

    endpoints: str
    user: str
    secret: str = field(repr=False)
    public_key: str
    cacert: str = field(repr=False)
    lxd_cloud: str = ""
    k8s_cloud: str = ""
    api_proxy: str = ""
    model_configs: Mapping[str, str] = field(default_factory=dict)


def parse_model_configs(value: object, source: str) -> dict[str, str]:
    """Juju model-config keys mapped to their values as strings.

    Raises:
        ValueError: `value` is not a mapping of model-config keys to scalars; the message
            names `source`.
    """
    if not isinstance(value, dict):
        raise ValueError(f"invalid {source}: use a mapping of Juju model-config keys to values")
    configs: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not _MODEL_CONFIG_KEY.fullmatch(key):
            raise ValueError(f"invalid {source} key {key!r}: use a Juju model-config key")
        if isinstance(item, bool):
            configs[key] = "true" if item else "false"
        elif isinstance(item, (str, int, float)):
            configs[key] = str(item)
        else:
            raise ValueError(f"invalid {source} value of {key!r}: use a string, number or bool")
    return configs


def from_relation(databag: Mapping[str, str]) -> VcaSettings | None:
    """The controller published on the `vca` relation; None while the data is incomplete.

    Raises:
        ValueError: the relation's `model-configs` is not a JSON mapping of model configs.
    """
    if not all(databag.get(key) for key in MANDATORY_KEYS):
        return None
    if not any(databag.get(key) for key in CLOUD_KEYS):
        return None
    raw_configs = databag.get(MODEL_CONFIGS_KEY) or "{}"
    try:
        decoded = json.loads(raw_configs)
    except json.JSONDecodeError:
        raise ValueError(f"invalid {RELATION_MODEL_CONFIGS}: not JSON") from None
    return VcaSettings(
        endpoints=databag["endpoints"],
        user=databag["user"],
        secret=databag["secret"],
        public_key=databag["public-key"],
        cacert=databag["cacert"],
        lxd_cloud=databag.get("lxd-cloud", ""),
        k8s_cloud=databag.get("k8s-cloud", ""),
        model_configs=parse_model_configs(decoded, RELATION_MODEL_CONFIGS),
    )


def environment(prefix: str, settings: VcaSettings) -> dict[str, str]:
    """The `<prefix>_VCA_*` variables N2VC reads; optional ones only when set."""
    vca = f"{prefix}_VCA"
    variables = {
        f"{vca}_ENDPOINTS": settings.endpoints,
        f"{vca}_USER": settings.user,
        f"{vca}_SECRET": settings.secret,
        f"{vca}_PUBKEY": settings.public_key,
        f"{vca}_CACERT": settings.cacert,
    }
    optional = {
        f"{vca}_CLOUD": settings.lxd_cloud,
        f"{vca}_K8S_CLOUD": settings.k8s_cloud,
        f"{vca}_API_PROXY": settings.api_proxy,
    }
    variables.update({name: value for name, value in optional.items() if value})
    for key, value in settings.model_configs.items():
        variables[f"{vca}_MODEL_CONFIG_{key.upper().replace('-', '_')}"] = value
    return variables
