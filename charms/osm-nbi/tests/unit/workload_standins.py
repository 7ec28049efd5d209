# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Stand-ins for the NBI image: how the NBI reads the charm's plan (tests only).

From the NBI's sources (and CherryPy's), so that the tests (and a later offline simulator)
check the plan against what the NBI does with it:

- `nbi_config`: the NBI's configuration from `OSMNBI_<SECTION>_<KEY>` as
  `osm_nbi/nbi.py` (`_start_service`) reads it: `server`, `test`, `auth` and `log` go to
  CherryPy's globals as `<section>.<key>` strings; the engine's sections (`message`,
  `database`, `storage`, `authentication`) take strings, but `port` and `db_port`, which
  go through `int()`. `prometheus` is modelled as one of them, as upstream's charms
  (G2, G3) and image assume; the 2019-2020 `nbi.py` available here does not list it, and
  such an NBI keeps nbi.cfg's `prometheus:9090` whatever the charm sets.
- `serves_test_api`: `nbi.py`'s `/test` URL is refused when `server.enable_test` is
  falsy or a string equal to `false` in any case (`Server.test`); `nbi.cfg` enables it.
- `serves_tls`: CherryPy wraps its server in TLS only when `server.ssl_certificate` is
  set and not empty (`cherrypy/_cpwsgi_server.py`); `nbi.cfg` sets one.
- `prometheus_url`: where the NBI's PM jobs API queries Prometheus
  (`osm_nbi/pmjobs_topics.py`: `http://{host}:{port}`, from `engine.py`'s
  `config["prometheus"]`); `nbi.cfg`'s defaults are `prometheus` and 9090.
- `Workload`, for the simulator (`distro-builder simulate` loads it from this file): after
  each hook it records, per unit, the NBI's configuration as it reads it (`configs`).
"""

from __future__ import annotations

from collections.abc import Mapping

from osm_charm_testing import EnvironmentReader

NBI_CFG = {
    "global": {
        "server.enable_test": True,
        "server.ssl_certificate": "./http/cert.pem",
        "server.ssl_private_key": "./http/privkey.pem",
    },
    "prometheus": {"host": "prometheus", "port": 9090},
}
_GLOBAL_SECTIONS = ("server", "test", "auth", "log")
_ENGINE_SECTIONS = ("message", "database", "storage", "authentication", "prometheus")


def nbi_config(environment: Mapping[str, str]) -> dict[str, dict[str, object]]:
    """The NBI's configuration: nbi.cfg's (the keys above), overridden by `environment`."""
    config = {section: dict(values) for section, values in NBI_CFG.items()}
    for name, value in environment.items():
        if not name.startswith("OSMNBI_"):
            continue
        section, _, key = name[7:].lower().partition("_")
        if not key:
            continue
        if section in _GLOBAL_SECTIONS:
            config["global"][f"{section}.{key}"] = value
        elif section in _ENGINE_SECTIONS:
            converted = int(value) if key in ("port", "db_port") else value
            config.setdefault(section, {})[key] = converted
    return config


def serves_test_api(config: Mapping[str, Mapping[str, object]]) -> bool:
    """Whether the NBI serves its /test URL with `config`."""
    value = config["global"].get("server.enable_test")
    return bool(value) and not (isinstance(value, str) and value.lower() == "false")


def serves_tls(config: Mapping[str, Mapping[str, object]]) -> bool:
    """Whether CherryPy serves the NBI over TLS with `config`."""
    return bool(config["global"].get("server.ssl_certificate"))


def prometheus_url(config: Mapping[str, Mapping[str, object]]) -> str:
    """The Prometheus the NBI's PM jobs API queries with `config`."""
    prometheus = config["prometheus"]
    return f"http://{prometheus['host']}:{prometheus['port']}"


class Workload(EnvironmentReader):
    """The NBI workload as the simulator drives it: what the NBI reads, per unit."""

    container = "nbi"
    service = "nbi"

    def __init__(self) -> None:
        self.configs: dict[int, dict[str, dict[str, object]]] = {}

    def read(self, unit: int, environment: Mapping[str, str]) -> None:
        """Record the configuration the NBI reads after the unit's hook."""
        self.configs[unit] = nbi_config(environment)
