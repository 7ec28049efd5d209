"""The charm-aware checks in `validate` and `build`, and the topology a build ships.

`build` refuses to write a distribution that fails them, and adds topology.svg (when
Graphviz is installed) and the Mermaid text in the README.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from distro_builder.cli import create_app, main
from distro_builder.emit import graphviz_available

ROOT = Path(__file__).resolve().parent.parent
WRONG = "distro:\n  name: wrong-osm\napplications:\n  nbi:\n    options:\n      log_level: DEBUG\n"
UNKNOWN = "distro:\n  name: odd-osm\napplications:\n  extra:\n    charm: thirdparty-k8s\n"


def overlay(tmp_path: Path, text: str) -> str:
    path = tmp_path / "overlay.yaml"
    path.write_text(text)
    return str(path)


def invoke(*args: str):
    return CliRunner().invoke(create_app(), [*args, "--root", str(ROOT)])


def test_validate_reports_a_charm_finding_at_its_line(tmp_path):
    path = overlay(tmp_path, WRONG)

    result = invoke("validate", "--overlay", path)

    assert result.exit_code == 2
    assert result.stderr == (
        f'{path}:6:7: error: cannot validate application "nbi": configuration option'
        ' "log_level" not found in charm "osm-nbi" (did you mean "log-level"?)\n'
    )


def test_unknown_charms_can_be_allowed_and_strict_refuses_them_again(tmp_path):
    path = overlay(tmp_path, UNKNOWN)

    refused = invoke("validate", "--overlay", path)
    allowed = invoke("validate", "--overlay", path, "--allow-unknown-charms")
    strict = invoke("validate", "--overlay", path, "--allow-unknown-charms", "--strict")

    assert refused.exit_code == 2
    assert allowed.exit_code == 0
    assert allowed.stderr.startswith(f'{path}:5:5: warning: application "extra" refers to')
    assert strict.exit_code == 2


def test_the_fast_build_path_takes_allow_unknown_charms(tmp_path, capsys):
    output = tmp_path / "out"
    args = ["build", "--overlay", overlay(tmp_path, UNKNOWN), "--root", str(ROOT)]

    with pytest.raises(SystemExit) as refused:
        main([*args, "--output", str(output)])
    with pytest.raises(SystemExit) as allowed:
        main([*args, "--output", str(output), "--allow-unknown-charms"])

    assert (refused.value.code, allowed.value.code) == (2, 0)
    assert 'warning: application "extra" refers to non-existent charm' in capsys.readouterr().err


def test_build_refuses_to_write_a_distribution_that_fails_the_checks(tmp_path):
    output = tmp_path / "out"

    result = invoke("build", "--overlay", overlay(tmp_path, WRONG), "--output", str(output))

    assert result.exit_code == 2
    assert 'configuration option "log_level" not found' in result.stderr
    assert not output.exists()


@pytest.mark.skipif(not graphviz_available(), reason="no graphviz")
def test_build_ships_the_topology_svg_and_the_mermaid_text(tmp_path):
    output = tmp_path / "out"

    result = invoke("build", "--overlay", "acme-telco", "--output", str(output))

    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("(bundle.yaml, distro.lock, README.md, topology.svg)")
    assert b"<svg" in (output / "topology.svg").read_bytes()
    readme = (output / "README.md").read_text()
    assert "## Topology" in readme
    assert "  class app_keystone,app_mysql vendor\n" in readme


def test_without_graphviz_the_build_says_so_and_keeps_the_mermaid(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    output = tmp_path / "out"

    result = invoke("build", "--overlay", "globex", "--output", str(output))

    assert result.exit_code == 0, result.output
    assert "note: graphviz is not installed" in result.stderr
    assert not (output / "topology.svg").exists()
    assert "```mermaid" in (output / "README.md").read_text()


def test_a_project_without_charms_is_checked_structurally_with_a_warning(tmp_path):
    project = tmp_path / "project"
    for directory in ("bundles", "overlays"):
        shutil.copytree(ROOT / directory, project / directory)

    result = CliRunner().invoke(create_app(), ["validate", "--root", str(project)])

    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: no charms/ directory in {project}: no charm metadata, so the charm-aware"
        " checks were skipped\n"
    )
