"""The library entry point of `deploy` and `status`: print nothing, never exit.

Each function takes a read distribution and options and returns a typed result; progress
goes to a callback as `Phase` and `wait.Progress` values. Errors are exceptions: `InputError`
(the distribution is wrong: exit 2) and `controllers.DeployEnvironmentError` (no libjuju, no
controller, a refused request: exit 1).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from distro_builder.deploy._adapter import (
    CharmRef,
    Connector,
    ModelAdapter,
    Target,
    connect_juju,
)
from distro_builder.deploy._builder import COMMONKEY_OPTION, InputError, commonkey_label
from distro_builder.deploy._bundle import deployable_bundle, write_bundle
from distro_builder.deploy._controllers import ModelMissingError
from distro_builder.deploy._dist import Distribution, charm_problems
from distro_builder.deploy._plan import CHARM, OPTION, SCALE, Change, Configs, Plan, make_plan
from distro_builder.deploy._secrets import (
    SecretOutcome,
    SecretState,
    commonkey_takers,
    ensure_commonkey,
    share_commonkey,
)
from distro_builder.deploy._status import ModelSnapshot, parse_full_status
from distro_builder.deploy._wait import (
    READY,
    Progress,
    WaitOptions,
    WaitResult,
    rows,
    wait_until_ready,
)


@dataclass(frozen=True)
class Phase:
    """A step of `deploy` has begun."""

    name: str
    detail: str


Update = Phase | Progress
OnUpdate = Callable[[Update], None]


@dataclass(frozen=True)
class DeployOptions:
    """Where to deploy and how long to wait."""

    target: Target
    wait: WaitOptions = field(default_factory=WaitOptions)


@dataclass(frozen=True)
class DeployResult:
    """What `deploy` did and how the wait ended."""

    model: str
    created_model: bool
    plan: Plan
    secret: SecretOutcome | None
    wait: WaitResult

    @property
    def ready(self) -> bool:
        """Whether every application ended active and idle."""
        return self.wait.outcome == READY


@dataclass(frozen=True)
class StatusResult:
    """The distribution's applications in a model, and how the model differs from it."""

    model: str
    progress: Progress
    differences: tuple[Change, ...]


def check_charms(dist: Distribution) -> None:
    """Refuse a distribution whose packed charms are missing or differ from its lock.

    Raises:
        InputError: naming every such charm and how to get them.
    """
    problems = charm_problems(dist)
    if problems:
        raise InputError(problems)


async def deploy(
    dist: Distribution,
    options: DeployOptions,
    *,
    connector: Connector | None = None,
    on_update: OnUpdate | None = None,
) -> DeployResult:
    """Deploy `dist` into the target model (created when missing) and wait for it.

    The common key secret is created (or kept) before the applications are deployed, given
    to the ones that take it, and each application's `database-commonkey` points at it.
    """
    notify = on_update or _ignore
    check_charms(dist)
    notify(Phase("connect", f"connecting to {_shown_target(options.target)}"))
    adapter = await (connector or connect_juju)(options.target, True)
    try:
        if adapter.created:
            notify(Phase("model", f"created model {adapter.name}"))
        snapshot, configs = await _observe(adapter, dist)
        secret, created = await ensure_commonkey(adapter, dist.name)
        plan = make_plan(dist, adapter.name, snapshot, configs, secret)
        notify(Phase("secret", f"{'created' if created else 'kept'} secret {secret.label}"))
        if plan.deploys_bundle:
            adding = plan.applications_to_add
            what = f"{len(adding)} application(s): {', '.join(adding)}" if adding else "relations"
            notify(Phase("deploy", f"deploying the bundle, adding {what}"))
            await _deploy_bundle(adapter, dist, secret, commonkey_takers(dist, configs))
        if plan.updates:
            notify(Phase("update", f"updating {_subjects(plan.updates)}"))
            await _apply_updates(adapter, dist, plan.updates)
        configs = await adapter.application_configs(list(dist.applications))
        outcome = await _share(adapter, dist, secret, configs, created)
        notify(Phase("wait", f"waiting for {len(dist.applications)} application(s)"))
        result = await wait_until_ready(adapter, list(dist.applications), options.wait, notify)
        return DeployResult(adapter.name, adapter.created, plan, outcome, result)
    finally:
        await adapter.disconnect()


async def dry_run(
    dist: Distribution, target: Target, *, connector: Connector | None = None
) -> Plan:
    """What deploying `dist` into the target model would change; changes nothing."""
    check_charms(dist)
    try:
        adapter = await (connector or connect_juju)(target, False)
    except ModelMissingError:
        label = commonkey_label(dist.name)
        return make_plan(dist, _shown_target(target), None, {}, SecretState(label))
    try:
        snapshot, configs = await _observe(adapter, dist)
        secret = await adapter.find_secret(commonkey_label(dist.name))
        return make_plan(dist, adapter.name, snapshot, configs, secret)
    finally:
        await adapter.disconnect()


async def status(
    dist: Distribution, target: Target, *, connector: Connector | None = None
) -> StatusResult:
    """The distribution's applications in the target model, and what differs."""
    adapter = await (connector or connect_juju)(target, False)
    try:
        snapshot, configs = await _observe(adapter, dist)
        secret = await adapter.find_secret(commonkey_label(dist.name))
        plan = make_plan(dist, adapter.name, snapshot, configs, secret)
        progress = Progress(elapsed=0.0, rows=rows(snapshot, list(dist.applications), 0.0))
        return StatusResult(adapter.name, progress, tuple(plan.differences))
    finally:
        await adapter.disconnect()


async def _observe(adapter: ModelAdapter, dist: Distribution) -> tuple[ModelSnapshot, Configs]:
    """The model's snapshot and the config of the distribution's applications in it."""
    snapshot = parse_full_status(await adapter.full_status())
    present = [name for name in dist.applications if name in snapshot.applications]
    return snapshot, await adapter.application_configs(present)


async def _deploy_bundle(
    adapter: ModelAdapter, dist: Distribution, secret: SecretState, takers: Sequence[str]
) -> None:
    """Deploy the distribution's bundle, made deployable, from a temporary directory."""
    bundle = deployable_bundle(dist, commonkey_uri=secret.uri, takers=takers)
    with tempfile.TemporaryDirectory(prefix="distro-builder-deploy-") as directory:
        await adapter.deploy_bundle(write_bundle(bundle, Path(directory)))


async def _apply_updates(
    adapter: ModelAdapter, dist: Distribution, updates: Sequence[Change]
) -> None:
    """Bring existing applications to the distribution's charm, scale and options."""
    options: dict[str, dict[str, str]] = {}
    for change in updates:
        if change.kind == CHARM:
            await adapter.refresh(change.subject, _charm_ref(dist, change.subject))
        elif change.kind == SCALE and isinstance(change.value, int):
            await adapter.scale(change.subject, change.value)
        elif change.kind == OPTION:
            options.setdefault(change.subject, {})[change.key] = _config_text(change.value)
    for application, values in options.items():
        await adapter.set_config(application, values)


def _charm_ref(dist: Distribution, application: str) -> CharmRef:
    """The charm an application refreshes to."""
    path = dist.charm_file(application)
    if path is not None:
        return CharmRef(path=path.resolve())
    spec = dist.applications[application]
    revision = spec.get("revision")
    return CharmRef(
        name=str(spec.get("charm", "")),
        channel=str(spec["channel"]) if spec.get("channel") else None,
        revision=revision if isinstance(revision, int) else None,
    )


def _config_text(value: object) -> str:
    """An option value as `juju config` takes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _subjects(changes: Sequence[Change]) -> str:
    return ", ".join(dict.fromkeys(change.subject for change in changes))


async def _share(
    adapter: ModelAdapter,
    dist: Distribution,
    secret: SecretState,
    configs: Configs,
    created: bool,
) -> SecretOutcome | None:
    """Grant the common key to the deployed takers and point their option at it."""
    takers = [app for app in commonkey_takers(dist, configs) if app in configs]
    if not takers:
        return None
    current = {
        app: state.value
        for app in takers
        if (state := configs[app].get(COMMONKEY_OPTION)) is not None
    }
    return await share_commonkey(adapter, secret, takers, current, created=created)


def _shown_target(target: Target) -> str:
    if target.controller:
        return f"{target.controller}:{target.model}"
    return f"{target.model} (current controller)"


def _ignore(update: Update) -> None:
    del update
