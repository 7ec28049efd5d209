"""Every bad value of a check is reported, not only the first of its kind in an application."""

from __future__ import annotations

from pathlib import Path

from test_charm_checks_overlays import at, findings, write_overlay


def test_each_option_and_resource_finding_of_an_application_is_reported(tmp_path: Path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          nbi:
            options:
              log_levl: DEBUG
              max_body: 3
              max-body-size: many
              log-level: 5
            resources:
              nbi-img: x
              nbi-imag: y
          ng-ui:
            options:
              max-body-size: -1
              log-level: LOUD
        """,
    )
    prefix = 'error: cannot validate application "nbi":'
    ng_ui = 'error: cannot validate application "ng-ui":'

    assert sorted(findings(overlay)) == sorted(
        [
            f'{at(overlay, "log_levl")}: {prefix} configuration option "log_levl" not found in '
            'charm "osm-nbi" (did you mean "log-level"?)',
            f'{at(overlay, "max_body")}: {prefix} configuration option "max_body" not found in '
            'charm "osm-nbi" (did you mean "max-body-size"?)',
            f'{at(overlay, "max-body-size")}: {prefix} option "max-body-size" expected int, got '
            '"many"',
            f'{at(overlay, "log-level: 5")}: {prefix} option "log-level" expected string, got 5',
            f'{at(overlay, "nbi-img:")}: {prefix} resource "nbi-img" not found in charm "osm-nbi" '
            '(did you mean "nbi-image"?)',
            f'{at(overlay, "nbi-imag:")}: {prefix} resource "nbi-imag" not found in charm '
            '"osm-nbi" (did you mean "nbi-image"?)',
            f'{at(overlay, "max-body-size: -1")}: {ng_ui} option "max-body-size": must be at '
            "least 0, got -1",
            f'{at(overlay, "log-level: LOUD")}: {ng_ui} option "log-level": invalid log-level '
            "'LOUD': use one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL",
        ]
    )
