"""Charmhub channels as Juju parses them (juju/charm `ParseChannel`).

channel := risk | track | risk "/" branch | track "/" risk | track "/" risk "/" branch
risk    := stable | candidate | beta | edge

An empty part is refused, and so is a risk that is not one of the four: Juju would refuse the
bundle at deploy time. A single part that is not a risk is a track (`latest` reads as
`latest/stable`); one that looks like a misspelt risk (`stabel`) is worth a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from distro_builder.core import (
    ERROR,
    WARNING,
    Diagnostic,
    NodePath,
    Severity,
    as_mapping,
    did_you_mean,
)
from distro_builder.juju import quote

from ._charms import OriginLookup

RISKS = ("stable", "candidate", "beta", "edge")
FORM = "[track/]risk[/branch]"


class ChannelProblem(NamedTuple):
    """What is wrong with a channel: an error, or a warning about a likely typo."""

    message: str
    warning: bool = False


def channel_problem(channel: str) -> ChannelProblem | None:
    """What Juju would refuse in `channel` (or find suspicious), None when it is fine."""
    parts = channel.split("/")
    if len(parts) > 3:
        return ChannelProblem("it has more than three parts (track/risk/branch)")
    if len(parts) == 1:
        if parts[0] in RISKS:
            return None
        hint = did_you_mean(parts[0], RISKS)
        if hint:
            return ChannelProblem(
                f"is read as the track {quote(parts[0])} with risk stable{hint}", warning=True
            )
        return None
    if len(parts) == 2 and parts[0] in RISKS:
        track, risk, branch = None, parts[0], parts[1]
    else:
        track, risk = parts[0], parts[1]
        branch = parts[2] if len(parts) == 3 else None
    if risk not in RISKS:
        return ChannelProblem(f"risk {quote(risk)} is not one of {', '.join(RISKS)}")
    if track == "":
        return ChannelProblem("the track is empty")
    if branch == "":
        return ChannelProblem("the branch is empty")
    return None


def channel_problems(bundle: Mapping[str, object], provenance: OriginLookup) -> list[Diagnostic]:
    """An error (or a warning) for each application whose channel Juju would not take."""
    diagnostics: list[Diagnostic] = []
    for name, app in as_mapping(bundle.get("applications")).items():
        channel = as_mapping(app).get("channel")
        if not isinstance(channel, str) or not channel:
            continue
        problem = channel_problem(channel)
        if problem is None:
            continue
        path: NodePath = ("applications", name, "channel")
        where = f"application {quote(name)} channel {quote(channel)}"
        severity: Severity = WARNING if problem.warning else ERROR
        if problem.warning:
            message = f"{where} {problem.message}"
        else:
            message = f"{where} is not a Charmhub channel ({FORM}): {problem.message}"
        diagnostics.append(Diagnostic(message, provenance.origin(path), severity=severity))
    return diagnostics
