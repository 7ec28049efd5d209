"""`diff`: applications, options, relations and images that differ."""

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from distro_builder.cli import create_app
from distro_builder.inspect import Difference, as_json, as_table, compare

A = {
    "applications": {
        "nbi": {
            "charm": "osm-nbi",
            "scale": 1,
            "options": {"log-level": "INFO"},
            "resources": {"nbi-image": "a/nbi:16"},
        },
        "ro": {"charm": "osm-ro"},
    },
    "relations": [["nbi:mongodb", "mongodb:database"], ["ro:kafka", "kafka:kafka"]],
}
B = {
    "applications": {
        "nbi": {
            "charm": "osm-nbi",
            "scale": 3,
            "options": {"log-level": "DEBUG", "x": "y" * 80},
            "resources": {"nbi-image": "b/nbi:16"},
        },
        "keystone": {"charm": "osm-keystone"},
    },
    "relations": [["mongodb:database", "nbi:mongodb"], ["nbi:keystone", "keystone:keystone"]],
}


def test_compare_finds_every_kind_of_difference():
    assert compare(A, B) == [
        Difference("application", "keystone", "", None, "present"),
        Difference("application", "nbi", "units", 1, 3),
        Difference("option", "nbi", "log-level", "INFO", "DEBUG"),
        Difference("option", "nbi", "x", None, "y" * 80),
        Difference("image", "nbi", "nbi-image", "a/nbi:16", "b/nbi:16"),
        Difference("application", "ro", "", "present", None),
        Difference("relation", "", "kafka:kafka ro:kafka", "present", None),
        Difference("relation", "", "keystone:keystone nbi:keystone", None, "present"),
    ]
    assert compare(A, A) == []


def test_table_and_json_renderings():
    differences = compare(A, B)
    table = as_table(differences, "a", "b").splitlines()
    assert table[0].split() == ["kind", "application", "key", "a", "b"]
    assert table[3].split() == ["option", "nbi", "log-level", "INFO", "DEBUG"]
    assert table[4].endswith("sha256:" + hashlib.sha256(b"y" * 80).hexdigest()[:16])
    payload = json.loads(as_json(differences, "a", "b"))
    assert payload["a"] == "a" and payload["differences"][3]["b"] == "y" * 80
    assert as_table([], "a", "b") == "no differences between a and b\n"


def test_diff_command_between_two_overlays_and_two_dist_directories(project: Path):
    runner = CliRunner()
    root = ["--root", str(project)]
    result = runner.invoke(create_app(), ["diff", "ha", "globex", *root, "--format", "json"])
    assert result.exit_code == 0, result.output
    differences = json.loads(result.stdout)["differences"]
    assert {
        "kind": "relation",
        "application": "",
        "key": "mon:prometheus prometheus:prometheus",
        "a": "present",
        "b": None,
    } in differences
    for overlay in ("ha", "globex"):
        assert runner.invoke(create_app(), ["build", "--overlay", overlay, *root]).exit_code == 0
    one, two = str(project / "dist/osm-ha"), str(project / "dist/globex-lab")
    from_dirs = runner.invoke(create_app(), ["diff", one, two, "--format", "json"])
    assert json.loads(from_dirs.stdout)["differences"] == differences
    table = runner.invoke(create_app(), ["diff", "ha", "ha", *root])
    assert table.stdout == "no differences between ha and ha\n"


def test_a_relation_left_to_inference_is_the_one_juju_infers(project: Path):
    extra = "applications:\n  extra: {charm: osm-ro, scale: 1}\nrelations:\n"
    inferred = project / "inferred.yaml"
    named = project / "named.yaml"
    inferred.write_text(extra + "  - [extra:mongodb, mongodb]\n  - [extra:kafka, kafka]\n")
    named.write_text(extra + "  - [extra:mongodb, mongodb:database]\n  - [extra:kafka, kafka]\n")

    result = CliRunner().invoke(
        create_app(), ["diff", str(inferred), str(named), "--root", str(project)]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == f"no differences between {inferred} and {named}\n"


def test_storage_constraints_and_trust_are_compared(project: Path):
    runner = CliRunner()
    result = runner.invoke(
        create_app(), ["diff", "ha", "globex", "--root", str(project), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    differences = json.loads(result.stdout)["differences"]
    assert {
        "kind": "storage",
        "application": "mongodb",
        "key": "db",
        "a": "20G",
        "b": "2G",
    } in differences
    assert {
        "kind": "application",
        "application": "mongodb",
        "key": "constraints",
        "a": None,
        "b": "mem=1G",
    } in differences
    trusted = {"applications": {"nbi": {"charm": "osm-nbi", "trust": True}}}
    untrusted = {"applications": {"nbi": {"charm": "osm-nbi"}}}
    assert compare(trusted, untrusted) == [Difference("application", "nbi", "trust", True, None)]


def test_long_or_binary_values_are_shown_by_digest_so_that_they_differ(project: Path):
    logo = project / "overlays/acme-telco/logo.svg"
    other = project / "overlays/rebrand"
    other.mkdir()
    (other / "logo.svg").write_text(logo.read_text().replace("#c8102e", "#00ff00"))
    (other / "overlay.yaml").write_text(
        "distro: {name: rebrand, extends: [acme-telco], branding: {logo: logo.svg}}\n"
    )

    result = CliRunner().invoke(
        create_app(), ["diff", "acme-telco", "rebrand", "--root", str(project)]
    )

    assert result.exit_code == 0, result.output
    (row,) = [line for line in result.stdout.splitlines() if "branding-logo" in line]
    first, second = row.split()[3:]
    assert first != second
    assert first.startswith("sha256:") and second.startswith("sha256:")
    binary = as_table([Difference("option", "a", "k", "x\x00\x01y", "x\x00\x02y")], "a", "b")
    cells = binary.splitlines()[1].split()[3:]
    assert cells[0] != cells[1] and all(cell.startswith("sha256:") for cell in cells)
