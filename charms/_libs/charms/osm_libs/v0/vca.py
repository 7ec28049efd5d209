# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The upstream `osm-vca` interface, requirer side: the Juju controller (VCA) of VNF charms.

Upstream's osm-vca-integrator publishes plain keys in its application databag:
`endpoints`, `user`, `secret` (the password), `public-key` and `cacert`, all mandatory;
at least one cloud, `lxd-cloud` (with `lxd-credentials`) or `k8s-cloud` (with
`k8s-credentials`); and `model-configs`, a JSON mapping of Juju model-config keys.
LCM deploys VNF charms on that controller; MON asks it for their state.

`read_settings` is the reader of an `AppDataRequirer` (`charms.osm_libs.v0.app_data`);
`parse_model_configs` also checks model configs given as a charm option.

    self._vca = AppDataRequirer(self, "vca", read_settings)
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

LIBID = "ec492e4c36e241a484200552a2dd777e"
LIBAPI = 0
LIBPATCH = 1

MANDATORY_KEYS = ("endpoints", "user", "secret", "public-key", "cacert")
CLOUD_KEYS = ("lxd-cloud", "k8s-cloud")
MODEL_CONFIGS_KEY = "model-configs"
RELATION_MODEL_CONFIGS = "vca relation model-configs"

_MODEL_CONFIG_KEY = re.compile(r"[a-z0-9]+([-_][a-z0-9]+)*")


@dataclass(frozen=True)
class VcaSettings:
    """How to reach the controller; `secret` (the password) and `cacert` are sensitive."""

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


def read_settings(databag: Mapping[str, str]) -> VcaSettings | None:
    """The controller in an osm-vca provider's databag; None while the data is incomplete.

    Raises:
        ValueError: the databag's `model-configs` is not a JSON mapping of model configs.
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
