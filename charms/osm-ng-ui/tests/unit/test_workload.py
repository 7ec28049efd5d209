# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The nginx site configuration and the proxy-target check."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from charms.osm_libs.v0.endpoint import Endpoint
from workload import is_valid_host, site_config


@pytest.mark.parametrize("host", ["nbi", "nbi.osm.svc.cluster.local", "10.0.0.7", "nbi-0"])
def test_service_names_and_addresses_are_valid_proxy_targets(host):
    assert is_valid_host(host)


@pytest.mark.parametrize("host", ["", "nbi;", "nbi 80", "nbi}", "-nbi", "nbi.", "a" * 254, "n'bi"])
def test_anything_that_could_break_the_nginx_configuration_is_not(host):
    assert not is_valid_host(host)


def test_site_config_injects_branding_into_index_html_only():
    config = site_config(Endpoint("nbi", 9999), 50, "INFO", "0123456789ab")

    index_block = config.split("location = /index.html {", 1)[1].split("}", 1)[0]
    assert "sub_filter '</head>'" in index_block
    assert 'href="/_branding/branding.css?v=0123456789ab"' in index_block
    assert 'src="/_branding/branding.js?v=0123456789ab"' in index_block
    assert 'add_header Cache-Control "no-cache";' in index_block
    assert config.count("sub_filter '</head>'") == 1


def test_branding_assets_are_served_without_sniffing_or_scripts():
    config = site_config(Endpoint("nbi", 9999), 50, "INFO", "v")

    branding_block = config.split("location /_branding/ {", 1)[1].split("}", 1)[0]
    assert "alias /srv/branding/;" in branding_block
    assert 'add_header X-Content-Type-Options "nosniff";' in branding_block
    assert "default-src 'none'" in branding_block


@pytest.mark.skipif(shutil.which("nginx") is None, reason="needs an nginx binary")
@pytest.mark.parametrize("level", ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"])
def test_nginx_accepts_the_site_configuration(tmp_path, level):
    site = tmp_path / "site.conf"
    # nginx resolves the proxy target when it loads the configuration: use one that resolves.
    site.write_text(site_config(Endpoint("localhost", 9999), 0, level, "0123456789ab"))
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n  include {site};\n}}\n")

    result = subprocess.run(
        ["nginx", "-t", "-q", "-c", str(main), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
