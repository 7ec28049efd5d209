"""The bundle handed to python-libjuju: absolute charms, images, the key's URI."""

from __future__ import annotations

import yaml
from deploy_helpers import write_dist

from distro_builder.deploy._bundle import deployable_bundle, upstream_images, write_bundle
from distro_builder.deploy._dist import read_distribution


def test_local_charms_become_absolute_and_resources_stay(tmp_path):
    path = write_dist(tmp_path / "ci-osm", apps=["nbi", "ng-ui"])
    dist = read_distribution(path)
    bundle = deployable_bundle(dist, commonkey_uri="secret:k1", takers=["nbi"])
    nbi = bundle["applications"]["nbi"]
    assert nbi["charm"] == str((path / "charms" / "osm-nbi_amd64.charm").resolve())
    assert nbi["resources"] == {"nbi-image": "docker.io/opensourcemano/nbi:16"}
    assert nbi["options"] == {"database-commonkey": "secret:k1"}
    assert "options" not in bundle["applications"]["ng-ui"]
    # The distribution itself is untouched.
    assert dist.applications["nbi"]["charm"] == "./charms/osm-nbi_amd64.charm"
    assert "options" not in dist.applications["nbi"]


def test_an_image_the_bundle_leaves_out_comes_from_upstream_source(tmp_path):
    path = write_dist(tmp_path / "ci-osm", apps=["nbi"])
    raw = yaml.safe_load((path / "bundle.yaml").read_text())
    del raw["applications"]["nbi"]["resources"]
    (path / "bundle.yaml").write_text(yaml.safe_dump(raw))
    dist = read_distribution(path)
    assert upstream_images(path / "charms" / "osm-nbi_amd64.charm") == {
        "nbi-image": "example/osm-nbi:16"
    }
    bundle = deployable_bundle(dist, commonkey_uri=None, takers=[])
    assert bundle["applications"]["nbi"]["resources"] == {"nbi-image": "example/osm-nbi:16"}


def test_the_written_bundle_reads_back(tmp_path):
    dist = read_distribution(write_dist(tmp_path / "ci-osm", apps=["nbi"]))
    bundle = deployable_bundle(dist, commonkey_uri=None, takers=[])
    written = write_bundle(bundle, tmp_path)
    assert yaml.safe_load(written.read_text()) == bundle
