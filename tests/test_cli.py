"""The command line: typer commands, exit statuses and output."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO_ROOT, SHIPPED_OVERLAYS, pack_standins
from typer.testing import CliRunner

from distro_builder.cli import create_app

runner = CliRunner()
SHIPPED = SHIPPED_OVERLAYS


def invoke(*args: str):
    return runner.invoke(create_app(), list(args))


def test_build_command(project: Path, tmp_path: Path):
    output = tmp_path / "out"
    result = invoke(
        "build", "--overlay", "acme-telco", "--root", str(project), "--output", str(output)
    )
    assert result.exit_code == 0, result.output
    assert "wrote " in result.stdout
    assert (output / "bundle.yaml").is_file()


def test_input_errors_exit_2_with_every_error_and_no_traceback(project: Path):
    result = invoke("build", "--overlay", "nope", "--overlay", "nada", "--root", str(project))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(";")[0] for line in lines] == [
        'error: unknown overlay "nope"',
        'error: unknown overlay "nada"',
    ]
    for line in lines:
        available = line.split("; available overlays: ")[1].split(", ")
        assert set(SHIPPED) <= set(available) and available == sorted(available)
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(project: Path):
    result = invoke("validate", "--overlay", "nope", "--root", str(project), "--debug")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr


def test_environment_failure_exits_1(project: Path, tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = invoke("build", "--root", str(project), "--output", str(blocker / "dist"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")


def test_validate_writes_nothing(project: Path):
    result = invoke("validate", "--overlay", "globex", "--root", str(project), "--strict")
    assert result.exit_code == 0, result.output
    assert result.stdout == "globex-lab: valid\n"
    assert not (project / "dist").exists()


def test_merge_prints_the_composed_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    Path("bundle.yaml").write_text(
        "applications:\n  a: {charm: ubuntu, num_units: 1}\n  b: {charm: ubuntu}\n"
    )
    Path("o.yaml").write_text("applications:\n  b:\n  a: {num_units: 2}\n")
    result = invoke("merge", "bundle.yaml", "--overlay", "o.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout == "applications:\n  a:\n    charm: ubuntu\n    num_units: 2\n"


def test_merge_reports_juju_errors_and_no_verify_skips_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    Path("bundle.yaml").write_text(
        "applications:\n  a: {charm: ubuntu}\nrelations:\n  - [a:x, a:y]\n"
    )
    result = invoke("merge", "bundle.yaml")
    assert result.exit_code == 2
    assert (
        result.stderr
        == 'bundle.yaml:4:5: error: relation ["a:x" "a:y"] relates an application to itself\n'
    )
    assert invoke("merge", "bundle.yaml", "--no-verify").exit_code == 0


def test_merge_accepts_a_bundle_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    Path("b").mkdir()
    Path("b/bundle.yaml").write_text("applications:\n  a: {charm: ubuntu}\n")
    result = invoke("merge", "b")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout) == {"applications": {"a": {"charm": "ubuntu"}}}


def test_list_shows_overlays_with_chain_and_description(project: Path):
    result = invoke("list", "--root", str(project))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["OVERLAY", "DISTRIBUTION", "CHAIN", "DESCRIPTION"]
    (acme,) = [line for line in lines if line.startswith("acme-telco ")]
    assert acme.split()[:6] == ["acme-telco", "acme-osm", "ha", "->", "acme-telco", "ACME"]
    rows = json.loads(invoke("list", "--root", str(project), "--format", "json").stdout)
    names = [row["overlay"] for row in rows]
    assert set(SHIPPED) <= set(names) and names == sorted(names)
    (ha,) = [row for row in rows if row["overlay"] == "ha"]
    assert ha == {
        "overlay": "ha",
        "distribution": "osm-ha",
        "chain": "ha",
        "description": ha["description"],
    }
    assert ha["description"].startswith("Open Source MANO release 16, highly available")


def test_list_reports_a_broken_overlay_and_lists_the_rest(project: Path):
    (project / "overlays/broken").mkdir()
    (project / "overlays/broken/overlay.yaml").write_text("distro: {extends: [missing]}\n")
    result = invoke("list", "--root", str(project))
    assert result.exit_code == 2
    assert "acme-telco" in result.stdout and "broken" in result.stdout
    assert 'unknown overlay "missing"' in result.stderr


def test_bad_format_is_a_usage_error(project: Path):
    result = invoke("list", "--root", str(project), "--format", "xml")
    assert result.exit_code == 2
    assert "use one of table, json" in result.output


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "distro_builder", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_real_process_builds_and_reports_errors(project: Path):
    done = run_cli("build", "--overlay", "acme-telco", cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote dist/acme-osm/ (bundle.yaml, distro.lock, README.md")
    overlay = project / "overlays/globex/overlay.yaml"
    overlay.write_text(
        overlay.read_text().replace("scale: 1\n    options:", "scale: one\n    options:", 1)
    )
    failed = run_cli("build", "--overlay", "globex", cwd=project)
    assert failed.returncode == 2
    assert failed.stdout == ""
    assert failed.stderr.startswith("overlays/globex/overlay.yaml:")
    assert 'scale: expected an integer, got "one"' in failed.stderr
    assert "Traceback" not in failed.stderr


def test_real_process_help_goes_through_typer():
    done = run_cli("build", "--help", cwd=REPO_ROOT)
    assert done.returncode == 0
    assert "--overlay" in done.stdout and "--set" in done.stdout


def test_merging_a_built_bundle_reproduces_it(project: Path, tmp_path: Path):
    output = tmp_path / "acme"
    pack_standins(project, tmp_path / "packed")
    args = ["--overlay", "acme-telco", "--charms-dir", str(tmp_path / "packed")]
    assert invoke("build", *args, "--root", str(project), "--output", str(output)).exit_code == 0
    merged = invoke("merge", str(output / "bundle.yaml"))
    assert merged.exit_code == 0, merged.output
    built = (output / "bundle.yaml").read_text().split("\n", 1)[1]  # after the header comment
    # Juju makes the bundle's relative charm paths absolute against its directory.
    assert merged.stdout.replace(f"charm: {output}/", "charm: ./") == built


def test_the_suite_does_not_depend_on_a_vendors_own_overlays(tmp_path: Path):
    # A vendor adds overlays/<name>/ to their checkout (one that sorts first, one broken):
    # the project's own tests that list overlays (list, unknown overlay) still pass there,
    # and every test project (helpers.copy_project) holds only the shipped overlays.
    checkout = tmp_path / "vendor-checkout"
    ignore = shutil.ignore_patterns(".venv", "__pycache__", ".*_cache", "*.charm", "dist")
    for part in ("bundles", "overlays", "charms", "tests"):
        shutil.copytree(REPO_ROOT / part, checkout / part, ignore=ignore)
    shutil.copy(REPO_ROOT / "pyproject.toml", checkout)
    (checkout / "overlays/aaa-initech").mkdir()
    (checkout / "overlays/aaa-initech/overlay.yaml").write_text(
        "distro:\n  name: initech-osm-with-a-long-name\n  description: Initech's own\n"
    )
    (checkout / "overlays/zz-broken").mkdir()
    (checkout / "overlays/zz-broken/overlay.yaml").write_text("distro: {extends: [nowhere]}\n")

    pytest_args = ["-q", "-p", "no:cacheprovider", "-k", "not vendors"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *pytest_args, "tests/test_cli.py"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert done.returncode == 0, done.stdout[-3000:]


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--help"],
        ["build", "--bogus"],
        ["simulate", "--help"],
        ["explain"],
        ["catalog", "import", "--help"],
        ["deploy", "--help"],
        ["buld"],
    ],
)
def test_a_run_of_one_command_answers_as_the_whole_application(args: list[str]):
    # main() builds only the command it runs (start-up); what the user sees is the same.
    whole = runner.invoke(create_app(), args)
    one = runner.invoke(create_app(args[0]), args)
    assert (one.exit_code, one.output) == (whole.exit_code, whole.output)
