"""The distribution's Juju user secrets: provisioned in the model, never written anywhere.

The OSM database common key encrypts the secrets NBI, LCM, RO and MON keep in MongoDB; all
four must share it. `deploy` creates it once per model as the user secret
`<distro-name>-commonkey` (content key `commonkey`, 32 random bytes), grants it to every
application whose charm has a `database-commonkey` option of type secret, and points that
option at the secret's URI. Re-running keeps the existing secret. The value only ever exists
in the process memory between its generation and the call that stores it in Juju.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from distro_builder.deploy._builder import COMMONKEY_CONTENT_KEY, COMMONKEY_OPTION, commonkey_label

if TYPE_CHECKING:
    from distro_builder.deploy._dist import Distribution
    from distro_builder.deploy._plan import Configs

SECRET_TYPE = "secret"
KEY_BYTES = 32


@dataclass(frozen=True)
class SecretState:
    """A user secret as the model has it: its URI (None: absent) and who may read it."""

    label: str
    uri: str | None = None
    granted: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecretOutcome:
    """What provisioning did: the secret, whether it was created, granted, pointed at."""

    label: str
    uri: str
    created: bool
    granted: tuple[str, ...] = ()
    configured: tuple[str, ...] = ()


class SecretStore(Protocol):
    """What provisioning needs from a model (the adapter provides it)."""

    async def find_secret(self, label: str) -> SecretState:
        """The user secret named `label` (uri None when there is none)."""
        ...

    async def create_secret(self, label: str, content: Mapping[str, str], description: str) -> str:
        """Create a user secret and return its URI; `content` must never be logged."""
        ...

    async def grant_secret(self, label: str, applications: Sequence[str]) -> None:
        """Let `applications` read the secret."""
        ...

    async def set_config(self, application: str, options: Mapping[str, str]) -> None:
        """Set config options of an application."""
        ...


def new_commonkey() -> str:
    """A fresh random common key (32 bytes, URL-safe text)."""
    return secrets.token_urlsafe(KEY_BYTES)


def commonkey_takers(dist: Distribution, configs: Configs) -> list[str]:
    """The applications whose charm takes the common key (option of type secret).

    Known from the packed charm inside the distribution, or, for a Charmhub charm, from
    the config of the deployed application.
    """
    takers: list[str] = []
    for application in dist.applications:
        deployed = configs.get(application, {}).get(COMMONKEY_OPTION)
        meta = dist.charm_meta(application)
        packed = meta.options.get(COMMONKEY_OPTION) if meta is not None else None
        if (packed is not None and packed.type == SECRET_TYPE) or (
            deployed is not None and deployed.type == SECRET_TYPE
        ):
            takers.append(application)
    return takers


async def ensure_commonkey(
    store: SecretStore, distribution: str, *, generate: Callable[[], str] = new_commonkey
) -> tuple[SecretState, bool]:
    """The distribution's common key secret, created when the model has none.

    Returns the secret's state and whether it was created now.
    """
    label = commonkey_label(distribution)
    state = await store.find_secret(label)
    if state.uri is not None:
        return state, False
    description = f"OSM database common key of distribution {distribution} (distro-builder)"
    uri = await store.create_secret(label, {COMMONKEY_CONTENT_KEY: generate()}, description)
    return SecretState(label=label, uri=uri), True


async def share_commonkey(
    store: SecretStore,
    secret: SecretState,
    takers: Sequence[str],
    current: Mapping[str, object],
    *,
    created: bool = False,
) -> SecretOutcome:
    """Grant the secret to `takers` and set their option to its URI, where not done yet.

    Args:
        store: the model.
        secret: the secret (with its URI).
        takers: the deployed applications that take the key.
        current: each taker's current option value.
        created: whether the secret was created by this run (reported back).
    """
    if secret.uri is None:
        raise ValueError("the secret must exist before it is shared")
    to_grant = [app for app in takers if app not in secret.granted]
    if to_grant:
        await store.grant_secret(secret.label, to_grant)
    to_configure = [app for app in takers if current.get(app) != secret.uri]
    for app in to_configure:
        await store.set_config(app, {COMMONKEY_OPTION: secret.uri})
    return SecretOutcome(
        label=secret.label,
        uri=secret.uri,
        created=created,
        granted=tuple(to_grant),
        configured=tuple(to_configure),
    )
