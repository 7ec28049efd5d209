# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The rendered site checked by a real nginx: `nginx -t`, reloads, the atomic branding switch.

Skipped where nginx is not installed; see real_programs.py for what Debian's nginx leaves
out compared with the image's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from branding import Branding
from charms.osm_libs.v0.endpoint import Endpoint
from colours import normalise_colour
from helpers import SVG_LOGO, png
from logo import Logo
from nginx import nginx_error
from real_programs import (
    Nginx,
    free_port,
    get,
    headers,
    prune_branding,
    require_nginx,
    wait_until_served,
    write_site,
)
from workload import NgUiSettings, SitePaths, render
from workload_standins import RELOAD_REJECTED_STDERR, standin_nbi, write_ng_ui_page

# What nginx says of a site whose upstream does not resolve (`nginx -s reload` fails so):
# `nginx: [emerg] ...` before it opens its logs, `<date> <time> [emerg] <pid>#<tid>: ...` after.
HOST_NOT_FOUND = re.compile(
    r"^(?:nginx: |\d{4}/\d\d/\d\d \d\d:\d\d:\d\d )\[emerg\] (?:\d+#\d+: )?"
    r'host not found in upstream "[^"]+" in \S+:\d+$',
    re.MULTILINE,
)

ACME = Branding(
    product_name="ACME Orchestrator",
    primary_colour=normalise_colour("#c8102e"),
    logo=Logo(SVG_LOGO, "svg"),
)
ACME_PNG = Branding(
    product_name="ACME Orchestrator 2",
    primary_colour="teal",
    logo=Logo(png(4, 4, (0, 128, 128)), "png"),
)


@pytest.fixture
def nginx(tmp_path: Path) -> Nginx:
    """Nginx around the site file `site.conf`, everything under tmp_path."""
    return Nginx(require_nginx(), tmp_path / "nginx", tmp_path / "site.conf")


@pytest.fixture
def paths(tmp_path: Path) -> SitePaths:
    """The site's paths moved into tmp_path, on a free localhost port, the stand-in UI in."""
    html = tmp_path / "html"
    write_ng_ui_page(html, png(2, 2, (0, 161, 224)))
    branding = tmp_path / "branding"
    branding.mkdir()
    return SitePaths(
        listen=f"127.0.0.1:{free_port()}", html_root=str(html), branding_dir=str(branding)
    )


def settings(nbi: Endpoint, **changes) -> NgUiSettings:
    values = {
        "nbi": nbi,
        "max_body_size": 50,
        "log_level": "INFO",
        "branding": Branding(product_name="Open Source MANO"),
    }
    return NgUiSettings(**{**values, **changes})


def deploy(nginx: Nginx, paths: SitePaths, site_settings: NgUiSettings):
    """Render `site_settings` and write it as the charm pushes it; return the site."""
    site = render(site_settings, paths)
    write_site(site, nginx.site_file, Path(paths.branding_dir))
    return site


def base_url(paths: SitePaths) -> str:
    return f"http://{paths.listen}"


def port_of(paths: SitePaths) -> int:
    return int(paths.listen.rsplit(":", 1)[1])


# --- nginx -t -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nbi", "changes"),
    [
        (Endpoint("localhost", 9999), {}),
        (Endpoint("127.0.0.1", 8443), {"branding": ACME}),
        (Endpoint("localhost", 9999), {"branding": ACME_PNG, "max_body_size": 0}),
        (Endpoint("127.0.0.1", 1), {"max_body_size": 1024}),
        *[
            (Endpoint("localhost", 65535), {"log_level": level})
            for level in ("TRACE", "DEBUG", "WARN", "ERROR", "FATAL")
        ],
    ],
)
def test_nginx_accepts_the_rendered_site(nginx, paths, nbi, changes):
    deploy(nginx, paths, settings(nbi, **changes))

    result = nginx.test()

    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr


def test_nginx_refuses_a_site_whose_nbi_does_not_resolve_as_the_stand_in_says(nginx, paths):
    deploy(nginx, paths, settings(Endpoint("nbi.invalid", 9999)))

    result = nginx.test()

    assert result.returncode != 0
    assert HOST_NOT_FOUND.search(result.stderr), result.stderr
    assert HOST_NOT_FOUND.match(RELOAD_REJECTED_STDERR)
    assert nginx_error(result.stderr).startswith('host not found in upstream "nbi.invalid"')


# --- reloads --------------------------------------------------------------------------------


@pytest.fixture
def running(nginx, paths):
    """Nginx serving the default site in front of a stand-in NBI (version 16.0.1)."""
    with standin_nbi("16.0.1") as nbi_port:
        site = deploy(nginx, paths, settings(Endpoint("127.0.0.1", nbi_port)))
        with nginx.running(port_of(paths)):
            yield site


def test_reload_rejected_then_accepted(nginx, paths, running):
    url = f"{base_url(paths)}/osm/version"
    pid = nginx.master_pid()
    assert b'"16.0.1"' in get(url)[1]

    deploy(nginx, paths, settings(Endpoint("nbi.invalid", 9999)))
    rejected = nginx.reload_and_wait()

    assert rejected.returncode == 1
    assert HOST_NOT_FOUND.search(rejected.stderr), rejected.stderr
    assert b'"16.0.1"' in get(url)[1]  # still the old site

    with standin_nbi("16.0.2") as moved:
        deploy(nginx, paths, settings(Endpoint("127.0.0.1", moved)))
        accepted = nginx.reload_and_wait()

        assert accepted.returncode == 0, accepted.stderr
        wait_until_served(url, b'"16.0.2"')
    assert nginx.master_pid() == pid  # reloaded, not restarted


def test_new_branding_is_not_live_under_the_loaded_urls_until_the_reload(nginx, paths, running):
    index = f"{base_url(paths)}/"
    old_version = running.branding_version
    old_urls = [f"/_branding/{old_version}/{name}" for name in running.branding_files]
    old_served = {url: get(base_url(paths) + url) for url in old_urls}
    assert all(status == 200 for status, _ in old_served.values())

    new = deploy(nginx, paths, settings(Endpoint("127.0.0.1", 9), branding=ACME_PNG))
    # pushed, not yet reloaded: the open page's URLs serve what they did
    assert {url: get(base_url(paths) + url) for url in old_urls} == old_served
    assert old_version.encode() in get(index)[1]

    assert nginx.reload_and_wait().returncode == 0
    assert new.branding_version.encode() in get(index)[1]
    # The charm prunes on its next reconcile: until then a page fetched before still loads.
    assert {url: get(base_url(paths) + url) for url in old_urls} == old_served
    prune_branding(Path(paths.branding_dir), keep=new.branding_version)

    logo = f"{base_url(paths)}/_branding/{new.branding_version}/logo.png"
    assert get(logo) == (200, new.branding_files["logo.png"])
    assert all(get(base_url(paths) + url)[0] == 404 for url in old_urls)


def test_index_gets_the_branding_injected_and_the_assets_their_headers(nginx, paths, running):
    status, body = get(f"{base_url(paths)}/")
    version = running.branding_version

    assert status == 200
    head = f'<script src="/_branding/{version}/branding.js"></script></head>'
    assert head.encode() in body
    assert get(f"{base_url(paths)}/some/angular/route")[1] == body  # SPA fallback
    assert headers(f"{base_url(paths)}/index.html")["Cache-Control"] == "no-cache"
    asset = headers(f"{base_url(paths)}/_branding/{version}/branding.css")
    assert asset["Cache-Control"] == "public, max-age=31536000, immutable"
    assert asset["X-Content-Type-Options"] == "nosniff"
    assert asset["Content-Type"] == "text/css"
