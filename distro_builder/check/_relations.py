"""Resolving a bundle relation to two charm endpoints, as Juju does.

Both endpoints named: each must exist, one side must provide and the other require, and the
interfaces must match. An endpoint left out (`[nbi, mongodb]`) is inferred from every pair of
provides/requires endpoints (plus the `juju-info` every charm provides implicitly) that could
relate; one candidate wins, several are ambiguous unless discarding the implicit ones leaves
one. Messages keep Juju's wording (juju/charm `bundledata.go`).
"""

from __future__ import annotations

from typing import NamedTuple

from distro_builder.core import did_you_mean

from ._metadata import CharmMeta, Endpoint

JUJU_INFO = Endpoint(name="juju-info", role="provides", interface="juju-info")
_COUNTERPART = {"provides": "requires", "requires": "provides"}
_ROLE_NOUN = {"provides": "provider", "requires": "requirer"}


class Side(NamedTuple):
    """One end of a relation as written: the application, its charm, the endpoint if named."""

    application: str
    charm: str
    meta: CharmMeta
    endpoint_name: str = ""

    def __str__(self) -> str:
        return (
            f"{self.application}:{self.endpoint_name}" if self.endpoint_name else self.application
        )


class Bound(NamedTuple):
    """An endpoint of a charm bound to an application."""

    application: str
    endpoint: Endpoint

    def __str__(self) -> str:
        return f"{self.application}:{self.endpoint.name}"


class Resolution(NamedTuple):
    """Either the two endpoints a relation connects, or why it cannot connect them.

    `offers` names the sides whose endpoints the user should see to fix the relation.
    """

    ends: tuple[Bound, Bound] | None = None
    problems: tuple[str, ...] = ()
    offers: tuple[Side, ...] = ()


def offered(side: Side) -> str:
    """What a side's charm offers to relate: `nbi (requires, interface nbi), ...`."""
    endpoints = [
        f"{endpoint.name} ({endpoint.role}, interface {endpoint.interface})"
        for endpoint in side.meta.endpoints.values()
        if endpoint.role != "peers"
    ]
    return ", ".join(endpoints) or "no endpoint to relate"


def resolve(first: Side, second: Side) -> Resolution:
    """Resolve a relation between two applications whose charms are known."""
    missing = [
        problem
        for side, other in ((first, second), (second, first))
        if (problem := undefined_endpoint(side, other))
    ]
    if missing:
        return Resolution(problems=tuple(missing))
    if first.endpoint_name and second.endpoint_name:
        return _verify(_bind(first), _bind(second))
    return _infer(first, second)


def undefined_endpoint(side: Side, other: Side | None = None) -> str | None:
    """Juju's message when the endpoint a side names does not exist (or is a peer one).

    The suggestion is the endpoint that would fit the `other` side's, else the closest name.
    """
    if not side.endpoint_name or _lookup(side.meta, side.endpoint_name) is not None:
        return None
    endpoint = side.meta.endpoints.get(side.endpoint_name)
    if endpoint is not None and endpoint.role == "peers":
        return (
            f'endpoint "{side}" is a peer relation of charm "{side.charm}": it relates the '
            "units of one application and cannot be related to another application"
        )
    known = [name for name, e in side.meta.endpoints.items() if e.role != "peers"]
    fitting = _fitting(side, other)
    suggestion = f' (did you mean "{fitting[0]}"?)' if len(fitting) == 1 else ""
    return (
        f'charm "{side.charm}" used by application "{side.application}" does not define '
        f'relation "{side.endpoint_name}"'
        f"{suggestion or did_you_mean(side.endpoint_name, known)}"
    )


def _fitting(side: Side, other: Side | None) -> list[str]:
    """The endpoints of `side` that could relate to the endpoint `other` names."""
    wanted = _lookup(other.meta, other.endpoint_name) if other and other.endpoint_name else None
    if wanted is None or wanted is JUJU_INFO:
        return []
    return [
        name
        for name, endpoint in side.meta.endpoints.items()
        if endpoint.interface == wanted.interface
        and _COUNTERPART.get(wanted.role) == endpoint.role
    ]


def _lookup(meta: CharmMeta, name: str) -> Endpoint | None:
    endpoint = meta.endpoints.get(name)
    if endpoint is not None and endpoint.role != "peers":
        return endpoint
    return JUJU_INFO if name == JUJU_INFO.name else None


def _bind(side: Side) -> Bound:
    endpoint = _lookup(side.meta, side.endpoint_name)
    assert endpoint is not None, "checked by undefined_endpoint"
    return Bound(side.application, endpoint)


def _verify(first: Bound, second: Bound) -> Resolution:
    roles = (first.endpoint.role, second.endpoint.role)
    if roles[0] == roles[1]:
        noun = _ROLE_NOUN[roles[0]]
        return Resolution(problems=(f'relation "{first}" to "{second}" relates {noun} to {noun}',))
    provider, requirer = (first, second) if roles[0] == "provides" else (second, first)
    if provider.endpoint.interface != requirer.endpoint.interface:
        return Resolution(
            problems=(
                f'mismatched interface between "{provider}" and "{requirer}" '
                f'("{provider.endpoint.interface}" vs "{requirer.endpoint.interface}")',
            )
        )
    return Resolution(ends=(first, second))


def _candidates(side: Side) -> list[Endpoint]:
    """The endpoints a side could use: the one it names, else every non-peer one + juju-info."""
    if side.endpoint_name:
        named = _lookup(side.meta, side.endpoint_name)
        return [named] if named is not None else []
    return [e for e in side.meta.endpoints.values() if e.role != "peers"] + [JUJU_INFO]


def _infer(first: Side, second: Side) -> Resolution:
    pairs = [
        (one, other)
        for one in _candidates(first)
        for other in _candidates(second)
        if one.interface == other.interface and _COUNTERPART[one.role] == other.role
    ]
    if first.application == second.application:
        pairs = []
    explicit = [pair for pair in pairs if JUJU_INFO not in pair]
    for choice in (pairs, explicit):
        if len(choice) == 1:
            one, other = choice[0]
            return Resolution(
                ends=(Bound(first.application, one), Bound(second.application, other))
            )
    prefix = f"cannot infer endpoint between {first} and {second}"
    if not pairs:
        return Resolution(problems=(f"{prefix}: no relations found",), offers=(first, second))
    bound = [
        (Bound(first.application, one), Bound(second.application, other)) for one, other in pairs
    ]
    keys = sorted(f'"{" ".join(sorted(map(str, pair)))}"' for pair in bound)
    return Resolution(
        problems=(
            f"{prefix}: ambiguous relation: {first} {second} could refer to {'; '.join(keys)}",
        )
    )
