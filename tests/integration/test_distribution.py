"""Deploy the branded CI distribution built by distro-builder and check that OSM works.

Charms come from `CHARMS_DIR` (a directory of packed `<charm>_ubuntu@24.04-amd64.charm`
files, as CI's pack job leaves them) or are packed here with charmcraft.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml
from pytest_operator.plugin import OpsTest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
OVERLAY = Path(__file__).parent / "overlays" / "ci-branding" / "overlay.yaml"
APPS = ["mongodb", "kafka", "nbi", "ro", "lcm", "mon", "pol", "ng-ui", "prometheus"]
PRODUCT_NAME = "CI Orchestrator"
DEPLOY_TIMEOUT = 60 * 60


async def packed_charms(ops_test: OpsTest) -> Path:
    """The directory of packed charms: CHARMS_DIR, or a fresh pack of every charm."""
    if given := os.environ.get("CHARMS_DIR"):
        return Path(given).resolve()
    target = ops_test.tmp_path / "charms"
    target.mkdir(exist_ok=True)
    for charmcraft in sorted(ROOT.glob("charms/osm-*/charmcraft.yaml")):
        built = await ops_test.build_charm(charmcraft.parent)
        built.rename(target / built.name)
    return target


def build_distribution(charm_dir: Path, output: Path) -> Path:
    """Run the real CLI, as a user would, and return the bundle it wrote."""
    command = [sys.executable, "-m", "distro_builder", "build", "--overlay", str(OVERLAY)]
    command += ["--set", f"charm_dir={charm_dir}", "--output", str(output)]
    subprocess.run(command, cwd=ROOT, check=True)
    return output / "bundle.yaml"


async def unit_address(ops_test: OpsTest, app: str) -> str:
    """The pod address of the first unit of `app`."""
    assert ops_test.model is not None
    status = await ops_test.model.get_status()
    units = status.applications[app].units
    return units[sorted(units)[0]].address


def http_get(url: str) -> str:
    """GET `url` and return the body (raises on an HTTP error)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


@pytest.mark.abort_on_fail
async def test_deploy_distribution(ops_test: OpsTest) -> None:
    charm_dir = await packed_charms(ops_test)
    bundle = build_distribution(charm_dir, ops_test.tmp_path / "dist")
    assert ops_test.model is not None

    returncode, stdout, stderr = await ops_test.juju("deploy", str(bundle), "--trust")
    assert returncode == 0, stdout + stderr

    await ops_test.model.wait_for_idle(
        apps=APPS, status="active", timeout=DEPLOY_TIMEOUT, idle_period=60, raise_on_error=False
    )
    for app in APPS:
        assert ops_test.model.applications[app].status == "active", app


async def test_every_bundle_relation_is_established(ops_test: OpsTest) -> None:
    assert ops_test.model is not None
    bundle = yaml.safe_load((ops_test.tmp_path / "dist" / "bundle.yaml").read_text())
    established = [
        {f"{ep.application_name}:{ep.name}" for ep in relation.endpoints}
        for relation in ops_test.model.relations
    ]
    for pair in bundle["relations"]:
        # A side written without an endpoint (`kafka`) is left to Juju's inference.
        assert any(all(matches(side, ends) for side in pair) for ends in established), pair


def matches(side: str, endpoints: set[str]) -> bool:
    """Whether a bundle relation side (`app` or `app:endpoint`) names one of `endpoints`."""
    if ":" in side:
        return side in endpoints
    return any(endpoint.split(":")[0] == side for endpoint in endpoints)


async def test_nbi_answers_on_its_api(ops_test: OpsTest) -> None:
    address = await unit_address(ops_test, "nbi")
    assert "version" in http_get(f"http://{address}:9999/osm/version")


async def test_ng_ui_shows_the_vendor_branding(ops_test: OpsTest) -> None:
    address = await unit_address(ops_test, "ng-ui")
    assert "/_branding/branding.js" in http_get(f"http://{address}/index.html")
    assert PRODUCT_NAME in http_get(f"http://{address}/_branding/branding.js")


async def test_branding_change_is_live_without_restart(ops_test: OpsTest) -> None:
    assert ops_test.model is not None
    ui = ops_test.model.applications["ng-ui"]
    await ui.set_config({"branding-product-name": "Renamed Orchestrator"})
    await ops_test.model.wait_for_idle(apps=["ng-ui"], status="active", timeout=600)
    address = await unit_address(ops_test, "ng-ui")
    assert "Renamed Orchestrator" in http_get(f"http://{address}/_branding/branding.js")


async def test_ng_ui_blocks_without_nbi(ops_test: OpsTest) -> None:
    assert ops_test.model is not None
    await ops_test.model.applications["ng-ui"].remove_relation("nbi", "nbi:nbi")
    await ops_test.model.wait_for_idle(apps=["ng-ui"], status="blocked", timeout=600)
    unit = ops_test.model.applications["ng-ui"].units[0]
    assert unit.workload_status_message == "need nbi relation"
