"""The charm's pure logic: config, workload command and layer, members, roles."""

from __future__ import annotations

import base64
import string

import ops
import pytest
import workload
from config import CharmConfig
from replica_set import planned_members
from roles import user_roles

A, B, C, D = "a:27017", "b:27017", "c:27017", "d:27017"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cache_size_gb": 0.1}, "invalid cache-size-gb 0.1: use 0 (automatic) or 0.25 to 10000"),
        ({"cache_size_gb": -1.0}, "invalid cache-size-gb -1.0"),
        ({"cache_size_gb": 10001.0}, "invalid cache-size-gb 10001.0"),
        ({"log_verbosity": -1}, "invalid log-verbosity -1: use 0 to 5"),
        ({"log_verbosity": 6}, "invalid log-verbosity 6"),
    ],
)
def test_invalid_options_name_the_option(options, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        CharmConfig(**options)


@pytest.mark.parametrize(
    "options", [{}, {"cache_size_gb": 0.25}, {"cache_size_gb": 10000.0}, {"log_verbosity": 5}]
)
def test_valid_options(options):
    assert CharmConfig(**options)


@pytest.mark.parametrize(
    ("config", "extra"),
    [
        (CharmConfig(), []),
        (CharmConfig(cache_size_gb=1.5), ["--wiredTigerCacheSizeGB=1.5"]),
        (CharmConfig(cache_size_gb=2), ["--wiredTigerCacheSizeGB=2"]),
        (CharmConfig(log_verbosity=3), ["-vvv"]),
    ],
)
def test_mongod_command(config, extra):
    expected = [
        "mongod",
        "--bind_ip_all",
        "--port=27017",
        "--dbpath=/data/db",
        "--replSet=rs",
        "--keyFile=/etc/mongod/keyfile",
        "--auth",
        *extra,
    ]
    assert workload.mongod_command(config, "rs").split() == expected


def test_layer_runs_mongod_as_its_user_with_checks():
    layer = ops.pebble.Layer(workload.layer(CharmConfig(), "rs"))

    service = layer.services["mongod"]
    assert (service.user, service.group, service.startup) == ("mongodb", "mongodb", "enabled")
    assert service.override == "replace"
    assert service.on_check_failure == {"mongod-alive": "restart"}
    ready, alive = layer.checks["mongod-ready"], layer.checks["mongod-alive"]
    assert (ready.level, ready.tcp) == (ops.pebble.CheckLevel.READY, {"port": 27017})
    assert alive.level == ops.pebble.CheckLevel.ALIVE
    assert alive.exec is not None
    assert "ping" in alive.exec.get("command", "")
    assert alive.exec.get("service-context") == "mongod"


def test_member_host_is_the_pod_behind_the_headless_service():
    assert workload.member_host("osm-db/12", "osm-db") == "osm-db-12.osm-db-endpoints:27017"


def test_client_uri_lists_members_database_and_auth_source():
    uri = workload.client_uri("relation-3", "p@ss/word", [A, B], "osm", "rs")

    assert uri == (
        "mongodb://relation-3:p%40ss%2Fword@a:27017,b:27017/osm?replicaSet=rs&authSource=admin"
    )


def test_generated_passwords_are_random_and_uri_safe():
    first, second = workload.generate_password(), workload.generate_password()

    assert first != second
    assert len(first) == workload.PASSWORD_LENGTH
    assert set(first) <= set(string.ascii_letters + string.digits)


def test_generated_keyfile_fits_mongod_limits():
    keyfile = workload.generate_keyfile()

    assert 6 <= len(keyfile) <= 1024
    assert base64.b64decode(keyfile)
    assert keyfile != workload.generate_keyfile()


@pytest.mark.parametrize(
    ("current", "units", "ready", "expected"),
    [
        pytest.param([A], {A}, {A}, [A], id="one-member"),
        pytest.param([A], {A, B, C}, {A, C, B}, [A, B, C], id="ready-units-join-sorted"),
        pytest.param([A], {A, B}, {A}, [A], id="unready-unit-waits"),
        pytest.param([A, B], {A, B}, {A}, [A, B], id="unready-member-stays"),
        pytest.param([A, B, C], {A, C}, {A, C}, [A, C], id="gone-unit-leaves"),
        pytest.param([B, A], {A, B, D}, {D}, [B, A, D], id="order-kept"),
        pytest.param([], {A}, {A}, [A], id="empty"),
        pytest.param([A], {A}, {A, D}, [A], id="ready-host-without-unit"),
    ],
)
def test_planned_members(current, units, ready, expected):
    assert planned_members(current, units, ready) == expected


@pytest.mark.parametrize(
    ("extra", "roles"),
    [
        (None, [("readWrite", "osm")]),
        ("", [("readWrite", "osm")]),
        ("readWrite", [("readWrite", "osm")]),
        ("read, dbAdmin", [("readWrite", "osm"), ("read", "osm"), ("dbAdmin", "osm")]),
        (
            "admin",
            [
                ("readWrite", "osm"),
                ("readWriteAnyDatabase", "admin"),
                ("dbAdminAnyDatabase", "admin"),
                ("userAdminAnyDatabase", "admin"),
                ("clusterMonitor", "admin"),
            ],
        ),
        (
            "monitor,backup",
            [("readWrite", "osm"), ("clusterMonitor", "admin"), ("backup", "admin")],
        ),
    ],
)
def test_user_roles(extra, roles):
    assert [(r["role"], r["db"]) for r in user_roles("osm", extra)] == roles


@pytest.mark.parametrize(
    ("database", "extra", "message"),
    [
        ("osm", "root", "unknown role 'root'"),
        ("osm", "admin,superuser", "unknown role 'superuser'"),
        ("", None, "invalid database name ''"),
        ("a.b", None, "invalid database name 'a.b'"),
        ("admin", None, "invalid database name 'admin'"),
        ("x" * 64, None, "invalid database name"),
    ],
)
def test_rejected_requests(database, extra, message):
    with pytest.raises(ValueError, match=message):
        user_roles(database, extra)
