"""Juju's name grammars and the small parsers its bundle verification uses.

Patterns follow juju/names (application, relation, storage names) and juju/charm (placements,
charm URLs, offer URLs, bases); constraint and storage parsing check what Juju's parsers check.
Messages keep Juju's wording, with Go's ``%q`` quoting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

from distro_builder.core import quote

# Patterns are compiled on first use (see _matches): most bundles need few of them.
APPLICATION = r"(?:[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*)"
RELATION = r"(?:[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*)"
NUMBER = r"(?:0|[1-9][0-9]*)"
CONTAINER = r"(?:[a-z]+)"

_ENDPOINT = f"({APPLICATION}):({RELATION})"
_PLACEMENT = f"(?:({CONTAINER}):)?(?:({APPLICATION})(?:/({NUMBER}))?|({NUMBER}))"
_CHARM_NAME = r"[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*"
_CHARM_REVISION = r"(.*?)-(\d+)"
_OFFER_URL = r"(?:[a-zA-Z0-9_-]+:)?(?:[^/.:]+/)?[a-z0-9][a-z0-9-]*\.[a-z][a-z0-9-]*"
_BASE = (
    r"(?:ubuntu|centos|windows|opensuse|genericlinux)@[0-9][0-9.]*"
    r"(?:/(?:stable|candidate|beta|edge)(?:/[a-z0-9-]+)?)?"
)
_POOL = r"[a-zA-Z]+[-?a-zA-Z0-9]*"
_SIZE = r"[0-9]+(?:\.[0-9]+)?[MGTPEZY]?(?:i?B)?"
_DIGITS = r"[0-9]+"

SERIES = frozenset(
    [
        "precise",
        "trusty",
        "xenial",
        "bionic",
        "cosmic",
        "disco",
        "eoan",
        "focal",
        "groovy",
        "hirsute",
        "impish",
        "jammy",
        "kinetic",
        "lunar",
        "mantic",
        "noble",
        "oracular",
        "plucky",
        "questing",
        "centos7",
        "centos8",
        "centos9",
        "opensuseleap",
        "genericlinux",
        "kubernetes",
    ]
)
CONSTRAINT_KEYS = frozenset(
    [
        "arch",
        "container",
        "cores",
        "cpu-power",
        "mem",
        "root-disk",
        "root-disk-source",
        "tags",
        "instance-role",
        "instance-type",
        "spaces",
        "virt-type",
        "zones",
        "allocate-public-ip",
        "image-id",
    ]
)
_SIZE_KEYS = frozenset({"mem", "root-disk"})
_UINT_KEYS = frozenset({"cores", "cpu-power"})
CHARM_SCHEMAS = ("ch", "local")


class Endpoint(NamedTuple):
    """One side of a relation: an application and, optionally, its endpoint."""

    application: str
    relation: str = ""

    def __str__(self) -> str:
        return f"{self.application}:{self.relation}" if self.relation else self.application


class Placement(NamedTuple):
    """A parsed IAAS unit placement directive."""

    container: str
    application: str
    unit: int
    machine: str


class CharmURL(NamedTuple):
    """The parts of a charm URL that verification looks at."""

    schema: str
    name: str
    revision: int | None

    def __str__(self) -> str:
        suffix = f"-{self.revision}" if self.revision is not None else ""
        return f"{self.schema}:{self.name}{suffix}"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _matches(pattern: str, text: str) -> re.Match[str] | None:
    """`pattern` matched against the whole of `text` (compiled once, when first used)."""
    return _compiled(pattern).fullmatch(text)


def quote_list(items: Sequence[object]) -> str:
    """Go's ``%q`` of a ``[]string``: ``["a:b" "c:d"]``."""
    return "[" + " ".join(quote(str(item)) for item in items) + "]"


def is_valid_application(name: str) -> bool:
    """Whether `name` is a valid Juju application name (also the storage and device grammar)."""
    return _matches(APPLICATION, name) is not None


def is_valid_relation(name: str) -> bool:
    """Whether `name` is a valid endpoint (relation) name."""
    return _matches(RELATION, name) is not None


def is_valid_machine_id(text: str) -> bool:
    """Whether `text` is a top-level machine id (``0``, ``12``)."""
    return _matches(NUMBER, text) is not None


def parse_endpoint(text: str) -> Endpoint | None:
    """Parse ``app`` or ``app:endpoint``; None when the syntax is invalid."""
    match = _matches(_ENDPOINT, text)
    if match:
        return Endpoint(match.group(1), match.group(2))
    return Endpoint(text) if is_valid_application(text) else None


def parse_placement(text: str) -> Placement | None:
    """Parse an IAAS placement (``lxd:0``, ``new``, ``app/1``); None when invalid."""
    match = _matches(_PLACEMENT, text)
    if match is None:
        return None
    container, application, unit, machine = match.groups()
    number = int(unit) if unit is not None else -1
    if application == "new":
        if number != -1:
            return None
        return Placement(container=container or "", application="", unit=-1, machine="new")
    return Placement(
        container=container or "",
        application=application or "",
        unit=number,
        machine=machine or "",
    )


def parse_charm_url(text: str) -> tuple[CharmURL | None, str]:
    """Parse a Charmhub/local charm URL; returns (url, "") or (None, reason)."""
    schema, separator, rest = text.partition(":")
    if not separator:
        schema, rest = "ch", text
    if schema not in CHARM_SCHEMAS:
        return None, f"charm or bundle URL {quote(text)} has unrecognized schema"
    name = rest.rsplit("/", 1)[-1]
    revision = None
    match = _matches(_CHARM_REVISION, name)
    if match:
        name, revision = match.group(1), int(match.group(2))
    if not _matches(_CHARM_NAME, name):
        return None, f"cannot parse URL {quote(text)}: name {quote(name)} not valid"
    return CharmURL(schema=schema, name=name, revision=revision), ""


def is_local_charm(charm: str) -> bool:
    """Whether a charm reference is a local path (Juju: starts with "." or is absolute)."""
    return charm.startswith((".", "/"))


def is_valid_offer_url(url: str) -> bool:
    """Whether `url` is ``[controller:][owner/]model.application``."""
    return _matches(_OFFER_URL, url) is not None


def is_valid_base(base: str) -> bool:
    """Whether `base` is ``os@channel`` such as ``ubuntu@24.04``."""
    return _matches(_BASE, base) is not None


def is_valid_series(series: str) -> bool:
    """Whether `series` is a series Juju knows."""
    return series in SERIES


def constraints_error(text: str, *, base_bundle: bool) -> str:
    """Why `text` is not a valid constraints string ("" when it is)."""
    seen: set[str] = set()
    for item in text.split():
        key, separator, value = item.partition("=")
        if not separator:
            return f"malformed constraint {quote(item)}"
        if key not in CONSTRAINT_KEYS:
            return f"unknown constraint {quote(key)}"
        if key in seen:
            return f"bad {quote(key)} constraint: already set"
        seen.add(key)
        if key in _SIZE_KEYS and value and not _matches(_SIZE, value):
            reason = "must be a non-negative float with optional M/G/T/P suffix"
            return f"bad {quote(key)} constraint: {reason}"
        if key in _UINT_KEYS and value and not _matches(_DIGITS, value):
            return f"bad {quote(key)} constraint: must be a non-negative integer"
        if key == "image-id" and base_bundle:
            return "'image-id' constraint in a base bundle not supported"
    return ""


def storage_error(text: str) -> str:
    """Why `text` is not a valid storage directive ``[pool,][size,][count]`` ("" when valid)."""
    fields = [field for field in text.split(",") if field]
    if not fields:
        return "storage constraints require at least one field to be specified"
    pools = 0
    for field in fields:
        if _matches(_POOL, field):
            pools += 1
            if pools > 1:
                return f"pool name is already set, new value {quote(field)}"
        elif not (_matches(_DIGITS, field) or _matches(_SIZE, field)):
            return f"unrecognized storage constraint {quote(field)}"
    return ""


def key_values_error(text: str) -> str:
    """Why a Kubernetes placement ``k=v[,k=v]`` is invalid ("" when valid)."""
    seen: set[str] = set()
    for item in text.split(","):
        key, separator, value = item.partition("=")
        if not separator or not key or not value:
            return f'expected "key=value", got {quote(item)}'
        if key in seen:
            return f"key {quote(key)} specified more than once"
        seen.add(key)
    return ""
