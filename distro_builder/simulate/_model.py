"""What is being simulated: applications, relations, and the events Juju dispatches.

A `Deployment` is the composed bundle as the simulator needs it: each application with its
charm (a directory of this repository, or an external charm's documented provider data), its
units, options and trust, and every relation with both endpoints resolved. It knows nothing
of overlays or files: the builder makes one from a composition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Role = Literal["provides", "requires", "peers"]


@dataclass(frozen=True)
class EndpointSpec:
    """One endpoint of a charm: its role and interface."""

    role: Role
    interface: str


@dataclass(frozen=True)
class ProvidedData:
    """What an external charm writes on one of its endpoints (from its catalog descriptor)."""

    app_data: Mapping[str, str] = field(default_factory=dict)
    unit_data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AppSpec:
    """One application of the bundle.

    Attributes:
        name: the application name.
        charm: the charm's name.
        endpoints: the charm's endpoints by name.
        units: how many units the bundle asks for.
        config: the bundle's options (the charm's defaults apply to the rest).
        trust: whether the application is trusted.
        charm_root: the directory of this repository's charm (None for an external charm).
        provided: for an external charm, the data it writes per endpoint (None: it cannot be
            simulated, and its partners end where they end).
        containers: the charm's workload containers (pebble-ready for each).
        storages: the charm's storage (storage-attached for each).
    """

    name: str
    charm: str
    endpoints: Mapping[str, EndpointSpec]
    units: int = 1
    config: Mapping[str, Any] = field(default_factory=dict)
    trust: bool = False
    charm_root: Path | None = None
    provided: Mapping[str, ProvidedData] | None = None
    containers: tuple[str, ...] = ()
    storages: tuple[str, ...] = ()

    @property
    def simulated(self) -> bool:
        """Whether the charm's code runs (an in-repository charm)."""
        return self.charm_root is not None


@dataclass(frozen=True)
class RelationSpec:
    """A relation between two `app:endpoint`s (peers: the same application twice)."""

    first: tuple[str, str]
    second: tuple[str, str]

    def __str__(self) -> str:
        return f"{self.first[0]}:{self.first[1]} {self.second[0]}:{self.second[1]}"


@dataclass(frozen=True)
class Deployment:
    """Everything the simulator deploys."""

    applications: Mapping[str, AppSpec]
    relations: tuple[RelationSpec, ...] = ()
    model: str = "osm"


@dataclass(frozen=True)
class Event:
    """One hook for one unit, as Juju would dispatch it."""

    kind: str
    relation: int | None = None
    remote_unit: int | None = None
    departing_unit: int | None = None
    container: str | None = None
    storage: str | None = None
    secret: str | None = None
    remote_app: str | None = None  # relation-changed for that application's databag

    def as_json(self) -> dict[str, Any]:
        """The event as the worker reads it."""
        return {key: value for key, value in vars(self).items() if value is not None}

    def __str__(self) -> str:
        detail = self.container or self.storage or self.secret
        if self.relation is not None:
            source = self.remote_app if self.remote_app is not None else self.remote_unit
            detail = f"#{self.relation}" + (f" from {source}" if source is not None else "")
        return f"{self.kind}({detail})" if detail else self.kind


@dataclass
class UnitReport:
    """How a unit ended."""

    name: str
    workload_status: str = "unknown"
    message: str = ""
    error: str | None = None
    traceback: str | None = None
    leader: bool = False
    environment: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    ports: tuple[str, ...] = ()  # opened, as Juju shows them: 9999/tcp


@dataclass
class AppReport:
    """How an application ended.

    `simulated`: its charm's code ran; `documented`: an external charm that took part
    through the provider data its catalog descriptor documents.
    """

    name: str
    charm: str
    simulated: bool
    documented: bool = False
    status: str = "unknown"
    message: str = ""
    hooks: int = 0
    units: list[UnitReport] = field(default_factory=list)
