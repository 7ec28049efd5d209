# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The branding as a browser shows it: real nginx and Chromium, stand-in NG-UI page and NBI.

A real nginx serves the charm's site in front of the stand-in NG-UI page and NBI, and
headless Chromium looks at it.

Skipped where nginx or Chromium is not installed. Screenshots are kept in
`build/test-artefacts/` of the charm (gitignored); their paths are printed (`pytest -s`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from branding import Branding
from charms.osm_libs.v0.endpoint import Endpoint
from helpers import SVG_LOGO, png
from logo import Logo
from real_programs import (
    Chromium,
    Nginx,
    free_port,
    get,
    prune_branding,
    require_chromium,
    require_nginx,
    wait_until_served,
    write_site,
)
from workload import NgUiSettings, Site, SitePaths, render
from workload_standins import OSM_LOGO_PATH, OSM_PRIMARY, standin_nbi, write_ng_ui_page

ARTEFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artefacts"
NBI_VERSION = "16.0.1+standin"
ACME = Branding(
    product_name="ACME Orchestrator", primary_colour="#c8102e", logo=Logo(SVG_LOGO, "svg")
)
ACME_RED = "rgb(200, 16, 46)"
REBRANDED = Branding(
    product_name="ACME Orchestrator Teal",
    primary_colour="teal",
    logo=Logo(png(24, 24, (0, 128, 128)), "png"),
)
TEAL = "rgb(0, 128, 128)"

# What the page shows, once the stand-in app has rendered and the NBI has answered.
SHOWN = """(async () => {
  const logo = document.querySelector("header img");
  const button = document.querySelector(".btn-primary");
  const icon = document.querySelector('link[rel~="icon"]');
  const logoAnswer = await fetch(logo.src, {cache: "no-store"});
  return {
    title: document.title,
    logo: new URL(logo.src).pathname,
    logoLoaded: logo.complete && logo.naturalWidth > 0,
    logoStatus: logoAnswer.status,
    logoType: logoAnswer.headers.get("Content-Type"),
    icon: icon && new URL(icon.href).pathname,
    colour: getComputedStyle(button).backgroundColor,
    nbi: document.getElementById("nbi-version").textContent,
  };
})()"""
RENDERED = (
    "document.querySelector('header img') !== null"
    " && document.getElementById('nbi-version').textContent !== 'unknown'"
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    """One headless Chromium for the module's tests."""
    binary = require_chromium()
    chromium = Chromium(binary, tmp_path_factory.mktemp("chromium") / "profile")
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def ui(tmp_path: Path) -> Iterator[tuple[Nginx, SitePaths, int]]:
    """Nginx (not yet started), the site's paths in tmp_path, and a stand-in NBI's port."""
    nginx = Nginx(require_nginx(), tmp_path / "nginx", tmp_path / "site.conf")
    html = tmp_path / "html"
    write_ng_ui_page(html, png(24, 24, (0, 161, 224)))
    branding_dir = tmp_path / "branding"
    branding_dir.mkdir()
    paths = SitePaths(f"127.0.0.1:{free_port()}", str(html), str(branding_dir))
    with standin_nbi(NBI_VERSION) as nbi_port:
        yield nginx, paths, nbi_port


def deploy(nginx: Nginx, paths: SitePaths, nbi_port: int, branding: Branding) -> Site:
    """Render the site for `branding` and write it as the charm pushes it."""
    settings = NgUiSettings(
        nbi=Endpoint("127.0.0.1", nbi_port), max_body_size=50, log_level="INFO", branding=branding
    )
    site = render(settings, paths)
    write_site(site, nginx.site_file, Path(paths.branding_dir))
    return site


def look(browser: Chromium, url: str, title: str) -> dict[str, object]:
    """Open `url`, wait until the page shows `title` and has rendered, return what it shows."""
    browser.open(url)
    browser.wait_for(f"{RENDERED} && document.title === {json.dumps(title)}", f"title {title}")
    browser.wait_for("document.querySelector('header img').complete", "the logo to load")
    return browser.evaluate(SHOWN)


def keep_screenshot(browser: Chromium, name: str) -> Path:
    path = browser.screenshot(ARTEFACTS / name)
    print(f"screenshot: {path}")
    return path


def test_without_branding_the_page_is_osm_s(browser, ui):
    nginx, paths, nbi_port = ui
    deploy(nginx, paths, nbi_port, Branding(product_name="Open Source MANO"))

    with nginx.running(int(paths.listen.rsplit(":", 1)[1])):
        shown = look(browser, f"http://{paths.listen}/", "Open Source MANO")

    assert shown["logo"] == f"/{OSM_LOGO_PATH}"
    assert shown["logoLoaded"] is True
    assert shown["colour"] == OSM_PRIMARY
    assert shown["nbi"] == NBI_VERSION


def test_the_vendor_s_branding_shows_and_a_live_change_needs_no_restart(browser, ui):
    nginx, paths, nbi_port = ui
    url = f"http://{paths.listen}/"
    site = deploy(nginx, paths, nbi_port, ACME)

    with nginx.running(int(paths.listen.rsplit(":", 1)[1])):
        pid = nginx.master_pid()
        shown = look(browser, url, "ACME Orchestrator")
        keep_screenshot(browser, "ng-ui-branding-acme.png")

        assert shown == {
            "title": "ACME Orchestrator",
            "logo": f"/_branding/{site.branding_version}/logo.svg",
            "logoLoaded": True,
            "logoStatus": 200,
            "logoType": "image/svg+xml",
            "icon": f"/_branding/{site.branding_version}/logo.svg",
            "colour": ACME_RED,
            "nbi": NBI_VERSION,
        }

        # Live change: render, push, reload, prune, as the charm does; nginx keeps running.
        new = deploy(nginx, paths, nbi_port, REBRANDED)
        # Before the reload the open page still loads its (SVG) logo.
        assert get(f"http://{paths.listen}{shown['logo']}") == (200, SVG_LOGO)
        reloaded = nginx.reload_and_wait()
        assert reloaded.returncode == 0, reloaded.stderr
        wait_until_served(url, new.branding_version.encode())
        prune_branding(Path(paths.branding_dir), keep=new.branding_version)

        rebranded = look(browser, url, "ACME Orchestrator Teal")
        keep_screenshot(browser, "ng-ui-branding-rebranded.png")

        assert nginx.master_pid() == pid
    assert rebranded["logo"] == f"/_branding/{new.branding_version}/logo.png"
    assert rebranded["logoLoaded"] is True
    assert rebranded["logoType"] == "image/png"
    assert rebranded["colour"] == TEAL
    assert rebranded["nbi"] == NBI_VERSION
