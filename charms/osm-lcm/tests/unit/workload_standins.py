# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Stand-ins for the LCM image: how LCM and the programs it runs read the charm's plan.

Tests only. From the sources of LCM and of the programs it runs, so that the tests (and a
later offline simulator) check the plan against what the image does with it:

- `lcm_config`: LCM's configuration as `osm_lcm/lcm.py` (`Lcm.read_config_file`) builds
  it from `OSMLCM_<SUBJECT>_<ITEM>`: `ro` and `vca` become `RO`/`VCA`; an item `port`
  (or any `timeout` item) is converted with `int()`; everything else stays a string.
  `helm_ca_certs` is not among what LCM uses: only the Release 18 image's start script
  reads `OSMLCM_VCA_HELM_CA_CERTS`, and the charm does not run it.
- `tls_trust_file`: the CA file a TLS client in the container trusts. Helm (Go,
  `crypto/x509/root_unix.go`) and Python's `ssl` (OpenSSL's default verify paths) read
  `SSL_CERT_FILE` instead of the system bundle when it is set; `requests` reads
  `REQUESTS_CA_BUNDLE` (else its own certifi bundle).
- `juju_bool`: how Juju's model config reads a boolean given as a string
  (`juju/schema` `Bool().Coerce`: `strconv.ParseBool`), which N2VC forwards the
  `OSMLCM_VCA_MODEL_CONFIG_*` strings to.
- `SYSTEM_CA_BUNDLE`: the image's own bundle (Ubuntu's ca-certificates), with a sample
  content for the tests.
- `Workload`, for the simulator (`distro-builder simulate` loads it from this file): the
  image's CA bundle in each container (a mount, which outlasts a hook); after it, per unit,
  LCM's configuration as it reads it (`configs`) and the CA certificates helm trusts
  (`helm_trusts`).
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from ops import testing
from osm_charm_testing import planned_environment

SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
SYSTEM_CA_CONTENT = (
    "-----BEGIN CERTIFICATE-----\n"
    "U3lzdGVtIHJvb3QgQ0EgaW4gdGhlIGltYWdl\n"
    "-----END CERTIFICATE-----\n"
)
_INT_ITEMS = ("port",)
_PARSE_BOOL = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}


def lcm_config(environment: Mapping[str, str]) -> dict[str, dict[str, object]]:
    """LCM's configuration from `environment`, as `Lcm.read_config_file` reads it."""
    config: dict[str, dict[str, object]] = {}
    for name, value in environment.items():
        if not name.startswith("OSMLCM_"):
            continue
        subject, _, item = name[7:].lower().partition("_")
        if not item:
            continue
        if subject in ("ro", "vca"):
            subject = subject.upper()
        converted = int(value) if item in _INT_ITEMS or subject == "timeout" else value
        config.setdefault(subject, {})[item] = converted
    return config


def tls_trust_file(environment: Mapping[str, str], client: str) -> str | None:
    """The CA file `client` (`helm`, `python-ssl` or `requests`) trusts; None: its own."""
    if client == "requests":
        return environment.get("REQUESTS_CA_BUNDLE")
    return environment.get("SSL_CERT_FILE") or SYSTEM_CA_BUNDLE


def juju_bool(value: str) -> bool:
    """A model-config boolean given as a string, as Juju reads it; ValueError if it cannot."""
    if value not in _PARSE_BOOL:
        raise ValueError(f"not a Juju boolean: {value!r}")
    return _PARSE_BOOL[value]


class Workload:
    """The LCM workload as the simulator drives it: the image's files, what LCM reads."""

    def __init__(self, root: Path | None = None) -> None:
        """The image's files live under `root` (a directory of the stand-in's own if None)."""
        self._directory = tempfile.TemporaryDirectory(prefix="osm-lcm-") if root is None else None
        base = Path(self._directory.name) if self._directory else Path(str(root))
        certs = base / "certs"
        certs.mkdir(parents=True, exist_ok=True)
        (certs / PurePosixPath(SYSTEM_CA_BUNDLE).name).write_text(SYSTEM_CA_CONTENT)
        # The image's certificate directory, read-only to the charm: one for every unit.
        self._certs = testing.Mount(
            location=str(PurePosixPath(SYSTEM_CA_BUNDLE).parent), source=certs
        )
        self.configs: dict[int, dict[str, dict[str, object]]] = {}
        self.helm_trusts: dict[int, str] = {}

    def prepare(
        self, unit: int, container: testing.Container, root: Path | None = None
    ) -> testing.Container:
        """`container` with the image's own CA bundle in it."""
        del unit, root
        if container.name != "lcm":
            return container
        return dataclasses.replace(
            container, mounts={**container.mounts, "image-certs": self._certs}
        )

    def observe(
        self,
        unit: int,
        container: testing.Container,
        commands: list[list[str]],
        root: Path | None = None,
    ) -> None:
        """Record what LCM reads and which certificates helm trusts after the unit's hook."""
        del commands
        environment = planned_environment(container, "lcm")
        if container.name != "lcm" or environment is None or root is None:
            return
        self.configs[unit] = lcm_config(environment)
        trusted = str(tls_trust_file(environment, "helm"))
        if trusted == SYSTEM_CA_BUNDLE:
            self.helm_trusts[unit] = SYSTEM_CA_CONTENT
        else:
            path = root / trusted.lstrip("/")
            self.helm_trusts[unit] = path.read_text() if path.is_file() else ""
