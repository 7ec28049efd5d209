"""mongosh writes nothing into the database's directory: not the checks', not the charm's.

The `mongo` image sets `HOME=/data/db` (and makes it the `mongodb` user's home), and mongosh
keeps its config and one log file per run under `$HOME/.mongodb/mongosh/`: every run of
the alive check (each 30 s) would leave a file in the data directory.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest
from builders import container, peers, state
from literals import CONTAINER
from ops import testing

DATA_DIR = PurePosixPath("/data")  # the image's volumes: /data/db and /data/configdb
MONGOSH = shutil.which("mongosh")


def outside_the_data_dir(path: str) -> bool:
    return DATA_DIR not in PurePosixPath(path).parents and PurePosixPath(path) != DATA_DIR


def mongosh_calls(ctx: testing.Context) -> list[testing.ExecArgs]:
    return [call for call in ctx.exec_history.get(CONTAINER, []) if call.command[0] == "mongosh"]


def test_the_alive_check_runs_mongosh_with_a_home_outside_the_data_dir(ctx):
    out = ctx.run(ctx.on.pebble_ready(fresh := container(planned=False)), state(container_=fresh))

    check = out.get_container(CONTAINER).plan.checks["mongod-alive"]
    assert check.exec is not None
    assert check.exec["command"].startswith("mongosh ")
    home = check.exec.get("environment", {}).get("HOME", "/data/db")
    assert outside_the_data_dir(home), home


def test_every_mongosh_exec_of_the_charm_runs_outside_the_data_dir(ctx):
    # A leader that initiates the set, then adds a member and creates client users.
    peer = peers(initiated=False, units=[1], ready_units=[1])
    ctx.run(ctx.on.update_status(), state(peer=peer))
    ctx.run(ctx.on.action("rs-status"), state())

    calls = mongosh_calls(ctx)
    assert len(calls) >= 3
    for call in calls:
        home = (call.environment or {}).get("HOME", "/data/db")
        assert outside_the_data_dir(home), (call.command[:3], home)
        assert call.user == "mongodb"  # the owner of that home, like the checks


def test_the_charm_prepares_a_mongosh_home_that_keeps_no_log(ctx):
    out = ctx.run(ctx.on.pebble_ready(fresh := container(planned=False)), state(container_=fresh))

    check = out.get_container(CONTAINER).plan.checks["mongod-alive"]
    assert check.exec is not None
    home = check.exec.get("environment", {})["HOME"]
    root = out.get_container(CONTAINER).get_filesystem(ctx)
    config = root / home.lstrip("/") / ".mongodb/mongosh/config"
    assert json.loads(config.read_text()) == {"disableLogging": True}


@pytest.mark.skipif(MONGOSH is None, reason="needs the real mongosh (npm install mongosh)")
@pytest.mark.parametrize("prepared", [True, False], ids=["charm-home", "bare-home"])
def test_the_real_mongosh_writes_no_log_in_the_prepared_home(tmp_path: Path, prepared: bool):
    """What the charm's home does to a real mongosh (2.4 or later), and without it."""
    import workload

    home = tmp_path / "home"
    if prepared:
        config = home / PurePosixPath(workload.MONGOSH_CONFIG_PATH).relative_to(
            workload.MONGOSH_HOME
        )
        config.parent.mkdir(parents=True)
        config.write_text(workload.MONGOSH_CONFIG)
    assert MONGOSH is not None
    for _ in range(3):  # three runs of the check: no server needed to set up the log
        subprocess.run(
            [MONGOSH, "--nodb", "--quiet", "--norc", "--eval", "1"],
            env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            check=True,
            timeout=60,
        )

    logs = sorted(path.name for path in home.rglob("*_log"))
    if prepared:
        assert logs == []
    else:
        assert len(logs) == 3  # one log file per run: what the data directory used to get
