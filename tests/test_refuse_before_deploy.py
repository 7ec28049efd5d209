"""What Juju or the charms would refuse at deploy time is refused (or warned) at build time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from helpers import at, build, checked, copy_project

from distro_builder import api
from distro_builder.api import InputError, Project

ROOT = Path(__file__).resolve().parent.parent
HEADER = "distro:\n  name: test-osm\n"


def write_overlay(tmp_path: Path, body: str, name: str = "overlay.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + textwrap.dedent(body))
    return path


def check(*overlays: str, settings: tuple[str, ...] = (), strict: bool = False) -> list[str]:
    return checked(*overlays, settings=settings, strict=strict)


def compose_errors(*overlays: str, settings: tuple[str, ...] = ()) -> list[str]:
    project = Project.locate(ROOT)
    with pytest.raises(InputError) as raised:
        api.compose(project, api.ComposeOptions(overlays=overlays, settings=settings))
    return [d.format() for d in raised.value.diagnostics]


# A channel on an application of this repository's charms needs them from Charmhub.
PUBLISHED = "  charms: {source: charmhub, prefix: acme-}\n"


# Channels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "problem"),
    [
        ("latest/stabel", 'risk "stabel" is not one of stable, candidate, beta, edge'),
        ("8.0/stabel", 'risk "stabel" is not one of stable, candidate, beta, edge'),
        ("latest/", 'risk "" is not one of stable, candidate, beta, edge'),
        ("/stable", "the track is empty"),
        ("latest/stable/", "the branch is empty"),
        ("edge/", "the branch is empty"),
        ("a/stable/b/c", "it has more than three parts (track/risk/branch)"),
    ],
)
def test_a_malformed_channel_is_refused_at_its_position(tmp_path, channel, problem):
    body = f'applications:\n  nbi:\n    channel: "{channel}"\n'
    overlay = write_overlay(tmp_path, PUBLISHED + body)
    assert check(str(overlay)) == [
        f'{at(overlay, "channel")}: error: application "nbi" channel "{channel}" is not a'
        f" Charmhub channel ([track/]risk[/branch]): {problem}"
    ]


@pytest.mark.parametrize(
    "channel", ["stable", "edge", "latest/edge", "8.0/stable", "3/beta/fix-1", "candidate/hotfix"]
)
def test_valid_channels_pass(tmp_path, channel):
    body = f"applications:\n  nbi:\n    channel: {channel}\n"
    overlay = write_overlay(tmp_path, PUBLISHED + body)
    assert check(str(overlay)) == []


def test_a_bare_track_that_looks_like_a_misspelt_risk_is_a_warning(tmp_path):
    overlay = write_overlay(tmp_path, PUBLISHED + "applications:\n  nbi:\n    channel: stabel\n")
    assert check(str(overlay)) == [
        f'{at(overlay, "channel")}: warning: application "nbi" channel "stabel" is read as the'
        ' track "stabel" with risk stable (did you mean "stable"?)'
    ]


# --set ----------------------------------------------------------------------------------------


def test_set_of_an_undeclared_variable_is_refused_with_a_suggestion():
    assert compose_errors(settings=("osm_versoin=17",)) == [
        'error: --set "osm_versoin": no variable "osm_versoin" is declared by defaults.yaml or'
        ' an overlay of the chain, so it would change nothing (did you mean "osm_version"?)'
    ]


def test_set_of_a_variable_an_overlay_declares_is_accepted(tmp_path):
    overlay = write_overlay(tmp_path, "  vars:\n    site: lab\napplications: {}\n")
    project = Project.locate(ROOT)
    options = api.ComposeOptions(overlays=[str(overlay)], settings=["site=prod"])
    api.compose(project, options)


# Numbers keep their text ------------------------------------------------------------------------


def test_a_set_number_keeps_the_text_the_user_wrote(tmp_path):
    project = copy_project(tmp_path / "checkout")
    assert build(project, settings=("osm_version=15.10",)) == 0
    bundle = yaml.safe_load((project / "dist/osm/bundle.yaml").read_text())
    assert bundle["applications"]["nbi"]["resources"]["nbi-image"] == (
        "docker.io/opensourcemano/nbi:15.10"
    )
    lock = yaml.safe_load((project / "dist/osm/distro.lock").read_text())
    assert lock["variables"]["osm_version"] == "15.10"


def test_a_number_in_overlay_vars_keeps_its_text(tmp_path):
    overlay = write_overlay(tmp_path, "  vars:\n    osm_version: 15.10\napplications: {}\n")
    project = Project.locate(ROOT)
    composition = api.compose(project, api.ComposeOptions(overlays=[str(overlay)]))
    assert composition.bundle["applications"]["ro"]["resources"]["ro-image"] == (
        "docker.io/opensourcemano/ro:15.10"
    )


def test_numbers_still_compare_as_numbers(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          nbi:
            options:
              log-level: "{{ 'DEBUG' if osm_version > 15 else 'INFO' }}"
        """,
    )
    project = Project.locate(ROOT)
    options = api.ComposeOptions(overlays=[str(overlay)], settings=["osm_version=15.10"])
    composition = api.compose(project, options)
    assert composition.bundle["applications"]["nbi"]["options"]["log-level"] == "DEBUG"


# scale: 0 -------------------------------------------------------------------------------------


def test_scale_zero_in_an_overlay_warns_at_its_line(tmp_path):
    overlay = write_overlay(tmp_path, "applications:\n  nbi:\n    scale: 0\n")
    warning = (
        f'{at(overlay, "scale")}: warning: "scale: 0" for application "nbi" changes nothing in'
        " an overlay (Juju reads a zero scale as unset): write num_units: 0 to remove its units"
    )
    assert check(str(overlay)) == [warning]
    assert check(str(overlay), strict=True) == [warning.replace(": warning: ", ": error: ")]


def test_scale_zero_of_an_application_the_overlay_adds_is_silent(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          nbi2:
            charm: osm-nbi
            scale: 0
            resources: {nbi-image: docker.io/opensourcemano/nbi:16}
        relations:
          - [nbi2:mongodb, mongodb]
          - [nbi2:kafka, kafka]
        """,
    )
    assert check(str(overlay)) == []


# Option/relation combinations the charms block on --------------------------------------------

MON_WHY = (
    '(it blocks with "prometheus-url is set and a prometheus relation exists: use one", or'
    ' "need prometheus relation" with neither)'
)


def test_mon_with_prometheus_url_and_the_prometheus_relation_is_refused(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          mon:
            options:
              prometheus-url: http://prometheus.example:9090
        """,
    )
    assert check(str(overlay)) == [
        f'{at(overlay, "prometheus-url")}: error: application "mon" has option'
        ' "prometheus-url" set and endpoint "prometheus" related: charm "osm-mon" takes exactly'
        f" one of them {MON_WHY}"
    ]


def test_mon_with_neither_prometheus_url_nor_the_relation_is_refused(tmp_path):
    overlay = write_overlay(
        tmp_path, "  remove-relations:\n    - [mon:prometheus, prometheus]\napplications: {}\n"
    )
    (found,) = check(str(overlay))
    assert found.endswith(
        'error: application "mon" has neither option "prometheus-url" set nor endpoint'
        f' "prometheus" related: charm "osm-mon" takes exactly one of them {MON_WHY}'
    )
    assert found.startswith("bundles/osm/bundle.yaml.j2:")


def test_globex_takes_one_prometheus_and_validates():
    assert check("globex") == []


def test_pol_with_mysql_uri_and_the_mysql_relation_is_refused(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          pol:
            options:
              mysql-uri: secret:csb5gt7mp25c77a3bo6g
        """,
    )
    (found,) = check("acme-telco", str(overlay))
    assert found.startswith(
        f'{at(overlay, "mysql-uri")}: error: application "pol" has option "mysql-uri" set and'
        ' endpoint "mysql" related'
    )
    assert 'takes at most one of them (it blocks with "mysql-uri and the mysql relation' in found


def test_lcm_with_vca_host_needs_the_options_the_charm_requires(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          lcm:
            options:
              vca-host: 10.0.0.5
              vca-cloud: lxd-cloud
        """,
    )
    assert check(str(overlay)) == [
        f'{at(overlay, "vca-host")}: error: application "lcm" has option "vca-host" set but not'
        ' option "vca-secret", option "vca-pubkey", option "vca-cacert": charm "osm-lcm" needs'
        ' them with it (it blocks with "vca-host is set: also set ...")'
    ]


def test_lcm_with_vca_host_needs_a_cloud(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          lcm:
            options:
              vca-host: 10.0.0.5
              vca-secret: secret:csb5gt7mp25c77a3bo6g
              vca-cacert: secret:csb5gt7mp25c77a3bo6h
              vca-pubkey: ssh-rsa AAAA
        """,
    )
    assert check(str(overlay)) == [
        f'{at(overlay, "vca-host")}: error: application "lcm" has option "vca-host" set but none'
        ' of option "vca-cloud", option "vca-k8s-cloud": charm "osm-lcm" needs one of them with'
        ' it (it blocks with "vca-host is set: also set vca-cloud or vca-k8s-cloud")'
    ]
