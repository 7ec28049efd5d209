"""Each charm-aware check, triggered by a wrong overlay over the real base bundle and charms.

Every test writes a small vendor overlay, composes it with the repository's base distribution
and validates it against this repository's charms and external catalog; the finding must be
reported at the exact PATH:LINE:COL of the overlay line that caused it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import at, checked
from typer.testing import CliRunner

from distro_builder import api
from distro_builder.api import InputError, Project
from distro_builder.cli import create_app

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "bundles" / "osm" / "bundle.yaml.j2"
HEADER = "distro:\n  name: test-osm\n"


def write_overlay(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "overlay.yaml"
    path.write_text(HEADER + textwrap.dedent(body))
    return path


def findings(overlay: Path, *, allow_unknown_charms: bool = False) -> list[str]:
    return checked(str(overlay), allow_unknown_charms=allow_unknown_charms)


def test_the_base_and_the_example_overlays_validate_clean():
    for overlays in ([], ["ha"], ["acme-telco"], ["globex"]):
        project = Project.locate(ROOT)
        composition = api.compose(project, api.ComposeOptions(overlays=overlays))
        assert api.check(project, composition, api.CheckOptions()).diagnostics == [], overlays


def test_unknown_option_with_suggestion(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          nbi:
            options:
              log_level: DEBUG
        """,
    )

    assert findings(overlay) == [
        f'{at(overlay, "log_level")}: error: cannot validate application "nbi": configuration'
        ' option "log_level" not found in charm "osm-nbi" (did you mean "log-level"?)'
    ]


def test_option_of_the_wrong_type(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          nbi:
            options:
              max-body-size: lots
        """,
    )

    assert findings(overlay) == [
        f'{at(overlay, "max-body-size")}: error: cannot validate application "nbi": option'
        ' "max-body-size" expected int, got "lots"'
    ]


@pytest.mark.parametrize(
    ("application", "option", "value", "problem"),
    [
        (
            "nbi",
            "log-level",
            "LOUD",
            "invalid log-level 'LOUD': use one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL",
        ),
        (
            "ng-ui",
            "branding-primary-color",
            "blurple",
            "invalid branding-primary-color 'blurple': use #rgb, #rrggbb, rgb(r, g, b) or a"
            " CSS colour name",
        ),
        ("ro", "period-refresh-active", "30", "must be at least 60 (or -1), got 30"),
        (
            "lcm",
            "helm-stable-repo-url",
            "ftp://helm:hunter2@charts.example/stable",
            'must be a URI (http://, https://...), got "ftp://helm:***@charts.example/stable"',
        ),
        (
            "prometheus",
            "retention-time",
            "two weeks",
            "invalid retention-time 'two weeks': use a non-zero Prometheus duration such as"
            " 15d or 30s",
        ),
    ],
)
def test_values_the_charm_would_refuse(tmp_path, application, option, value, problem):
    overlay = write_overlay(
        tmp_path,
        f"""
        applications:
          {application}:
            options:
              {option}: "{value}"
        """,
    )

    charm_findings = [f for f in findings(overlay) if "cannot validate" in f]

    assert charm_findings == [
        f'{at(overlay, option)}: error: cannot validate application "{application}": option'
        f' "{option}": {problem}'
    ]
    assert "hunter2" not in "".join(findings(overlay))


def test_secret_option_needs_a_secret_uri(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          lcm:
            options:
              database-commonkey: hunter2
        """,
    )

    problems = findings(overlay)

    assert (
        f'{at(overlay, "database-commonkey")}: error: cannot validate application "lcm": option'
        ' "database-commonkey" expected secret, got a value that is not a secret URI'
        " (not shown)"
    ) in problems
    assert not any("hunter2" in problem for problem in problems)


def test_unknown_resource_and_bad_image_reference(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          nbi:
            resources:
              nbi-imag: registry.example/osm/nbi:16
          ro:
            resources:
              ro-image: registry.example/OSM/ro:16
        """,
    )

    assert findings(overlay) == [
        f'{at(overlay, "nbi-imag")}: error: cannot validate application "nbi": resource'
        ' "nbi-imag" not found in charm "osm-nbi" (did you mean "nbi-image"?)',
        f'{at(overlay, "ro-image")}: error: application "ro" resource "ro-image":'
        ' "registry.example/OSM/ro:16" is not a valid OCI image reference'
        " ([registry/]path[:tag][@digest], with a lower-case path)",
    ]


def test_unknown_storage(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          kafka:
            storage:
              logs: 5G
        """,
    )

    assert findings(overlay) == [
        f'{at(overlay, "logs")}: error: cannot validate application "kafka": storage "logs"'
        ' not found in charm "osm-kafka"'
    ]


def test_single_unit_charm_scaled_up(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          prometheus:
            scale: 2
        """,
    )

    assert findings(overlay) == [
        f'{at(overlay, "scale")}: error: application "prometheus" has 2 units but charm'
        ' "osm-prometheus" runs as a single unit'
    ]


@pytest.mark.parametrize(
    ("value", "problem", "column"),
    [
        ("-1", 'negative number of units specified on application "nbi"', "scale"),
        ("three", 'applications.nbi.scale: expected an integer, got "three"', "three"),
        ("2.5", "applications.nbi.scale: expected an integer, got 2.5", "2.5"),
    ],
)
def test_scale_must_be_a_non_negative_integer(tmp_path, value, problem, column):
    overlay = write_overlay(tmp_path, f"applications:\n  nbi:\n    scale: {value}\n")

    try:
        messages = findings(overlay)
    except InputError as error:  # a value that is not a number stops the composition
        messages = [diagnostic.format() for diagnostic in error.diagnostics]

    assert messages == [f"{at(overlay, column)}: error: {problem}"]


@pytest.mark.parametrize(
    ("relation", "problem"),
    [
        (
            "[ng-ui:nbi, nbi:nbii]",
            'charm "osm-nbi" used by application "nbi" does not define relation "nbii"'
            ' (did you mean "nbi"?)',
        ),
        (
            "[nbi:mongodb, kafka:kafka]",
            'mismatched interface between "kafka:kafka" and "nbi:mongodb"'
            ' ("kafka_client" vs "mongodb_client")',
        ),
        ("[nbi:nbi, ro:ro]", 'relation "nbi:nbi" to "ro:ro" relates provider to provider'),
        (
            "[ng-ui, mongodb]",
            "cannot infer endpoint between ng-ui and mongodb: no relations found",
        ),
        (
            "[kafka:cluster, nbi:kafka]",
            'endpoint "kafka:cluster" is a peer relation of charm "osm-kafka": it relates the'
            " units of one application and cannot be related to another application",
        ),
    ],
)
def test_relations_that_do_not_fit_the_charms(tmp_path, relation, problem):
    overlay = write_overlay(tmp_path, f"relations:\n  - {relation}\n")

    relation_findings = [
        f for f in findings(overlay) if "required endpoint" not in f and ": note: " not in f
    ]

    assert relation_findings == [f"{at(overlay, relation)}: error: {problem}"]


def test_ambiguous_relation_lists_the_candidates(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          keystone:
            charm: osm-keystone
            channel: latest/beta
          mysql:
            charm: mysql-k8s
            channel: 8.0/stable
        relations:
          - [keystone:db, mysql]
        """,
    )

    assert findings(overlay) == [
        f"{at(overlay, '[keystone:db, mysql]')}: error: cannot infer endpoint between"
        " keystone:db and mysql: ambiguous relation: keystone:db mysql could refer to"
        ' "keystone:db mysql:mysql"; "keystone:db mysql:mysql-root"'
    ]


def test_limit_exceeded(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          mongodb2:
            charm: osm-mongodb
        relations:
          - [nbi:mongodb, mongodb2:database]
        """,
    )

    assert findings(overlay) == [
        f'{at(overlay, "[nbi:mongodb, mongodb2:database]")}: error: relation ["nbi:mongodb"'
        ' "mongodb2:database"] exceeds the limit of endpoint "nbi:mongodb": charm "osm-nbi"'
        " allows 1 relation (limit: 1)"
    ]


def test_required_endpoint_left_unrelated(tmp_path):
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(HEADER + "  remove-relations:\n    - [lcm:ro, ro:ro]\n")

    assert findings(overlay) == [
        f'{at(BASE, "lcm:")}: error: application "lcm" leaves required endpoint "ro"'
        ' (interface ro) of charm "osm-lcm" unrelated',
        f'{at(overlay, "[lcm:ro")}: note: this remove-relations entry removed ["lcm:ro" "ro:ro"]',
    ]


def test_unknown_charm_is_an_error_or_a_warning(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          extra:
            charm: thirdparty-k8s
        """,
    )
    message = (
        ': application "extra" refers to non-existent charm "thirdparty-k8s": it is neither'
        " in charms/ nor in the external catalog (charms/external/)"
    )

    note = (
        "note: to deploy a charm from elsewhere, describe it in the catalog: distro-builder"
        " catalog import FILE (its .charm, charmcraft.yaml or metadata.yaml); see"
        " charms/external/README.md"
    )

    assert findings(overlay) == [f"{at(overlay, 'charm:')}: error{message}", note]
    assert findings(overlay, allow_unknown_charms=True) == [
        f"{at(overlay, 'charm:')}: warning{message}",
        note,
    ]


SWAP_MONGODB = """
applications:
  mongodb:
    charm: mongodb-k8s
    channel: 6/edge
    trust: true
    resources:
      mongodb-image: null
    storage: null
"""


OSM_COMPONENTS = ("nbi", "ro", "lcm", "mon", "pol")
MONGODB_V0 = (
    'error: relation ["{app}:mongodb" "mongodb"] cannot work: "{app}:mongodb" speaks'
    ' data-platform-v1 and "mongodb:database" (charm "mongodb-k8s" 6/edge) only'
    " data-platform-v0: the requests of one are never answered by the other, so {app} would"
    " wait for its mongodb data forever (facts: "
)
KAFKA_SASL = (
    'error: relation ["{app}:kafka" "kafka"] cannot work: "kafka:kafka-client" (charm'
    ' "kafka-k8s" 4/edge) requires of its clients sasl-scram-sha-512 ('
)


def base_relation(app: str, endpoint: str) -> str:
    """The position of the base's relation `[app:endpoint, ...]` (its "[")."""
    path, line, column = at(BASE, f"- [{app}:{endpoint}, ").rsplit(":", 2)
    return f"{path}:{line}:{int(column) + 2}"


def test_swapping_in_canonical_mongodb_is_refused_it_never_answers_v1_requests(tmp_path):
    overlay = write_overlay(tmp_path, SWAP_MONGODB)

    found = findings(overlay)
    assert len(found) == len(OSM_COMPONENTS)
    for line, app in zip(found, OSM_COMPONENTS, strict=True):
        assert line.startswith(f"{base_relation(app, 'mongodb')}: {MONGODB_V0.format(app=app)}")
        assert "canonical/mongodb-k8s-operator@b73d14a" in line


def test_relating_ng_ui_to_the_swapped_mongodb_does_not(tmp_path):
    overlay = write_overlay(tmp_path, SWAP_MONGODB + "relations:\n  - [ng-ui, mongodb]\n")

    found = findings(overlay)
    expected = [
        f"{at(overlay, '[ng-ui, mongodb]')}: error: cannot infer endpoint between ng-ui and"
        " mongodb: no relations found",
        'charms/osm-ng-ui/charmcraft.yaml: note: application "ng-ui" (charm "osm-ng-ui")'
        " offers: nbi (requires, interface nbi)",
        'charms/external/mongodb-k8s.yaml: note: application "mongodb" (charm "mongodb-k8s")'
        " offers: database (provides, interface mongodb_client), obsolete (provides, interface"
        " mongodb), metrics-endpoint (provides, interface prometheus_scrape), grafana-dashboard"
        " (provides, interface grafana_dashboard), config-server (provides, interface shards),"
        " cluster (provides, interface config-server), certificates (requires, interface"
        " tls-certificates), logging (requires, interface loki_push_api), s3-credentials"
        " (requires, interface s3), sharding (requires, interface shards)",
    ]
    start = found.index(expected[0])
    assert found[start : start + 3] == expected


def test_every_finding_is_reported_together(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          nbi:
            options:
              log_level: DEBUG
          prometheus:
            scale: 3
        relations:
          - [ng-ui, mongodb]
        """,
    )

    assert len([finding for finding in findings(overlay) if ": error: " in finding]) == 3


CANONICAL_DATA = ROOT / "tests" / "overlays" / "canonical-data"


@pytest.mark.parametrize("chain", [(), ("ha",), ("acme-telco",)])
def test_the_canonical_data_swap_composes_but_fails_validation_with_the_reasons(chain):
    project = Project.locate(ROOT)
    options = api.CheckOptions(overlays=[*chain, str(CANONICAL_DATA)], strict=True)
    composition = api.compose(project, options)
    applications = composition.bundle["applications"]
    assert (applications["mongodb"]["charm"], applications["kafka"]["charm"]) == (
        "mongodb-k8s",
        "kafka-k8s",
    )
    assert "storage" not in applications["mongodb"]
    assert applications["kafka"]["options"] == {"roles": "broker,controller"}

    every = [d.format() for d in api.check(project, composition, options).diagnostics]
    found = [line for line in every if "cannot work" in line]
    mongodb = [line for line in found if "mongodb-k8s" in line]
    kafka = [line for line in found if "kafka-k8s" in line]
    assert len(found) == len(mongodb) + len(kafka) == 2 * len(OSM_COMPONENTS)
    # acme-telco also wants every image from its registry: the swapped charms' defaults are not
    registry = [line for line in every if "default image" in line]
    assert len(every) == len(found) + len(registry) == len(found) + 2 * ("acme-telco" in chain)
    for line, app in zip(mongodb, OSM_COMPONENTS, strict=True):
        assert line.startswith(f"{base_relation(app, 'mongodb')}: {MONGODB_V0.format(app=app)}")
    for line, app in zip(kafka, OSM_COMPONENTS, strict=True):
        assert line.startswith(f"{base_relation(app, 'kafka')}: {KAFKA_SASL.format(app=app)}")
        assert "; topic-acl (" in line
        assert f'which "{app}:kafka" does not do (its client: osm_common MsgKafka' in line
        assert "canonical/kafka-k8s-operator@92a4a20" in line


def test_the_canonical_data_swap_fails_validate_with_exit_2():
    result = CliRunner().invoke(
        create_app(), ["validate", "--root", str(ROOT), "--overlay", str(CANONICAL_DATA)]
    )
    assert result.exit_code == 2
    assert "cannot work" in result.output
