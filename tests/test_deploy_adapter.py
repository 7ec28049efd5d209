"""The thin adapter over libjuju's Model, with a stand-in for the Model object."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from juju.client._definitions import ListSecretResult
from juju.errors import JujuAPIError, JujuError

from distro_builder.deploy._adapter import RPC_LOGGER, DeployFailedError, JujuModel, unlogged
from distro_builder.deploy._plan import OptionState
from distro_builder.deploy._secrets import SecretState

RPC = logging.getLogger(RPC_LOGGER)


class Application:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.set: list[dict[str, str]] = []

    async def get_config(self) -> dict[str, Any]:
        return self.config

    async def set_config(self, options: dict[str, str]) -> None:
        self.set.append(options)


class Model:
    """What JujuModel calls on libjuju's Model, answering as libjuju does."""

    def __init__(self) -> None:
        self.applications = {
            "nbi": Application(
                {
                    "log-level": {
                        "type": "string",
                        "value": "DEBUG",
                        "default": "INFO",
                        "source": "user",
                    },
                    "database-commonkey": {"type": "secret", "source": "unset"},
                    "max-body-size": {"type": "int", "default": 20, "source": "default"},
                }
            )
        }
        self.secrets = [
            ListSecretResult.from_json(
                {
                    "uri": "secret:csk3",
                    "label": "ci-osm-commonkey",
                    "owner-tag": "model-5a1e",
                    "latest-revision": 1,
                    "version": 1,
                    "create-time": "2026-11-25T10:00:00Z",
                    "update-time": "2026-11-25T10:00:00Z",
                    "revisions": [],
                    "access": [
                        {
                            "target-tag": "application-nbi",
                            "scope-tag": "model-5a1e",
                            "role": "view",
                        },
                        {
                            "target-tag": "application-lcm",
                            "scope-tag": "model-5a1e",
                            "role": "view",
                        },
                    ],
                }
            ),
            ListSecretResult.from_json(
                {
                    "uri": "secret:charm1",
                    "label": "ci-osm-commonkey",
                    "owner-tag": "application-nbi",
                    "latest-revision": 1,
                    "version": 1,
                    "revisions": [],
                }
            ),
        ]
        self.added: list[tuple[str, list[str], str]] = []

    async def list_secrets(self) -> list[Any]:
        return self.secrets

    async def add_secret(
        self, name: str, data_args: list[str], file: str = "", info: str = ""
    ) -> str:
        # libjuju logs every request it sends at DEBUG, content included.
        RPC.debug("connection id: 1 ---> %s", data_args)
        self.added.append((name, data_args, info))
        return "secret:new1"

    async def get_status(self) -> Any:
        raise JujuAPIError({"error": "permission denied", "response": {}, "request-id": 1})


def test_a_user_secret_is_found_by_name_with_its_grants():
    adapter = JujuModel(Model(), "lab:ci-osm", created=False)
    found = asyncio.run(adapter.find_secret("ci-osm-commonkey"))
    assert found == SecretState("ci-osm-commonkey", "secret:csk3", ("nbi", "lcm"))
    assert asyncio.run(adapter.find_secret("other")) == SecretState("other")


def test_creating_a_secret_logs_nothing_of_it(caplog):
    caplog.set_level(logging.DEBUG)
    model = Model()
    adapter = JujuModel(model, "lab:ci-osm", created=False)
    uri = asyncio.run(adapter.create_secret("k", {"commonkey": "s3cr3t-value"}, "the key"))
    assert uri == "secret:new1"
    assert model.added == [("k", ["commonkey=s3cr3t-value"], "the key")]
    assert "s3cr3t-value" not in caplog.text
    assert not RPC.disabled
    RPC.debug("after: logged again")
    assert "after: logged again" in caplog.text


def test_configs_are_types_and_effective_values():
    adapter = JujuModel(Model(), "lab:ci-osm", created=False)
    configs = asyncio.run(adapter.application_configs(["nbi", "absent"]))
    assert configs == {
        "nbi": {
            "log-level": OptionState("string", "DEBUG"),
            "database-commonkey": OptionState("secret", None),
            "max-body-size": OptionState("int", 20),
        }
    }


def test_libjuju_errors_become_one_line_environment_errors():
    adapter = JujuModel(Model(), "lab:ci-osm", created=False)
    with pytest.raises(DeployFailedError) as raised:
        asyncio.run(adapter.full_status())
    assert str(raised.value) == "lab:ci-osm: permission denied"
    assert isinstance(raised.value.__cause__, JujuError)


def test_unlogged_restores_the_logger():
    logger = logging.getLogger("distro-builder-test")
    with unlogged("distro-builder-test"):
        assert logger.disabled
    assert not logger.disabled
