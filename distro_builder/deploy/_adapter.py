"""The thin layer over python-libjuju: connect, status, deploy, secrets, config, debug log.

Everything the deploy logic needs from a model goes through :class:`ModelAdapter`, so that
the logic is tested with a fake one. :func:`connect_juju` is the real connector; it imports
libjuju lazily (it costs about 0.4 s, and `distro-builder build` never needs it).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import shutil
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from distro_builder.deploy._controllers import (
    ControllerUnavailableError,
    DeployEnvironmentError,
    ModelMissingError,
    juju_data_dir,
    resolve_controller,
)
from distro_builder.deploy._plan import Configs, OptionState
from distro_builder.deploy._secrets import SecretState, SecretStore
from distro_builder.deploy._wait import StatusSource

LIBJUJU_HINT = (
    "deploying needs python-libjuju, which is not installed: use "
    "`uv run --extra deploy distro-builder ...` or `pip install 'distro-builder[deploy]'`"
)
CONNECT_TIMEOUT = 60.0
LOG_TIMEOUT = 30.0
LOG_STREAM_SECONDS = 3.0
RPC_LOGGER = "juju.client.connection"


class LibjujuMissingError(DeployEnvironmentError):
    """python-libjuju cannot be imported."""


class DeployFailedError(DeployEnvironmentError):
    """The controller refused or failed a request."""


@dataclass(frozen=True)
class CharmRef:
    """A charm to refresh to: a packed file, or a Charmhub name with channel/revision."""

    path: Path | None = None
    name: str = ""
    channel: str | None = None
    revision: int | None = None


@dataclass(frozen=True)
class Target:
    """Where to deploy: a controller (None: the current one) and a model name."""

    controller: str | None
    model: str


class ModelAdapter(SecretStore, StatusSource, Protocol):
    """A connected model, as the deploy logic uses it."""

    name: str
    created: bool

    async def application_configs(self, applications: Sequence[str]) -> Configs:
        """The config (types and values) of the given applications that exist."""
        ...

    async def deploy_bundle(self, bundle: Path) -> None:
        """Deploy a bundle file with trust (local charms and their resources uploaded)."""
        ...

    async def scale(self, application: str, units: int) -> None:
        """Scale a Kubernetes application."""
        ...

    async def refresh(self, application: str, charm: CharmRef) -> None:
        """Switch an application to another charm (a local file, or a Charmhub name)."""
        ...

    async def disconnect(self) -> None:
        """Close the connection."""
        ...


Connector = Callable[[Target, bool], Awaitable[ModelAdapter]]


async def connect_juju(target: Target, create: bool) -> ModelAdapter:
    """Connect to `target` through python-libjuju, creating the model when asked.

    Raises:
        LibjujuMissingError: python-libjuju is not installed.
        ControllerUnavailableError: no controller, no credentials, or it cannot be reached.
        ModelMissingError: the model does not exist and `create` is false.
    """
    known = resolve_controller(target.controller, juju_data_dir())
    controller_name = known.name
    try:
        from juju.controller import Controller
        from juju.errors import JujuError
    except ImportError as error:
        raise LibjujuMissingError(LIBJUJU_HINT) from error

    controller = Controller()
    try:
        await asyncio.wait_for(controller.connect(controller_name), CONNECT_TIMEOUT)
    except asyncio.TimeoutError:
        where = f" at {', '.join(known.endpoints)}" if known.endpoints else ""
        message = (
            f'cannot reach controller "{controller_name}"{where} within {CONNECT_TIMEOUT:.0f} s'
        )
        raise ControllerUnavailableError(message) from None
    except (JujuError, OSError, ValueError) as error:
        message = f'cannot connect to controller "{controller_name}": {one_line(error)}'
        raise ControllerUnavailableError(message) from None
    try:
        if target.model in await controller.list_models():
            model, created = await controller.get_model(target.model), False
        elif create:
            model, created = await controller.add_model(target.model), True
        else:
            message = f'model "{target.model}" does not exist on controller "{controller_name}"'
            raise ModelMissingError(message)
    except (JujuError, OSError) as error:
        message = f'controller "{controller_name}": model "{target.model}": {one_line(error)}'
        raise ControllerUnavailableError(message) from None
    finally:
        await controller.disconnect()
    return JujuModel(model, f"{controller_name}:{target.model}", created)


class JujuModel:
    """:class:`ModelAdapter` over a connected libjuju `Model`."""

    def __init__(self, model: Any, name: str, created: bool) -> None:
        self._model = model
        self.name = name
        self.created = created

    async def full_status(self) -> Any:
        """The model's `FullStatus`."""
        return await self._call(self._model.get_status())

    async def application_configs(self, applications: Sequence[str]) -> Configs:
        """Each existing application's options: type and effective value."""
        configs: dict[str, dict[str, OptionState]] = {}
        for name in applications:
            app = self._model.applications.get(name)
            if app is None:
                continue
            config = await self._call(app.get_config())
            configs[name] = {
                option: OptionState(
                    type=str(entry.get("type", "")), value=entry.get("value", entry.get("default"))
                )
                for option, entry in config.items()
                if isinstance(entry, Mapping)
            }
        return configs

    async def deploy_bundle(self, bundle: Path) -> None:
        """Deploy a bundle file with trust."""
        await self._call(self._model.deploy(str(bundle), trust=True))

    async def scale(self, application: str, units: int) -> None:
        """Scale a Kubernetes application."""
        await self._call(self._model.applications[application].scale(scale=units))

    async def refresh(self, application: str, charm: CharmRef) -> None:
        """`juju refresh` to a packed file or (switching) to a Charmhub charm."""
        app = self._model.applications[application]
        if charm.path is not None:
            await self._call(app.refresh(path=str(charm.path)))
        elif charm.name == app.charm_name:
            await self._call(app.refresh(channel=charm.channel, revision=charm.revision))
        else:
            await self._call(app.refresh(switch=charm.name, channel=charm.channel))

    async def find_secret(self, label: str) -> SecretState:
        """The model-owned (user) secret named `label`."""
        for secret in await self._call(self._model.list_secrets()):
            if secret.label == label and str(secret.owner_tag or "").startswith("model-"):
                granted = tuple(
                    str(access.target_tag).removeprefix("application-")
                    for access in secret.access or []
                    if str(access.target_tag).startswith("application-")
                )
                return SecretState(label=label, uri=str(secret.uri), granted=granted)
        return SecretState(label=label)

    async def create_secret(self, label: str, content: Mapping[str, str], description: str) -> str:
        """Create a user secret; libjuju's request logging is off while it is sent."""
        arguments = [f"{key}={value}" for key, value in content.items()]
        with unlogged(RPC_LOGGER):
            uri = await self._call(self._model.add_secret(label, arguments, info=description))
        return str(uri)

    async def grant_secret(self, label: str, applications: Sequence[str]) -> None:
        """Grant the secret to `applications`."""
        await self._call(self._model.grant_secret(label, *applications))

    async def set_config(self, application: str, options: Mapping[str, str]) -> None:
        """Set options of an application."""
        await self._call(self._model.applications[application].set_config(dict(options)))

    async def debug_log(self, units: Sequence[str], lines: int) -> list[str]:
        """The last lines the units logged: `juju debug-log` when the CLI is there.

        Without the CLI, python-libjuju's stream gives only what is logged in a few seconds.
        """
        juju = shutil.which("juju")
        if juju is not None:
            return await _cli_debug_log(juju, self.name, units, lines)
        buffer = io.StringIO()
        tags = [f"unit-{unit.replace('/', '-')}" for unit in units]
        await self._call(self._model.debug_log(target=buffer, include=tags, limit=lines))
        await asyncio.sleep(LOG_STREAM_SECONDS)
        return [*buffer.getvalue().splitlines(), "(no juju CLI: only lines logged just now)"]

    async def disconnect(self) -> None:
        """Close the model connection."""
        await self._model.disconnect()

    async def _call(self, request: Awaitable[Any]) -> Any:
        """Await a libjuju request, turning its errors into one-line DeployFailedError."""
        from juju.errors import JujuError

        try:
            return await request
        except (JujuError, OSError, ValueError) as error:
            raise DeployFailedError(f"{self.name}: {one_line(error)}") from error


async def _cli_debug_log(juju: str, model: str, units: Sequence[str], lines: int) -> list[str]:
    """`juju debug-log --no-tail` for `units`: the last `lines` lines."""
    command = [juju, "debug-log", "--model", model, "--no-tail", "--lines", str(lines)]
    for unit in units:
        command += ["--include", unit]
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), LOG_TIMEOUT)
    except asyncio.TimeoutError:
        process.kill()
        return [f"(juju debug-log did not finish within {LOG_TIMEOUT:.0f} s)"]
    return output.decode(errors="replace").splitlines()


@contextlib.contextmanager
def unlogged(name: str) -> Iterator[None]:
    """Silence one logger while the block runs (libjuju logs every request at DEBUG)."""
    logger = logging.getLogger(name)
    disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = disabled


def one_line(error: BaseException) -> str:
    """An exception's message on one line."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


__all__ = [
    "CharmRef",
    "Connector",
    "ControllerUnavailableError",
    "DeployEnvironmentError",
    "DeployFailedError",
    "JujuModel",
    "LibjujuMissingError",
    "ModelAdapter",
    "ModelMissingError",
    "Target",
    "connect_juju",
]
