"""charms.osm_libs.v0.secret_option: reading `type: secret` options."""

from __future__ import annotations

import dataclasses

import ops
import pytest
from charms.osm_libs.v0.secret_option import commonkey, commonkey_in_use, secret_option_value
from ops import testing

META = {"name": "component"}
CONFIG = {"options": {"database-commonkey": {"type": "secret"}}}


@dataclasses.dataclass(frozen=True)
class Options:
    database_commonkey: ops.Secret | None = None


class ComponentCharm(ops.CharmBase):
    """Has a `database-commonkey` option and nothing else."""


@pytest.fixture
def ctx() -> testing.Context[ComponentCharm]:
    return testing.Context(ComponentCharm, meta=META, config=CONFIG)


def read(ctx: testing.Context[ComponentCharm], state: testing.State) -> str | None:
    """`commonkey()` of the option, read inside a dispatch."""
    with ctx(ctx.on.update_status(), state) as manager:
        return commonkey(manager.charm.load_config(Options).database_commonkey)


def test_unset_option_reads_none(ctx):
    assert read(ctx, testing.State()) is None


def test_latest_revision_is_read(ctx):
    secret = testing.Secret(
        tracked_content={"commonkey": "old"}, latest_content={"commonkey": "new"}
    )
    state = testing.State(secrets={secret}, config={"database-commonkey": secret.id})

    assert read(ctx, state) == "new"


def test_missing_secret_is_an_error_naming_the_option(ctx):
    secret = testing.Secret({"commonkey": "k"})
    state = testing.State(config={"database-commonkey": secret.id})

    with pytest.raises(ValueError, match=r"^database-commonkey: secret not found or not granted"):
        read(ctx, state)


@pytest.mark.parametrize("content", [{"other": "k"}, {"commonkey": ""}])
def test_missing_key_is_an_error_naming_option_and_key(ctx, content):
    secret = testing.Secret(content)
    state = testing.State(secrets={secret}, config={"database-commonkey": secret.id})

    with pytest.raises(ValueError, match=r"^database-commonkey: secret has no 'commonkey' value$"):
        read(ctx, state)


def test_any_option_and_key(ctx):
    secret = testing.Secret({"password": "pw"})
    state = testing.State(secrets={secret}, config={"database-commonkey": secret.id})
    with ctx(ctx.on.update_status(), state) as manager:
        value = secret_option_value(
            manager.charm.load_config(Options).database_commonkey, "vca-secret", "password"
        )

    assert value == "pw"


def test_error_never_quotes_the_content(ctx):
    secret = testing.Secret({"wrong-key": "hunter2"})
    state = testing.State(secrets={secret}, config={"database-commonkey": secret.id})

    with pytest.raises(ValueError) as error:
        read(ctx, state)

    assert "hunter2" not in str(error.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"commonkey": "k3y"}, ("k3y", "")),
        (None, ("osm", "insecure default database-commonkey in use")),
    ],
    ids=["set", "unset"],
)
def test_the_commonkey_in_use_and_its_note(ctx, content, expected):
    secret = testing.Secret(content or {"unused": "x"})
    config = {"database-commonkey": secret.id} if content else {}
    state = testing.State(secrets={secret}, config=config)

    with ctx(ctx.on.update_status(), state) as manager:
        option = manager.charm.load_config(Options).database_commonkey
        in_use = commonkey_in_use(option)

    assert in_use == expected
