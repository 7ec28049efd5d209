"""Charm metadata: parsing charmcraft.yaml-shaped data and reading every place a charm lives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from distro_builder.check import (
    ConfigOption,
    Endpoint,
    MetaError,
    parse_charm_metadata,
    read_charm_source,
)

ROOT = Path(__file__).resolve().parent.parent

CHARMCRAFT = {
    "name": "osm-demo",
    "type": "charm",
    "containers": {"demo": {"resource": "demo-image"}},
    "resources": {"demo-image": {"type": "oci-image"}, "blob": {}},
    "storage": {"data": {"type": "filesystem", "location": "/data"}, "raw": {"type": "block"}},
    "provides": {"api": {"interface": "demo", "optional": True}},
    "requires": {
        "mongodb": {"interface": "mongodb_client", "limit": 1, "optional": False},
        "legacy": "mysql",
    },
    "peers": {"cluster": {"interface": "demo_peers"}},
    "config": {
        "options": {
            "log-level": {"type": "string", "default": "INFO"},
            "workers": {"type": "int", "default": 2},
            "ratio": {"type": "float"},
            "debug": {"type": "boolean", "default": False},
            "commonkey": {"type": "secret"},
            "untyped": {"description": "Juju treats a missing type as string"},
        }
    },
}


def test_endpoints_keep_role_interface_limit_and_optional():
    meta = parse_charm_metadata(CHARMCRAFT, "charmcraft.yaml")

    assert meta.endpoints == {
        "api": Endpoint("api", "provides", "demo", None, True),
        "mongodb": Endpoint("mongodb", "requires", "mongodb_client", 1, False),
        "legacy": Endpoint("legacy", "requires", "mysql", None, None),
        "cluster": Endpoint("cluster", "peers", "demo_peers", None, None),
    }


def test_options_resources_storage_and_containers():
    meta = parse_charm_metadata(CHARMCRAFT, "charmcraft.yaml")

    assert meta.options["workers"] == ConfigOption("workers", "int", 2)
    assert meta.options["untyped"] == ConfigOption("untyped", "string", None)
    assert {name: option.type for name, option in meta.options.items()} == {
        "log-level": "string",
        "workers": "int",
        "ratio": "float",
        "debug": "boolean",
        "commonkey": "secret",
        "untyped": "string",
    }
    assert meta.resources == {"demo-image": "oci-image", "blob": "file"}
    assert meta.storage == {"data": "filesystem", "raw": "block"}
    assert meta.containers == {"demo": "demo-image"}
    assert (meta.name, meta.subordinate, meta.external) == ("osm-demo", False, False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": None}, 'charmcraft.yaml: missing the charm "name"'),
        ({"requires": {"db": {"limit": 1}}}, 'charmcraft.yaml: requires.db: missing "interface"'),
        (
            {"requires": {"db": {"interface": "x", "limit": "one"}}},
            'charmcraft.yaml: requires.db: "limit" must be an integer',
        ),
        (
            {"provides": {"db": {"interface": "x", "optional": "yes"}}},
            'charmcraft.yaml: provides.db: "optional" must be true or false',
        ),
        (
            {"peers": {"mongodb": {"interface": "x"}}},
            "charmcraft.yaml: peers.mongodb: endpoint is declared twice",
        ),
        (
            {"config": {"options": {"x": {"type": "str"}}}},
            'charmcraft.yaml: config.options.x: unknown type "str"'
            " (use one of string, int, float, boolean, secret)",
        ),
        ({"storage": ["data"]}, "charmcraft.yaml: storage must be a mapping"),
    ],
)
def test_malformed_metadata_is_refused_with_the_key_at_fault(change, message):
    with pytest.raises(MetaError) as error:
        parse_charm_metadata({**CHARMCRAFT, **change}, "charmcraft.yaml")

    assert str(error.value) == message


def write_yaml(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data))
    return path


def pack(path: Path, members: dict[str, object]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, yaml.safe_dump(data))
    return path


def test_charmcraft_yaml_alone(tmp_path):
    source = read_charm_source(write_yaml(tmp_path / "charmcraft.yaml", CHARMCRAFT))

    assert (
        parse_charm_metadata(source, "x").options.keys() == CHARMCRAFT["config"]["options"].keys()
    )


def test_charmcraft_yaml_with_metadata_and_config_beside_it(tmp_path):
    write_yaml(tmp_path / "charmcraft.yaml", {"type": "charm"})
    write_yaml(
        tmp_path / "metadata.yaml", {"name": "split", "provides": {"a": {"interface": "i"}}}
    )
    write_yaml(tmp_path / "config.yaml", {"options": {"x": {"type": "int"}}})

    meta = parse_charm_metadata(read_charm_source(tmp_path / "charmcraft.yaml"), "x")

    assert (meta.name, list(meta.endpoints), list(meta.options)) == ("split", ["a"], ["x"])


def test_metadata_yaml_with_config_beside_it_and_a_charm_directory(tmp_path):
    write_yaml(tmp_path / "metadata.yaml", {"name": "legacy"})
    write_yaml(tmp_path / "config.yaml", {"options": {"port": {"type": "int", "default": 80}}})

    for path in (tmp_path / "metadata.yaml", tmp_path):
        meta = parse_charm_metadata(read_charm_source(path), "x")
        assert meta.options["port"] == ConfigOption("port", "int", 80)


def test_packed_charm_with_metadata_and_config(tmp_path):
    charm = pack(
        tmp_path / "demo_ubuntu@24.04-amd64.charm",
        {
            "metadata.yaml": {"name": "demo", "requires": {"db": {"interface": "mysql"}}},
            "config.yaml": {"options": {"flag": {"type": "boolean"}}},
            "src/charm.py": "print('never read')",
        },
    )

    meta = parse_charm_metadata(read_charm_source(charm), str(charm))

    assert (meta.name, list(meta.endpoints), list(meta.options)) == ("demo", ["db"], ["flag"])


def test_packed_charm_with_only_charmcraft_yaml(tmp_path):
    charm = pack(tmp_path / "demo.charm", {"charmcraft.yaml": CHARMCRAFT})

    assert parse_charm_metadata(read_charm_source(charm), "x").name == "osm-demo"


def test_packed_charm_without_metadata_is_refused(tmp_path):
    charm = pack(tmp_path / "empty.charm", {"src/charm.py": ""})

    with pytest.raises(MetaError, match=r"has no metadata\.yaml or charmcraft\.yaml"):
        read_charm_source(charm)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    charm = tmp_path / "broken.charm"
    charm.write_text("not a zip")

    with pytest.raises(MetaError, match="is not a readable charm archive"):
        read_charm_source(charm)


def test_invalid_yaml_and_missing_files_are_refused(tmp_path):
    (tmp_path / "metadata.yaml").write_text("name: [unclosed\n")

    with pytest.raises(MetaError, match="is not valid YAML"):
        read_charm_source(tmp_path / "metadata.yaml")
    with pytest.raises(MetaError, match="does not exist"):
        read_charm_source(tmp_path / "absent.yaml")
    with pytest.raises(MetaError, match=r"no charmcraft\.yaml or metadata\.yaml in directory"):
        read_charm_source(tmp_path / "..")


def test_oversized_metadata_is_refused_without_parsing(tmp_path):
    huge = tmp_path / "metadata.yaml"
    huge.write_text("name: x\n" + "#" * (2 * 1024 * 1024))

    with pytest.raises(MetaError, match="too large"):
        read_charm_source(huge)


@pytest.mark.parametrize(
    "charmcraft", sorted(ROOT.glob("charms/*/charmcraft.yaml")), ids=lambda path: path.parent.name
)
def test_every_charm_of_the_repository_reads(charmcraft):
    meta = parse_charm_metadata(read_charm_source(charmcraft), str(charmcraft))

    assert meta.name == charmcraft.parent.name
    assert meta.containers, "every OSM charm is a sidecar charm with a workload container"
    assert set(meta.containers.values()) <= set(meta.resources)
