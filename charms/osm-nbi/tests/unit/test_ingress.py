# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The nginx-route request's databag."""

from __future__ import annotations

from ingress import RouteRequest

REQUEST = RouteRequest(
    hostname="nbi.example.com", service="nbi", namespace="osm", port=9999, max_body_size=20
)


def test_request_without_tls():
    assert REQUEST.databag() == {
        "service-hostname": "nbi.example.com",
        "service-name": "nbi",
        "service-namespace": "osm",
        "service-port": "9999",
        "max-body-size": "20",
    }


def test_request_with_tls_names_the_secret():
    request = RouteRequest(**{**REQUEST.__dict__, "tls_secret_name": "nbi-tls"})

    assert request.databag()["tls-secret-name"] == "nbi-tls"
