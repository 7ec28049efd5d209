"""Typed snapshots of a Juju model, parsed from python-libjuju's `FullStatus`.

`parse_full_status` reads the objects `Model.get_status()` returns (the Juju API's
`FullStatus`: applications with `status`, `int` (the scale of a Kubernetes application) and
`units` with `workload-status`/`agent-status`; relations with their endpoints) by attribute,
so that nothing here imports libjuju.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ACTIVE = "active"
IDLE = "idle"
ERROR = "error"
MISSING = "missing"


@dataclass(frozen=True)
class UnitSnapshot:
    """One unit: its workload and agent status."""

    name: str
    workload: str
    message: str
    agent: str
    agent_message: str = ""
    address: str = ""
    leader: bool = False

    @property
    def ready(self) -> bool:
        """Active workload, idle agent."""
        return self.workload == ACTIVE and self.agent == IDLE

    @property
    def failed(self) -> bool:
        """The workload or the agent is in error (a failed hook)."""
        return ERROR in (self.workload, self.agent)

    @property
    def shown_message(self) -> str:
        """The workload message, or the agent's when the workload says nothing."""
        return self.message or self.agent_message


@dataclass(frozen=True)
class AppSnapshot:
    """One application: its status, charm, scale and units."""

    name: str
    status: str
    message: str
    charm: str = ""
    channel: str = ""
    revision: int | None = None
    scale: int = 0
    units: tuple[UnitSnapshot, ...] = ()

    @property
    def ready_units(self) -> int:
        """How many units are active and idle."""
        return sum(unit.ready for unit in self.units)

    @property
    def total_units(self) -> int:
        """The units it should have (its scale), or has when more."""
        return max(self.scale, len(self.units))

    @property
    def ready(self) -> bool:
        """Active, with every unit it should have active and idle."""
        return (
            self.status == ACTIVE and self.total_units > 0 and self.ready_units == self.total_units
        )

    @property
    def failed(self) -> bool:
        """The application or one of its units is in error."""
        return self.status == ERROR or any(unit.failed for unit in self.units)


@dataclass(frozen=True)
class RelationSnapshot:
    """One established relation: its endpoints (`app:endpoint`, sorted) and interface."""

    endpoints: tuple[str, ...]
    interface: str = ""
    status: str = ""


@dataclass(frozen=True)
class ModelSnapshot:
    """A model at one moment: applications by name, and relations."""

    name: str
    applications: Mapping[str, AppSnapshot]
    relations: tuple[RelationSnapshot, ...] = ()

    def has_relation(self, first: str, second: str) -> bool:
        """Whether a relation joins `first` and `second` (`app` matches any endpoint of app)."""
        return any(
            len(relation.endpoints) == 2
            and (
                (_side(first, relation.endpoints[0]) and _side(second, relation.endpoints[1]))
                or (_side(first, relation.endpoints[1]) and _side(second, relation.endpoints[0]))
            )
            for relation in self.relations
        )


def missing_application(name: str) -> AppSnapshot:
    """The snapshot of an application the model does not have (yet)."""
    return AppSnapshot(name=name, status=MISSING, message="not in the model")


def parse_full_status(status: Any) -> ModelSnapshot:
    """A snapshot from libjuju's `FullStatus` (or anything shaped like it)."""
    model = getattr(status, "model", None)
    applications = {
        str(name): _application(str(name), app)
        for name, app in (getattr(status, "applications", None) or {}).items()
    }
    relations = tuple(_relation(relation) for relation in getattr(status, "relations", None) or [])
    return ModelSnapshot(
        name=str(getattr(model, "name", "") or ""),
        applications=dict(sorted(applications.items())),
        relations=relations,
    )


def charm_name_of(url: str) -> str:
    """The charm name in a model's charm URL (`local:osm-nbi-3`, `ch:amd64/noble/x-12`)."""
    path = url.split(":", 1)[-1].rsplit("/", 1)[-1]
    name, dash, revision = path.rpartition("-")
    return name if dash and revision.isdigit() else path


def _application(name: str, app: Any) -> AppSnapshot:
    detail = getattr(app, "status", None)
    units = tuple(
        _unit(str(unit_name), unit)
        for unit_name, unit in sorted((getattr(app, "units", None) or {}).items(), key=_unit_order)
    )
    scale = getattr(app, "int_", None)
    revision = getattr(app, "charm_rev", None)
    return AppSnapshot(
        name=name,
        status=_text(detail, "status") or "unknown",
        message=_text(detail, "info"),
        charm=str(getattr(app, "charm", "") or ""),
        channel=str(getattr(app, "charm_channel", "") or ""),
        revision=revision if isinstance(revision, int) and revision > 0 else None,
        scale=scale if isinstance(scale, int) and scale > 0 else len(units),
        units=units,
    )


def _unit(name: str, unit: Any) -> UnitSnapshot:
    workload = getattr(unit, "workload_status", None)
    agent = getattr(unit, "agent_status", None)
    return UnitSnapshot(
        name=name,
        workload=_text(workload, "status") or "unknown",
        message=_text(workload, "info"),
        agent=_text(agent, "status") or "unknown",
        agent_message=_text(agent, "info"),
        address=str(getattr(unit, "address", "") or ""),
        leader=getattr(unit, "leader", False) is True,
    )


def _relation(relation: Any) -> RelationSnapshot:
    endpoints = sorted(
        f"{getattr(endpoint, 'application', '')}:{getattr(endpoint, 'name', '')}"
        for endpoint in getattr(relation, "endpoints", None) or []
    )
    return RelationSnapshot(
        endpoints=tuple(endpoints),
        interface=str(getattr(relation, "interface", "") or ""),
        status=_text(getattr(relation, "status", None), "status"),
    )


def _text(detail: Any, field: str) -> str:
    return str(getattr(detail, field, "") or "") if detail is not None else ""


def _unit_order(item: tuple[Any, Any]) -> tuple[str, int]:
    """Units in numeric order (`nbi/2` before `nbi/10`)."""
    app, _, number = str(item[0]).partition("/")
    return app, int(number) if number.isdigit() else 0


def _side(side: str, endpoint: str) -> bool:
    """Whether a bundle relation side (`app` or `app:endpoint`) names `endpoint`."""
    return side == endpoint if ":" in side else endpoint.split(":", 1)[0] == side


def failing_units(apps: Iterable[AppSnapshot]) -> list[UnitSnapshot]:
    """The units of `apps` that are in error."""
    return [unit for app in apps for unit in app.units if unit.failed]


def unready_units(apps: Iterable[AppSnapshot]) -> list[UnitSnapshot]:
    """The units of `apps` that are not active and idle."""
    return [unit for app in apps for unit in app.units if not unit.ready]
