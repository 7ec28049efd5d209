"""Reading a distribution directory and checking its packed charms against its lock."""

from __future__ import annotations

import pytest
import yaml
from deploy_helpers import write_dist

from distro_builder.deploy._api import check_charms
from distro_builder.deploy._builder import InputError
from distro_builder.deploy._dist import charm_problems, read_distribution


def test_a_built_distribution_reads_with_its_lock(tmp_path):
    dist = read_distribution(write_dist(tmp_path / "ci-osm"))
    assert dist.name == "ci-osm"
    assert list(dist.applications)[:3] == ["mongodb", "kafka", "nbi"]
    nbi = dist.charms["nbi"]
    assert (nbi.charm, nbi.source, nbi.is_local, nbi.missing) == (
        "./charms/osm-nbi_amd64.charm",
        "local",
        True,
        False,
    )
    assert dist.charm_file("nbi") == tmp_path / "ci-osm" / "charms" / "osm-nbi_amd64.charm"
    meta = dist.charm_meta("nbi")
    assert meta is not None
    assert meta.options["database-commonkey"].type == "secret"
    assert charm_problems(dist) == []


def test_missing_files_are_named_all_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as raised:
        read_distribution(tmp_path / "empty")
    assert [d.format() for d in raised.value.diagnostics] == [
        "empty/bundle.yaml: error: does not exist",
        "empty/distro.lock: error: does not exist",
    ]


def test_a_malformed_lock_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dist = write_dist(tmp_path / "d")
    (dist / "distro.lock").write_text("# header\ncharms: [a, b]\n")
    with pytest.raises(InputError) as raised:
        read_distribution(dist)
    assert raised.value.diagnostics[0].format() == (
        "d/distro.lock: error: charms: expected a mapping of applications"
    )


def test_charms_missing_at_build_time_are_refused_with_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dist = read_distribution(write_dist(tmp_path / "d", missing=["nbi", "ng-ui"]))
    with pytest.raises(InputError) as raised:
        check_charms(dist)
    lines = [d.format() for d in raised.value.diagnostics]
    assert [line.split(": error: ")[0] for line in lines] == [
        "d/charms/osm-nbi_amd64.charm",
        "d/charms/osm-ng-ui_amd64.charm",
    ]
    for line in lines:
        assert "the packed charm was not there at build time" in line
        assert "pack job" in line and "--charms-dir" in line and "distro-builder pack" in line


def test_a_charm_changed_after_the_build_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_dist(tmp_path / "d")
    with (path / "charms" / "osm-lcm_amd64.charm").open("ab") as handle:
        handle.write(b"tampered")
    (path / "charms" / "osm-ro_amd64.charm").unlink()
    problems = [d.format() for d in charm_problems(read_distribution(path))]
    assert len(problems) == 2
    assert problems[0].startswith('d/charms/osm-ro_amd64.charm: error: application "ro"')
    assert "not there any more" in problems[0]
    assert problems[1].startswith('d/charms/osm-lcm_amd64.charm: error: application "lcm"')
    assert "differs from" in problems[1] and "rebuild the distribution" in problems[1]


def test_a_local_charm_without_a_recorded_checksum_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_dist(tmp_path / "d", apps=["nbi"])
    lock = yaml.safe_load((path / "distro.lock").read_text())
    lock["charms"]["nbi"]["sha256"] = None
    (path / "distro.lock").write_text(yaml.safe_dump(lock))
    [problem] = charm_problems(read_distribution(path))
    assert "records no sha256" in problem.format()


def test_charmhub_charms_are_not_checked_as_files(tmp_path):
    path = write_dist(tmp_path / "d", apps=["nbi"])
    bundle = yaml.safe_load((path / "bundle.yaml").read_text())
    bundle["applications"]["nbi"]["charm"] = "acme-osm-nbi"
    (path / "bundle.yaml").write_text(yaml.safe_dump(bundle))
    dist = read_distribution(path)
    assert dist.charm_file("nbi") is None
    assert charm_problems(dist) == []
