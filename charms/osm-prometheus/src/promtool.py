# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Candidate configurations checked by the image's promtool (Pebble exec) before use.

Prometheus refuses a whole configuration for one bad field: on SIGHUP it keeps the old
one, and on its next start it does not start at all. Providers publish scrape jobs the
charm cannot fully validate (durations, regular expressions, relabel actions, URLs...),
so every new configuration is first checked by `promtool check config`, the image's own
(the same version as the server); a provider whose jobs promtool refuses is left out.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import ops
from charms.osm_libs.v0.pebble_service import PEBBLE_FILE_ERRORS
from literals import CHECK_DIR, PROMTOOL
from workload import PrometheusSettings

logger = logging.getLogger(__name__)

EXEC_TIMEOUT = 60.0  # seconds
# promtool quotes the values it refuses; a provider's value may be a password or a URL
# holding one, so quoted text is left out of the log.
_QUOTED = re.compile(r'"[^"\n]*"|`[^`\n]*`')


@dataclass(frozen=True)
class Checked:
    """The outcome of checking a configuration.

    Attributes:
        text: the configuration to use; None when promtool refused even the one without
            the refused providers (the current file stays).
        refused: the providers whose jobs promtool refused, left out of `text`.
    """

    text: str | None
    refused: tuple[str, ...] = ()


class Promtool:
    """Runs `promtool check config` in the workload container on candidate files."""

    def __init__(self, container: ops.Container):
        self._container = container

    def accepts(self, name: str, text: str) -> bool | None:
        """Whether promtool accepts `text`; None when promtool cannot be run."""
        path = f"{CHECK_DIR}/{name}.yml"
        self._container.push(path, text, make_dirs=True, permissions=0o600)
        try:
            self._container.exec([PROMTOOL, "check", "config", path], timeout=EXEC_TIMEOUT).wait()
        except ops.pebble.ExecError as error:
            logger.warning("promtool refused %s: %s", name, _redacted(str(error.stderr or "")))
            return False
        except (ops.pebble.APIError, ops.pebble.ChangeError, ops.pebble.TimeoutError) as error:
            logger.warning(
                "cannot run promtool, %s is not checked: %s", name, type(error).__name__
            )
            return None
        return True

    def remove_candidates(self) -> None:
        """Remove the candidate files."""
        try:
            self._container.remove_path(CHECK_DIR, recursive=True)
        except PEBBLE_FILE_ERRORS as error:
            logger.debug("cannot remove %s: %s", CHECK_DIR, type(error).__name__)


def check(promtool: Promtool, settings: PrometheusSettings) -> Checked:
    """The configuration to use: every provider's jobs, less those promtool refuses.

    One check when all is well; when not, one per provider (each with Prometheus's own
    job) to find the refused ones, and one of what is left.
    """
    everything = settings.config_file()
    if promtool.accepts("all-providers", everything) is not False:
        return Checked(everything)
    refused = tuple(
        provider.app
        for provider in settings.providers
        if promtool.accepts(f"provider-{provider.app}", settings.config_file(only=provider.app))
        is False
    )
    for app in refused:
        logger.warning("promtool refused the scrape jobs of %s: they are left out", app)
    accepted = settings.config_file(leaving_out=refused)
    if promtool.accepts("accepted-providers", accepted) is False:
        logger.error("promtool refused the configuration: Prometheus keeps its current one")
        return Checked(None, refused)
    return Checked(accepted, refused)


def _redacted(output: str) -> str:
    """Promtool's output on one line, without the values it quotes."""
    return " ".join(_QUOTED.sub('"<redacted>"', output).split())
