"""Build the branded CI distribution, deploy it with `distro-builder deploy`, check OSM works.

Charms come from `CHARMS_DIR` (the CI pack job's artifact: `<charm>_amd64.charm` files), else
`distro-builder pack` packs them (on Ubuntu, or with LXD or Multipass). Everything Juju reads
is written under `build/integration/` in this checkout: the strictly confined juju snap
cannot read /tmp (pytest's base temp) nor hidden directories. The model is pytest-operator's
(`--model NAME` to name it, as the workflow does).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shlex
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_operator.plugin import OpsTest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "integration"
OVERLAY = Path(__file__).parent / "overlays" / "ci-branding"
DIST = WORK / "dist" / "ci-osm"
PRODUCT_NAME = "CI Orchestrator"
DEPLOY_TIMEOUT = 60 * 60
IDLE_TIMEOUT = 15 * 60
NBI_PORT = 9999
ADMIN = {"username": "admin", "password": "admin"}  # upstream's first login
KAFKA_BIN = "/opt/kafka/bin"


async def run_cli(*args: str, timeout: float = DEPLOY_TIMEOUT) -> tuple[int, str]:
    """Run `distro-builder ARGS` as a user would, without blocking pytest-operator's loop."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "distro_builder", *args,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), timeout)
    text = output.decode(errors="replace")
    print(text)
    assert process.returncode is not None
    return process.returncode, text


async def charms_dir() -> Path:
    """The packed charms: CHARMS_DIR, else a fresh `distro-builder pack`."""
    if given := os.environ.get("CHARMS_DIR"):
        return Path(given).resolve()
    target = WORK / "charms"
    code, output = await run_cli("pack", "--overlay", str(OVERLAY), "--output", str(target))
    assert code == 0, output
    return target


def bundle() -> dict[str, Any]:
    return yaml.safe_load((DIST / "bundle.yaml").read_text())


async def unit_address(ops_test: OpsTest, app: str) -> str:
    """The pod address of the first unit of `app`."""
    assert ops_test.model is not None
    status = await ops_test.model.get_status()
    units = status.applications[app].units
    return units[sorted(units)[0]].address


def http(url: str, *, data: dict[str, Any] | None = None, token: str | None = None) -> bytes:
    """GET (or POST `data` as JSON) and return the body; raises on an HTTP error."""
    headers = {"Accept": "application/json"}
    body = None
    if data is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(data).encode()
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


async def in_container(ops_test: OpsTest, unit: str, container: str, script: str) -> str:
    """Run a shell script in a unit's workload container; return its output."""
    code, out, err = await ops_test.juju("ssh", "--container", container, unit, "sh", "-c", script)
    assert code == 0, f"{unit}/{container}: {err.strip()}"
    return out


async def in_charm(ops_test: OpsTest, unit: str, script: str) -> str:
    """Run a shell script in a unit's charm container, with the hook tools."""
    code, out, err = await ops_test.juju("exec", "--unit", unit, "--", "sh", "-c", script)
    assert code == 0, f"{unit}: {err.strip()}"
    return out


@pytest.mark.abort_on_fail
async def test_build_and_deploy_with_distro_builder(ops_test: OpsTest) -> None:
    charms = await charms_dir()
    code, output = await run_cli(
        "build", "--overlay", str(OVERLAY), "--charms-dir", str(charms), "--output", str(DIST)
    )
    assert code == 0, output
    assert not any(part.startswith(".") for part in DIST.relative_to(ROOT).parts)
    lock = yaml.safe_load((DIST / "distro.lock").read_text())
    assert not [app for app, charm in lock["charms"].items() if charm.get("missing")]

    assert ops_test.model is not None
    code, output = await run_cli(
        "deploy", str(DIST),
        "--controller", ops_test.controller_name,
        "--model", ops_test.model_name,
        "--timeout", str(DEPLOY_TIMEOUT),
    )  # fmt: skip
    assert code == 0, output
    assert "every application is active and idle" in output


async def test_every_application_is_active_and_idle(ops_test: OpsTest) -> None:
    assert ops_test.model is not None
    apps = list(bundle()["applications"])
    await ops_test.model.wait_for_idle(apps=apps, status="active", timeout=IDLE_TIMEOUT)
    for app in apps:
        application = ops_test.model.applications[app]
        assert application.status == "active", app
        assert all(unit.agent_status == "idle" for unit in application.units), app


async def test_every_bundle_relation_is_established(ops_test: OpsTest) -> None:
    assert ops_test.model is not None
    established = [
        {f"{endpoint.application_name}:{endpoint.name}" for endpoint in relation.endpoints}
        for relation in ops_test.model.relations
    ]
    for pair in bundle()["relations"]:
        # A side written without an endpoint (`kafka`) is left to Juju's inference.
        assert any(all(matches(side, ends) for side in pair) for ends in established), pair


def matches(side: str, endpoints: set[str]) -> bool:
    """Whether a bundle relation side (`app` or `app:endpoint`) names one of `endpoints`."""
    if ":" in side:
        return side in endpoints
    return any(endpoint.split(":")[0] == side for endpoint in endpoints)


async def nbi_token(ops_test: OpsTest) -> tuple[str, str]:
    """NBI's base URL and a token for upstream's first admin login."""
    base = f"http://{await unit_address(ops_test, 'nbi')}:{NBI_PORT}/osm"
    answer = json.loads(http(f"{base}/admin/v1/tokens", data=ADMIN))
    assert answer.get("id"), "NBI issued no token"
    return base, answer["id"]


async def test_nbi_issues_a_token_and_lists_vim_accounts(ops_test: OpsTest) -> None:
    base, token = await nbi_token(ops_test)
    accounts = json.loads(http(f"{base}/admin/v1/vim_accounts", token=token))
    assert isinstance(accounts, list)


async def test_ng_ui_serves_the_vendor_name_and_logo(ops_test: OpsTest) -> None:
    base = f"http://{await unit_address(ops_test, 'ng-ui')}"
    assert b"/_branding/branding.js" in http(f"{base}/index.html")
    assert PRODUCT_NAME.encode() in http(f"{base}/_branding/branding.js")
    assert http(f"{base}/_branding/logo.svg") == (OVERLAY / "logo.svg").read_bytes()


async def test_a_branding_change_is_live_without_a_pod_restart(ops_test: OpsTest) -> None:
    assert ops_test.model is not None
    # A restarted pod has a new address and a new PID 1 (Pebble) start time.
    started = "cut -d' ' -f22 /proc/1/stat"
    before = (
        await unit_address(ops_test, "ng-ui"),
        await in_container(ops_test, "ng-ui/0", "ng-ui", started),
    )
    await ops_test.model.applications["ng-ui"].set_config(
        {"branding-product-name": "Renamed Orchestrator"}
    )
    await ops_test.model.wait_for_idle(apps=["ng-ui"], status="active", timeout=IDLE_TIMEOUT)
    after = (
        await unit_address(ops_test, "ng-ui"),
        await in_container(ops_test, "ng-ui/0", "ng-ui", started),
    )
    assert after == before
    assert b"Renamed Orchestrator" in http(f"http://{after[0]}/_branding/branding.js")


async def test_kafka_gives_back_a_message_produced_to_its_endpoint(ops_test: OpsTest) -> None:
    topic = f"integration-{secrets.token_hex(4)}"
    message = f"hello from the integration test {secrets.token_hex(4)}"
    server = "kafka-0.kafka-endpoints:9092"  # the endpoint the charm hands its clients
    produce = (
        f"printf '%s\\n' {shlex.quote(message)} | {KAFKA_BIN}/kafka-console-producer.sh "
        f"--bootstrap-server {server} --topic {topic}"
    )
    await in_container(ops_test, "kafka/0", "kafka", produce)
    consume = (
        f"{KAFKA_BIN}/kafka-console-consumer.sh --bootstrap-server {server} --topic {topic} "
        "--from-beginning --max-messages 1 --timeout-ms 60000"
    )
    assert message in await in_container(ops_test, "kafka/0", "kafka", consume)


async def test_rotated_mongodb_credentials_reach_nbi(ops_test: OpsTest) -> None:
    """MongoDB's leader rotates NBI's password (the action): NBI runs with it, and works.

    The password is made inside the unit and travels only in the client's secret; only
    digests of the URI leave the units.
    """
    assert ops_test.model is not None
    relation = next(
        r for r in ops_test.model.relations
        if {f"{e.application_name}:{e.name}" for e in r.endpoints} >= {"nbi:mongodb"}
    )  # fmt: skip
    secret_id = await nbi_user_secret(ops_test, relation.id)
    digest = f"secret-get --peek {secret_id} uris | tr -d '\\n' | sha256sum"
    before = await in_charm(ops_test, "mongodb/leader", digest)
    code, out, err = await ops_test.juju(
        "run", "mongodb/leader", "rotate-client-credentials", "application=nbi",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    [answer] = json.loads(out).values()
    assert answer["results"]["rotated"] == f"nbi (relation {relation.id})"
    await ops_test.model.wait_for_idle(
        apps=["mongodb", "nbi"], status="active", timeout=IDLE_TIMEOUT
    )
    after = await in_charm(ops_test, "mongodb/leader", digest)
    assert after != before, "the URIs of the client's secret did not change"
    running = (
        "for p in /proc/[0-9]*; do grep -qa osm_nbi.nbi $p/cmdline 2>/dev/null && "
        "{ tr '\\0' '\\n' < $p/environ | sed -n 's/^OSMNBI_DATABASE_URI=//p' | tr -d '\\n' "
        "| sha256sum; break; }; done"
    )
    assert await in_container(ops_test, "nbi/0", "nbi", running) == after
    await nbi_token(ops_test)  # and NBI still works with them


async def nbi_user_secret(ops_test: OpsTest, relation_id: int) -> str:
    """The id of the secret the MongoDB leader answered the request of `relation_id` with.

    Its user is `relation-<id>-<request id>` (`relation-<id>` for a v0 client).
    """
    ids = (await in_charm(ops_test, "mongodb/leader", "secret-ids")).split()
    user = f"relation-{relation_id}"
    for secret_id in ids:
        name = await in_charm(
            ops_test, "mongodb/leader", f"secret-get --peek {secret_id} username || true"
        )
        if name.strip() == user or name.strip().startswith(f"{user}-"):
            return secret_id
    raise AssertionError(f"no secret of the MongoDB leader answers relation {relation_id}")


async def test_ng_ui_blocks_without_nbi_and_recovers(ops_test: OpsTest) -> None:
    assert ops_test.model is not None
    ui = ops_test.model.applications["ng-ui"]
    await ui.remove_relation("nbi", "nbi:nbi")
    await ops_test.model.wait_for_idle(apps=["ng-ui"], status="blocked", timeout=IDLE_TIMEOUT)
    assert ui.units[0].workload_status_message == "need nbi relation"
    await ops_test.model.integrate("ng-ui:nbi", "nbi:nbi")
    await ops_test.model.wait_for_idle(apps=["ng-ui"], status="active", timeout=IDLE_TIMEOUT)
