"""`distro-builder pack`: whether charmcraft can pack here, staleness, atomic placement.

A fake `charmcraft` (a script on PATH) stands in for the real one, which cannot pack on this
machine; it writes `<name>_<platform>.charm` files as charmcraft 4 does, or fails halfway.
"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from distro_builder.cli import create_app
from distro_builder.deploy import _pack as pack
from distro_builder.deploy._pack import (
    CannotPackError,
    CharmSource,
    Host,
    PackEvent,
    charm_sources,
    detect_host,
    expected_files,
    is_fresh,
    pack_arguments,
    pack_charms,
    read_os_release,
)

DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n'
UBUNTU = 'PRETTY_NAME="Ubuntu 24.04.3 LTS"\nNAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n'
FAKE_CHARMCRAFT = r'''#!{python}
"""A stand-in for `charmcraft pack --project-dir DIR --output OUT [...]`."""
import os, sys, zipfile
from pathlib import Path
import yaml

args = sys.argv[1:]
project = Path(args[args.index("--project-dir") + 1])
output = Path(args[args.index("--output") + 1])
with open(os.environ["FAKE_CHARMCRAFT_LOG"], "a") as log:
    log.write(" ".join(args) + "\n")
meta = yaml.safe_load((project / "charmcraft.yaml").read_text())
mode = os.environ.get("FAKE_CHARMCRAFT", "ok")
for platform in meta.get("platforms") or {{"amd64": None}}:
    name = os.environ.get("FAKE_CHARMCRAFT_NAME") or f"{{meta['name']}}_{{platform}}.charm"
    if mode == "fail":
        (output / name).write_bytes(b"PK\x03\x04 half a zip")
        print("Packing the charm.\nFailed to build charm: dependency error", flush=True)
        sys.exit(1)
    with zipfile.ZipFile(output / name, "w") as archive:
        archive.writestr("metadata.yaml", yaml.safe_dump({{"name": meta["name"]}}))
        archive.writestr("manifest.yaml", "bases: []\n")
'''


@pytest.fixture
def charms(tmp_path) -> Path:
    """A project with two small charms."""
    for name in ("osm-nbi", "osm-ng-ui"):
        directory = tmp_path / "charms" / name
        (directory / "src").mkdir(parents=True)
        (directory / "tests" / "unit").mkdir(parents=True)
        (directory / "charmcraft.yaml").write_text(
            f"name: {name}\ntype: charm\nbase: ubuntu@24.04\nplatforms:\n  amd64:\n"
        )
        (directory / "src" / "charm.py").write_text("# charm\n")
        (directory / "tests" / "unit" / "test_charm.py").write_text("# test\n")
    return tmp_path


@pytest.fixture
def fake_charmcraft(tmp_path, monkeypatch) -> Path:
    """A fake charmcraft on PATH; its invocations are logged."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "charmcraft"
    script.write_text(FAKE_CHARMCRAFT.format(python=sys.executable))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_CHARMCRAFT_LOG", str(tmp_path / "charmcraft.log"))
    return script


def source(root: Path, name: str) -> CharmSource:
    return CharmSource(
        name, root / "charms" / name, (name.removeprefix("osm-"),), (f"{name}_amd64.charm",)
    )


def ubuntu(charmcraft: Path | None, *, lxd: bool = False) -> Host:
    return Host("Ubuntu 24.04.3 LTS", True, str(charmcraft) if charmcraft else None, lxd, False)


def age(path: Path, seconds: float) -> None:
    """Make a file look `seconds` old."""
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


# --- where charmcraft can pack -------------------------------------------------------------


def test_the_host_is_read_from_os_release_and_path(tmp_path):
    release = tmp_path / "os-release"
    release.write_text(DEBIAN)
    found = {"charmcraft": "/snap/bin/charmcraft", "lxc": "/snap/bin/lxc"}
    host = detect_host(release, found.get)
    assert host == Host(
        "Debian GNU/Linux 12 (bookworm)", False, "/snap/bin/charmcraft", True, False
    )
    release.write_text(UBUNTU)
    assert detect_host(release, lambda _: None).ubuntu
    assert read_os_release(tmp_path / "absent") == {}


@pytest.mark.parametrize(
    ("host", "arguments"),
    [
        (Host("Debian GNU/Linux 12", False, "/c", True, False), ()),
        (Host("Fedora 41", False, "/c", False, True), ()),
        (Host("Ubuntu 24.04 LTS", True, "/c", True, False), ()),
        (Host("Ubuntu 24.04 LTS", True, "/c", False, False), ("--destructive-mode",)),
    ],
)
def test_charmcraft_packs_in_lxd_or_multipass_or_on_ubuntu(host, arguments):
    assert pack_arguments(host) == arguments


def test_without_charmcraft_the_message_says_how_to_get_the_charms():
    with pytest.raises(CannotPackError) as raised:
        pack_arguments(Host("Ubuntu 24.04 LTS", True, None, True, False))
    message = str(raised.value)
    assert message.startswith("cannot pack charms here: charmcraft is not installed")
    assert "CI pack job" in message and "--charms-dir" in message


def test_not_ubuntu_without_lxd_or_multipass_cannot_pack():
    with pytest.raises(CannotPackError) as raised:
        pack_arguments(Host("Debian GNU/Linux 12 (bookworm)", False, "/c", False, False))
    assert str(raised.value).startswith(
        "cannot pack charms here: charmcraft packs on Ubuntu or inside LXD or Multipass, and "
        "this machine runs Debian GNU/Linux 12 (bookworm) with neither; get the packed charms "
        "instead: download the `charm-*` artifacts of the CI pack job"
    )


# --- which charms ---------------------------------------------------------------------------


def test_the_charms_of_the_composed_distribution(project):
    sources = {s.name: s for s in charm_sources(project, ["acme-telco"], [])}
    assert "osm-keystone" not in sources  # from Charmhub, not this repository
    assert set(sources) == {
        "osm-mongodb", "osm-kafka", "osm-nbi", "osm-ro", "osm-lcm", "osm-mon", "osm-pol",
        "osm-ng-ui", "osm-prometheus",
    }  # fmt: skip
    nbi = sources["osm-nbi"]
    assert (nbi.directory, nbi.applications, nbi.files) == (
        project / "charms" / "osm-nbi",
        ("nbi",),
        ("osm-nbi_amd64.charm",),
    )


def test_file_names_follow_the_platforms():
    meta = {"platforms": {"amd64": None, "arm64": None}}
    assert expected_files("osm-nbi", meta) == ("osm-nbi_amd64.charm", "osm-nbi_arm64.charm")
    assert expected_files("osm-nbi", {}) == ()


# --- staleness ------------------------------------------------------------------------------


def test_a_charm_is_fresh_when_its_pack_is_newer_than_every_source(charms):
    nbi = source(charms, "osm-nbi")
    output = charms / "build" / "charms"
    output.mkdir(parents=True)
    assert not is_fresh(nbi, output)
    for path in nbi.directory.rglob("*"):
        if path.is_file():
            age(path, 100)
    (output / "osm-nbi_amd64.charm").write_bytes(b"packed")
    assert is_fresh(nbi, output)
    # Tests, environments and caches are not sources.
    for ignored in ("tests/unit/test_charm.py", ".venv/lib/x.py", "src/__pycache__/c.pyc",
                    ".ruff_cache/x", "osm-nbi_amd64.charm"):  # fmt: skip
        path = nbi.directory / ignored
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("changed")
    assert is_fresh(nbi, output)
    (nbi.directory / "src" / "charm.py").write_text("# changed\n")
    age(output / "osm-nbi_amd64.charm", 50)
    assert not is_fresh(nbi, output)


# --- packing --------------------------------------------------------------------------------


def test_packing_places_the_files_and_skips_fresh_ones(charms, fake_charmcraft, tmp_path):
    output = charms / "build" / "charms"
    sources = [source(charms, "osm-nbi"), source(charms, "osm-ng-ui")]
    events: list[PackEvent] = []
    result = pack_charms(
        sources, output, host=lambda: ubuntu(fake_charmcraft), on_event=events.append
    )
    assert (result.packed, result.skipped, result.failed) == (("osm-nbi", "osm-ng-ui"), (), ())
    assert sorted(p.name for p in output.iterdir()) == [
        "osm-nbi_amd64.charm",
        "osm-ng-ui_amd64.charm",
    ]
    with zipfile.ZipFile(output / "osm-nbi_amd64.charm") as archive:
        assert "metadata.yaml" in archive.namelist()
    assert [(e.charm, e.state) for e in events] == [
        ("osm-nbi", "packing"), ("osm-nbi", "packed"),
        ("osm-ng-ui", "packing"), ("osm-ng-ui", "packed"),
    ]  # fmt: skip
    assert events[1].size == (output / "osm-nbi_amd64.charm").stat().st_size
    log = (tmp_path / "charmcraft.log").read_text().splitlines()
    assert log[0].startswith(
        f"pack --project-dir {charms / 'charms' / 'osm-nbi'} --output {output}/.osm-nbi."
    )
    assert log[0].endswith(".packing --destructive-mode")
    # Again: both are up to date, and charmcraft is not even looked for.
    events.clear()

    def no_host() -> Host:
        raise AssertionError("the host is not consulted when nothing is stale")

    again = pack_charms(sources, output, host=no_host, on_event=events.append)
    assert again.skipped == ("osm-nbi", "osm-ng-ui")
    assert [e.state for e in events] == ["skipped", "skipped"]
    assert len((tmp_path / "charmcraft.log").read_text().splitlines()) == 2


def test_a_failed_pack_leaves_the_earlier_charm_and_no_half_file(
    charms, fake_charmcraft, monkeypatch
):
    output = charms / "build" / "charms"
    output.mkdir(parents=True)
    earlier = output / "osm-nbi_amd64.charm"
    earlier.write_bytes(b"the earlier, complete charm")
    age(earlier, 1000)
    monkeypatch.setenv("FAKE_CHARMCRAFT", "fail")
    result = pack_charms(
        [source(charms, "osm-nbi")], output, host=lambda: ubuntu(fake_charmcraft, lxd=True)
    )
    [(charm, message)] = result.failed
    assert charm == "osm-nbi"
    assert message == (
        "charmcraft exited with 1: Packing the charm. | Failed to build charm: dependency error"
    )
    assert earlier.read_bytes() == b"the earlier, complete charm"
    assert [p.name for p in output.iterdir()] == ["osm-nbi_amd64.charm"]


def test_a_pack_with_an_unexpected_name_is_a_failure(charms, fake_charmcraft, monkeypatch):
    output = charms / "out"
    monkeypatch.setenv("FAKE_CHARMCRAFT_NAME", "osm-nbi_ubuntu@24.04-amd64.charm")
    result = pack_charms([source(charms, "osm-nbi")], output, host=lambda: ubuntu(fake_charmcraft))
    assert result.failed == (
        (
            "osm-nbi",
            "charmcraft wrote osm-nbi_ubuntu@24.04-amd64.charm, expected osm-nbi_amd64.charm",
        ),
    )
    assert list(output.iterdir()) == []


def test_cannot_pack_is_raised_only_when_something_is_stale(charms):
    host = Host("Debian GNU/Linux 12", False, None, False, False)
    with pytest.raises(CannotPackError):
        pack_charms([source(charms, "osm-nbi")], charms / "out", host=lambda: host)


# --- the command ----------------------------------------------------------------------------


runner = CliRunner()


def test_pack_command_on_a_machine_that_cannot_pack(project, monkeypatch):
    monkeypatch.chdir(project)
    monkeypatch.setattr(
        pack, "detect_host", lambda: Host("Debian GNU/Linux 12", False, "/c", False, False)
    )
    result = runner.invoke(create_app(), ["pack", "--overlay", "globex"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: cannot pack charms here: charmcraft packs on Ubuntu")
    assert not any((project / "build" / "charms").glob("*.charm"))


def test_pack_command_packs_into_build_charms(project, monkeypatch, fake_charmcraft):
    monkeypatch.chdir(project)
    monkeypatch.setattr(pack, "detect_host", lambda: ubuntu(fake_charmcraft, lxd=True))
    result = runner.invoke(create_app(), ["pack"])
    assert result.exit_code == 0, result.stderr
    packed = sorted(p.name for p in (project / "build" / "charms").glob("*.charm"))
    assert len(packed) == 9 and "osm-ng-ui_amd64.charm" in packed
    assert (
        result.stdout.splitlines()[-1]
        == f"9 packed, 0 up to date, 0 failed: {project / 'build' / 'charms'}"
    )
    assert "osm-nbi: packed" in result.stdout
    again = runner.invoke(create_app(), ["pack", "--output", "build/charms"])
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1] == "0 packed, 9 up to date, 0 failed: build/charms"


def test_pack_command_with_a_bad_overlay_is_an_input_error(project, monkeypatch):
    monkeypatch.chdir(project)
    result = runner.invoke(create_app(), ["pack", "--overlay", "nope"])
    assert result.exit_code == 2
    assert result.stderr.startswith('error: unknown overlay "nope"')


def test_nothing_is_created_where_charmcraft_cannot_pack(charms):
    host = Host("Debian GNU/Linux 12", False, "/c", False, False)
    with pytest.raises(CannotPackError):
        pack_charms([source(charms, "osm-nbi")], charms / "build" / "charms", host=lambda: host)
    assert not (charms / "build").exists()


def test_ctrl_c_while_packing_leaves_no_staging_and_exits_130(charms, monkeypatch, project):
    def interrupted(command):
        staging = Path(command[command.index("--output") + 1])
        (staging / "osm-nbi_amd64.charm").write_bytes(b"PK half")
        raise KeyboardInterrupt

    monkeypatch.chdir(project)
    monkeypatch.setattr(pack, "detect_host", lambda: ubuntu(Path("/usr/bin/charmcraft")))
    monkeypatch.setattr(pack, "_run", interrupted)
    result = runner.invoke(create_app(), ["pack", "--overlay", "globex"])
    assert result.exit_code == 130
    assert result.stderr.splitlines() == ["interrupted"]
    output = project / "build" / "charms"
    assert list(output.iterdir()) == []
