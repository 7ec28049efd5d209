"""What deploying a distribution would change in a model, and how the two differ.

Used three ways: `deploy --dry-run` prints the plan, `deploy` deploys only when it adds
something, and `status` lists the distribution's applications missing from the model or
differing from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from distro_builder.deploy._builder import (
    COMMONKEY_OPTION,
    MASK,
    charm_name,
    is_local_charm,
    is_secret_name,
    redact,
    units,
)
from distro_builder.deploy._dist import Distribution
from distro_builder.deploy._secrets import SecretState, commonkey_takers
from distro_builder.deploy._status import AppSnapshot, ModelSnapshot, charm_name_of

CREATE_MODEL = "create model"
ADD_APPLICATION = "add application"
CHARM = "charm"
SCALE = "scale"
OPTION = "option"
ADD_RELATION = "add relation"
CREATE_SECRET = "create secret"
GRANT_SECRET = "grant secret"
DIFFERENCES = frozenset({ADD_APPLICATION, CHARM, SCALE, OPTION, ADD_RELATION})
UNSET = "(unset)"
MAX_SHOWN = 40
SECRET_URI_PREFIX = "secret:"


@dataclass(frozen=True)
class OptionState:
    """One config option of a deployed application: its type and effective value."""

    type: str
    value: object = None


Configs = Mapping[str, Mapping[str, OptionState]]


@dataclass(frozen=True)
class Change:
    """One change: what kind, to what, and the current and wanted values (as shown)."""

    kind: str
    subject: str
    key: str = ""
    current: str = ""
    wanted: str = ""
    value: object = field(default=None, repr=False, compare=False)

    def describe(self) -> str:
        """One line for people."""
        target = f"{self.subject} {self.key}".strip()
        if self.current or self.wanted:
            return f"{self.kind} {target}: {self.current or UNSET} -> {self.wanted or UNSET}"
        return f"{self.kind} {target}"


@dataclass(frozen=True)
class Plan:
    """Every change deploying would make to `model`, in the order it would make them."""

    model: str
    model_exists: bool
    changes: tuple[Change, ...] = field(default=())

    @property
    def applications_to_add(self) -> list[str]:
        """The applications the model lacks."""
        return [c.subject for c in self.changes if c.kind == ADD_APPLICATION]

    @property
    def deploys_bundle(self) -> bool:
        """Whether an application or a relation is missing (the bundle must be deployed)."""
        return any(c.kind in (CREATE_MODEL, ADD_APPLICATION, ADD_RELATION) for c in self.changes)

    @property
    def updates(self) -> list[Change]:
        """The changes to existing applications: charm, scale, options (not the common key)."""
        return [
            c
            for c in self.changes
            if c.kind in (CHARM, SCALE) or (c.kind == OPTION and c.key != COMMONKEY_OPTION)
        ]

    @property
    def differences(self) -> list[Change]:
        """The changes about applications and relations (not the model or its secrets)."""
        return [c for c in self.changes if c.kind in DIFFERENCES]


def make_plan(
    dist: Distribution,
    model: str,
    snapshot: ModelSnapshot | None,
    configs: Configs,
    secret: SecretState,
) -> Plan:
    """The changes that would bring `model` (None: it does not exist) to `dist`."""
    changes: list[Change] = []
    if snapshot is None:
        changes.append(Change(CREATE_MODEL, model))
    present = snapshot.applications if snapshot is not None else {}
    for name, spec in dist.applications.items():
        app = present.get(name)
        if app is None:
            changes.append(Change(ADD_APPLICATION, name, wanted=str(spec.get("charm", ""))))
        else:
            changes += application_changes(dist, name, app, configs.get(name, {}))
    for first, second in dist.relations:
        if snapshot is None or not snapshot.has_relation(first, second):
            changes.append(Change(ADD_RELATION, f"{first} - {second}"))
    changes += secret_changes(dist, configs, secret)
    return Plan(model=model, model_exists=snapshot is not None, changes=tuple(changes))


def application_changes(
    dist: Distribution, name: str, app: AppSnapshot, options: Mapping[str, OptionState]
) -> list[Change]:
    """How a deployed application differs from the distribution's (charm, scale, options)."""
    spec = dist.applications[name]
    changes: list[Change] = []
    wanted_charm = str(spec.get("charm", ""))
    if not same_charm(dist, name, spec, app):
        shown = app.charm + (f" ({app.channel})" if app.channel else "")
        changes.append(Change(CHARM, name, current=shown, wanted=wanted_charm, value=spec))
    wanted_scale = units(dict(spec))
    if wanted_scale != app.scale:
        changes.append(
            Change(
                SCALE, name, current=str(app.scale), wanted=str(wanted_scale), value=wanted_scale
            )
        )
    for option, value in sorted((spec.get("options") or {}).items()):
        if value is None:
            continue
        state = options.get(option)
        current = state.value if state is not None else None
        if not same_value(current, value):
            shown_current, shown_wanted = _shown(current, option), _shown(value, option)
            changes.append(Change(OPTION, name, option, shown_current, shown_wanted, value))
    return changes


def same_charm(
    dist: Distribution, name: str, spec: Mapping[str, object], app: AppSnapshot
) -> bool:
    """Whether the model runs the charm the distribution names (name, origin, channel, rev)."""
    reference = str(spec.get("charm", ""))
    local = is_local_charm(reference)
    meta = dist.charm_meta(name) if local else None
    wanted = meta.name if meta is not None else charm_name(reference)
    deployed_local = app.charm.startswith("local:")
    if charm_name_of(app.charm) != wanted or deployed_local != local:
        return False
    if local:
        return True
    channel = spec.get("channel")
    if channel and app.channel and _channel(str(channel)) != _channel(app.channel):
        return False
    revision = spec.get("revision")
    pinned = isinstance(revision, int) and app.revision is not None
    return not (pinned and revision != app.revision)


def secret_changes(dist: Distribution, configs: Configs, secret: SecretState) -> list[Change]:
    """The common key's secret to create, grant and point the takers' option at."""
    takers = commonkey_takers(dist, configs)
    if not takers:
        return []
    changes: list[Change] = []
    wanted = f"secret {secret.label}"
    if secret.uri is None:
        changes.append(Change(CREATE_SECRET, secret.label))
    missing_grants = [app for app in takers if app not in secret.granted]
    if missing_grants:
        changes.append(Change(GRANT_SECRET, secret.label, wanted=", ".join(missing_grants)))
    for app in takers:
        state = configs.get(app, {}).get(COMMONKEY_OPTION)
        current = state.value if state is not None else None
        if secret.uri is None or current != secret.uri:
            changes.append(
                Change(OPTION, app, COMMONKEY_OPTION, _shown(current, COMMONKEY_OPTION), wanted)
            )
    return changes


def same_value(current: object, wanted: object) -> bool:
    """Whether a model's option value is the bundle's (Juju's types: bool, int, float, str)."""
    return _canonical(current) == _canonical(wanted)


def render(changes: Iterable[Change]) -> list[str]:
    """The changes as lines."""
    return [change.describe() for change in changes]


def names(changes: Sequence[Change], kind: str) -> list[str]:
    """The subjects of the changes of one kind."""
    return [change.subject for change in changes if change.kind == kind]


def _canonical(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value))
    return str(value)


def _channel(channel: str) -> str:
    """A channel with its track (`edge` -> `latest/edge`)."""
    return channel if "/" in channel else f"latest/{channel}"


def _shown(value: object, option: str = "") -> str:
    """A value as a line shows it: secrets masked, long values (base64 logos) shortened."""
    text = _canonical(value)
    if text is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(value)
    if is_secret_name(option) and not text.startswith(SECRET_URI_PREFIX):
        return MASK
    text = redact(text)
    return text if len(text) <= MAX_SHOWN else f"{text[: MAX_SHOWN - 3]}..."
