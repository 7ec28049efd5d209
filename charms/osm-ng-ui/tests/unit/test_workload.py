# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The nginx site configuration and the proxy-target check."""

from __future__ import annotations

import pytest
from branding import Branding
from charms.osm_libs.v0.endpoint import Endpoint
from workload import NgUiSettings, SitePaths, is_valid_host, is_valid_nbi, render


def settings(**changes) -> NgUiSettings:
    """Settings as a default deployment has them, with `changes`."""
    values = {
        "nbi": Endpoint("nbi", 9999),
        "max_body_size": 50,
        "log_level": "INFO",
        "branding": Branding(product_name="Open Source MANO"),
    }
    return NgUiSettings(**{**values, **changes})


@pytest.mark.parametrize("host", ["nbi", "nbi.osm.svc.cluster.local", "10.0.0.7", "nbi-0"])
def test_service_names_and_addresses_are_valid_proxy_targets(host):
    assert is_valid_host(host)


@pytest.mark.parametrize("host", ["", "nbi;", "nbi 80", "nbi}", "-nbi", "nbi.", "a" * 254, "n'bi"])
def test_anything_that_could_break_the_nginx_configuration_is_not(host):
    assert not is_valid_host(host)


@pytest.mark.parametrize(("port", "valid"), [(1, True), (65535, True), (0, False), (65536, False)])
def test_nbi_port_must_be_in_range(port, valid):
    assert is_valid_nbi(Endpoint("nbi", port)) is valid


def test_site_config_injects_the_versioned_branding_into_index_html_only():
    site = render(settings())

    index_block = site.config.split("location = /index.html {", 1)[1].split("}", 1)[0]
    version = site.branding_version
    assert "sub_filter '</head>'" in index_block
    assert f'href="/_branding/{version}/branding.css"' in index_block
    assert f'src="/_branding/{version}/branding.js"' in index_block
    assert 'add_header Cache-Control "no-cache";' in index_block
    assert site.config.count("sub_filter '</head>'") == 1


def test_branding_assets_are_served_immutable_without_sniffing_or_scripts():
    config = render(settings()).config

    branding_block = config.split("location /_branding/ {", 1)[1].split("}", 1)[0]
    assert "alias /srv/branding/;" in branding_block
    assert "immutable" in branding_block
    assert 'add_header X-Content-Type-Options "nosniff";' in branding_block
    assert "default-src 'none'" in branding_block


def test_paths_move_only_what_they_name():
    paths = SitePaths(listen="127.0.0.1:8080", html_root="/tmp/html", branding_dir="/tmp/b")

    moved = render(settings(), paths).config
    default = render(settings()).config

    assert moved.replace("127.0.0.1:8080", "80").replace("/tmp/html", "/usr/share/nginx/html") == (
        default.replace("/srv/branding", "/tmp/b")
    )


def test_the_digest_follows_the_site():
    assert render(settings()).digest == render(settings()).digest
    assert render(settings()).digest != render(settings(max_body_size=0)).digest
    assert render(settings()).digest != (
        render(settings(branding=Branding(product_name="ACME"))).digest
    )
