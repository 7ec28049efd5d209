"""`build`: the distribution directory, deterministic and atomic, and the builder's rules."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import build, copy_project, pack_standin
from helpers import compose as compose_in

from distro_builder.api import InputError, Project
from distro_builder.check import plaintext_secrets
from distro_builder.cli import EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_OK
from distro_builder.emit import _write as emit
from distro_builder.emit import copy_hashing, distribution_files, write_distribution

FILES = {"README.md", "bundle.yaml", "distro.lock"}


def built(root: Path, *overlays: str, output: Path | None = None) -> Path:
    assert build(root, *overlays, output=output) == EXIT_OK
    project = Project(root)
    name = compose_in(project, overlays, ()).distro.name
    return output or root / "dist" / name


def contents(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_build_writes_bundle_lock_and_readme(project: Path):
    target = built(project, "acme-telco")
    assert target == project / "dist/acme-osm"
    assert {path.name for path in target.iterdir()} >= FILES
    bundle = yaml.safe_load((target / "bundle.yaml").read_text())
    assert "distro" not in bundle
    assert set(bundle) == {"bundle", "applications", "relations"}
    readme = (target / "README.md").read_text()
    assert readme.startswith("# ACME Orchestrator\n")
    assert "juju deploy ./bundle.yaml --trust" in readme
    row = (
        "| nbi | `./charms/osm-nbi_amd64.charm` (missing) |  | 3 "
        "| `registry.acme.example/osm/nbi:16` |"
    )
    assert row in readme
    assert "| keystone | `osm-keystone` | latest/beta | 1 |" in readme


def test_lock_records_inputs_chain_charms_and_images(project: Path):
    target = built(project, "acme-telco")
    lock = yaml.safe_load((target / "distro.lock").read_text())
    assert lock["name"] == "acme-osm" and lock["version"] == "1.2.0"
    assert lock["overlays"] == ["ha", "acme-telco"]
    assert lock["source-commit"] is None  # the copy has no .git
    logo = project / "overlays/acme-telco/logo.svg"
    logo_input = {"path": "overlays/acme-telco/logo.svg", "sha256": _sha(logo), "git": None}
    assert logo_input in lock["inputs"]
    assert [entry["path"] for entry in lock["inputs"]] == [
        "bundles/osm/defaults.yaml",
        "bundles/osm/bundle.yaml.j2",
        "overlays/ha/overlay.yaml",
        "overlays/acme-telco/overlay.yaml",
        "overlays/acme-telco/logo.svg",
    ]
    assert lock["bundle-sha256"] == _sha(target / "bundle.yaml")
    assert lock["charms"]["keystone"] == {
        "charm": "osm-keystone",
        "source": "charmhub",
        "channel": "latest/beta",
        "revision": None,
        "sha256": None,
        "missing": False,
    }
    assert lock["images"]["nbi"] == {"nbi-image": "registry.acme.example/osm/nbi:16"}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_lock_records_the_git_commit_when_there_is_one(project: Path):
    git = project / ".git"
    (git / "refs/heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "packed-refs").write_text(f"# pack-refs\n{'a' * 40} refs/heads/main\n")
    lock = yaml.safe_load((built(project) / "distro.lock").read_text())
    assert lock["source-commit"] == "a" * 40
    (git / "refs/heads/main").write_text("b" * 40 + "\n")
    lock = yaml.safe_load((built(project) / "distro.lock").read_text())
    assert lock["source-commit"] == "b" * 40


def git(project: Path, *args: str) -> None:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, env=environment)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_lock_says_which_inputs_were_uncommitted_or_modified(project: Path):
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "bundles", "overlays")
    git(project, "commit", "-q", "-m", "checkout")
    globex = project / "overlays/globex/overlay.yaml"
    globex.write_text(globex.read_text() + "# edited\n")
    ha = project / "overlays/ha/overlay.yaml"
    ha.write_text(ha.read_text() + "# edited and staged\n")
    git(project, "add", "overlays/ha/overlay.yaml")
    write_overlay(project, "new", "distro: {name: new, extends: [ha, globex]}\n")
    write_overlay(project, "added", "distro: {name: added, extends: [new]}\n")
    git(project, "add", "overlays/added/overlay.yaml")

    lock = yaml.safe_load((built(project, "added") / "distro.lock").read_text())

    states = {entry["path"]: entry["git"] for entry in lock["inputs"]}
    assert states == {
        "bundles/osm/defaults.yaml": "committed",
        "bundles/osm/bundle.yaml.j2": "committed",
        "overlays/ha/overlay.yaml": "modified",
        "overlays/globex/overlay.yaml": "modified",
        "overlays/new/overlay.yaml": "uncommitted",
        "overlays/added/overlay.yaml": "uncommitted",
    }
    assert lock["source-commit"] is not None


def test_lock_says_nothing_of_git_outside_a_repository(project: Path):
    lock = yaml.safe_load((built(project) / "distro.lock").read_text())
    assert {entry["git"] for entry in lock["inputs"]} == {None}


def test_building_twice_gives_identical_bytes(project: Path):
    first = contents(built(project, "acme-telco"))
    second = contents(built(project, "acme-telco"))
    assert first == second


def test_two_checkouts_in_different_places_give_identical_bytes(tmp_path: Path):
    one = copy_project(tmp_path / "one")
    other = copy_project(tmp_path / "elsewhere/deeper/two")
    for overlays in [("acme-telco",), ("globex",), ()]:
        assert contents(built(one, *overlays)) == contents(built(other, *overlays))


def test_a_local_charm_file_an_overlay_names_is_copied_into_the_distribution(
    project: Path, tmp_path: Path
):
    packed = pack_standin(project / "charms/osm-nbi", tmp_path / "vendor")
    custom = packed.rename(tmp_path / "vendor/nbi-custom.charm")
    overlay = f"distro: {{name: custom}}\napplications:\n  nbi: {{charm: {custom}}}\n"
    write_overlay(project, "custom", overlay)
    target = built(project, "custom")
    bundle = yaml.safe_load((target / "bundle.yaml").read_text())
    assert bundle["applications"]["nbi"]["charm"] == "./charms/nbi-custom.charm"
    assert (target / "charms/nbi-custom.charm").read_bytes() == custom.read_bytes()
    lock = yaml.safe_load((target / "distro.lock").read_text())
    assert lock["charms"]["nbi"] == {
        "charm": "./charms/nbi-custom.charm",
        "source": "local",
        "channel": None,
        "revision": None,
        "sha256": _sha(custom),
        "missing": False,
    }
    for name in ("bundle.yaml", "distro.lock", "README.md"):
        assert str(tmp_path) not in (target / name).read_text()


def test_a_failing_build_leaves_the_previous_distribution_untouched(project: Path):
    target = built(project, "globex")
    before = contents(target)
    stamp = (target / "bundle.yaml").stat().st_mtime_ns
    overlay = project / "overlays/globex/overlay.yaml"
    overlay.write_text(
        overlay.read_text() + "  bogus: {charm: x}\nrelations: [[bogus, nowhere]]\n"
    )
    assert build(project, "globex") == EXIT_INPUT
    assert contents(target) == before
    assert (target / "bundle.yaml").stat().st_mtime_ns == stamp
    assert sorted(p.name for p in target.parent.iterdir()) == ["globex-lab"]


def test_a_write_failure_keeps_the_old_distribution_and_leaves_no_debris(
    project: Path, monkeypatch: pytest.MonkeyPatch
):
    target = built(project, "globex")
    before = contents(target)

    def failing_exchange(source: Path, destination: Path) -> None:
        if Path(destination) == target and Path(source).name.endswith(".new"):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(emit, "exchange", failing_exchange)
    assert build(project, "globex") == EXIT_ENVIRONMENT
    assert contents(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["globex-lab"]


def test_write_distribution_replaces_a_directory_wholesale(tmp_path: Path):
    target = tmp_path / "dist/x"
    write_distribution(target, {"a.txt": b"1", "b.txt": b"2"})
    write_distribution(target, {"a.txt": b"3"})
    assert contents(target) == {"a.txt": b"3"}
    assert oct(target.stat().st_mode & 0o777) == "0o755"


def test_distribution_files_are_a_pure_function_of_the_composition(project: Path):
    composition = compose_in(Project(project), ["acme-telco"], ())
    target = project / "dist/acme-osm"
    files = distribution_files(composition, target, root=project, commit=None)
    assert files == distribution_files(composition, target, root=project, commit=None)
    assert list(files) == ["bundle.yaml", "distro.lock", "README.md"]


def write_overlay(project: Path, name: str, text: str) -> None:
    path = project / "overlays" / name / "overlay.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def build_errors(project: Path, *overlays: str) -> list[str]:
    with pytest.raises(InputError) as raised:
        compose_in(Project(project), overlays, ())
    return [d.format() for d in raised.value.diagnostics if d.is_error]


def test_includes_may_not_escape_the_overlay_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(project)
    (project / "secret.txt").write_text("s3cret")
    text = "applications:\n  nbi:\n    options:\n      motd: include-file://../../secret.txt\n"
    write_overlay(project, "leaky", text)
    (error,) = build_errors(project, "leaky")
    assert error == (
        'overlays/leaky/overlay.yaml:4:7: error: processing option "motd" for application "nbi": '
        'resolving include "../../secret.txt": include path escapes the directory of its file '
        "(overlays/leaky)"
    )


def test_symlinks_may_not_escape_the_overlay_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(project)
    (project / "secret.txt").write_text("s3cret")
    write_overlay(
        project, "linked", "applications:\n  nbi:\n    options:\n      motd: include-file://motd\n"
    )
    (project / "overlays/linked/motd").symlink_to(project / "secret.txt")
    (error,) = build_errors(project, "linked")
    assert "include path escapes the directory of its file" in error


def test_branding_logo_may_not_escape_the_overlay_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(project)
    write_overlay(project, "thief", "distro:\n  branding:\n    logo: ../acme-telco/logo.svg\n")
    assert build_errors(project, "thief") == [
        'overlays/thief/overlay.yaml:3:11: error: branding logo "../acme-telco/logo.svg" escapes '
        "the overlay directory overlays/thief"
    ]


def test_secrets_in_plain_text_are_refused_without_printing_them(
    project: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(project)
    text = """
applications:
  mon:
    options:
      grafana-password: hunter2
      grafana-url: https://admin:hunter2@grafana.example
  pol:
    options:
      mysql-uri: secret:cu2b4d9mp25c7862q6kg
"""
    write_overlay(project, "leaky", text)
    composition = compose_in(Project(project), ["leaky"], ())
    diagnostics = plaintext_secrets(composition.bundle, composition.provenance)
    formatted = [d.format() for d in diagnostics]
    hint = "keep it in a Juju secret and set the option to its secret: URI"
    assert formatted == [
        'overlays/leaky/overlay.yaml:5:7: error: option "grafana-password" of application "mon" '
        f"holds a secret in plain text: {hint}",
        'overlays/leaky/overlay.yaml:6:7: error: option "grafana-url" of application "mon" '
        f"holds a URI with credentials in plain text: {hint}",
    ]
    assert not any("hunter2" in line for line in formatted)


def test_copying_a_packed_charm_hashes_every_block_on_the_way(tmp_path: Path):
    source = tmp_path / "big.charm"
    data = bytes(range(256)) * (10 * 1024 + 3)  # a little over 2.5 MiB: several blocks
    source.write_bytes(data)
    digest = copy_hashing(source, tmp_path / "copy.charm")
    assert (tmp_path / "copy.charm").read_bytes() == data
    assert digest == hashlib.sha256(data).hexdigest()
    with pytest.raises(FileExistsError):  # never over a file already there
        copy_hashing(source, tmp_path / "copy.charm")
