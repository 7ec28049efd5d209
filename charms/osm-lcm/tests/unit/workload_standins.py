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
"""

from __future__ import annotations

from collections.abc import Mapping

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
