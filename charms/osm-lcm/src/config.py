# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Typed configuration of the osm-lcm charm, mirroring charmcraft.yaml's options."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import ops
import yaml
from charms.osm_libs.v0.status import normalise_log_level
from charms.osm_libs.v0.vca import parse_model_configs
from literals import HELM_CA_CERTS_OPTION

VCA_MODEL_CONFIGS_OPTION = "vca-model-configs"
_PEM_CERTIFICATE = re.compile(
    r"-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----"
)
_PEM_LINE = 64
INVALID_CA_CERTS = (
    f"invalid {HELM_CA_CERTS_OPTION}: use PEM certificates (-----BEGIN CERTIFICATE----- ...)"
    " or their base64 encoding"
)


def _pem_certificates(text: str) -> str | None:
    """`text` as PEM certificates, one 64-column block each; None if it holds anything else."""
    blocks = []
    position = 0
    for match in _PEM_CERTIFICATE.finditer(text):
        if text[position : match.start()].strip():
            return None
        try:
            der = base64.b64decode("".join(match[1].split()), validate=True)
        except binascii.Error:
            return None
        body = base64.b64encode(der).decode()
        lines = [body[i : i + _PEM_LINE] for i in range(0, len(body), _PEM_LINE)]
        blocks.append(
            "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----"])
        )
        position = match.end()
    if not blocks or text[position:].strip():
        return None
    return "\n".join(blocks) + "\n"


def parse_ca_certs(value: str) -> str:
    """The `helm-ca-certs` option as PEM certificates ("" stays ""); ValueError otherwise.

    The certificates may be given as PEM or, as OSM's options often take certificates,
    base64-encoded PEM.
    """
    text = value.strip()
    if not text:
        return ""
    if "-----BEGIN" not in text:
        try:
            text = base64.b64decode("".join(text.split()), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(INVALID_CA_CERTS) from None
    certificates = _pem_certificates(text)
    if certificates is None:
        raise ValueError(INVALID_CA_CERTS)
    return certificates


_HOST = re.compile(r"[^\s,/]+")
_MAX_PORT = 65535


@dataclass(frozen=True)
class CharmConfig:
    """The charm's options, validated; `log_level` is normalised to upper case.

    The secrets (`database_commonkey`, `vca_secret`, `vca_cacert`) are read by the charm;
    here they are only checked to be set where needed. `helm_ca_certs` becomes PEM
    certificates, one normalised block each.
    """

    log_level: str = "INFO"
    database_commonkey: ops.Secret | None = None
    helm_stable_repo_url: str = "https://charts.helm.sh/stable"
    helm_ca_certs: str = ""
    vca_host: str = ""
    vca_port: int = 17070
    vca_user: str = "admin"
    vca_secret: ops.Secret | None = None
    vca_cacert: ops.Secret | None = None
    vca_pubkey: str = ""
    vca_cloud: str = ""
    vca_k8s_cloud: str = ""
    vca_apiproxy: str = ""
    vca_model_configs: str = ""
    model_configs: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Validate every option; raise ValueError with a message naming the option."""
        object.__setattr__(self, "log_level", normalise_log_level(self.log_level))
        url = urlsplit(self.helm_stable_repo_url)
        if self.helm_stable_repo_url and (url.scheme not in ("http", "https") or not url.netloc):
            raise ValueError(
                f"invalid helm-stable-repo-url {self.helm_stable_repo_url!r}: use an http(s) URL"
            )
        object.__setattr__(self, "helm_ca_certs", parse_ca_certs(self.helm_ca_certs))
        if self.vca_host:
            self._check_external_vca()
        object.__setattr__(self, "model_configs", self._parse_model_configs())

    def _check_external_vca(self) -> None:
        """With vca-host set, the other options an external controller needs must be valid."""
        if not _HOST.fullmatch(self.vca_host):
            raise ValueError(f"invalid vca-host {self.vca_host!r}: use a host name or address")
        if not 0 < self.vca_port <= _MAX_PORT:
            raise ValueError(f"invalid vca-port {self.vca_port}: use 1 to {_MAX_PORT}")
        required = {
            "vca-user": bool(self.vca_user),
            "vca-secret": self.vca_secret is not None,
            "vca-pubkey": bool(self.vca_pubkey),
            "vca-cacert": self.vca_cacert is not None,
        }
        unset = [option for option, given in required.items() if not given]
        if unset:
            raise ValueError(f"vca-host is set: also set {', '.join(unset)}")
        if not self.vca_cloud and not self.vca_k8s_cloud:
            raise ValueError("vca-host is set: also set vca-cloud or vca-k8s-cloud")

    def _parse_model_configs(self) -> dict[str, str]:
        """The `vca-model-configs` mapping, or ValueError naming the option."""
        try:
            loaded = yaml.safe_load(self.vca_model_configs) if self.vca_model_configs else {}
        except yaml.YAMLError:
            raise ValueError(f"invalid {VCA_MODEL_CONFIGS_OPTION}: not YAML") from None
        return parse_model_configs(loaded, VCA_MODEL_CONFIGS_OPTION)
