"""The charm index (repository charms + external catalog) and `catalog import`."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from distro_builder.check import (
    CATALOG_DIR,
    CharmIndex,
    MetaError,
    charm_name,
    import_descriptor,
    read_descriptor,
)

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_DESCRIPTORS = ("mongodb-k8s", "kafka-k8s", "traefik-k8s", "mysql-k8s", "osm-keystone")


def write(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return path


def charm(name: str, **extra: object) -> dict[str, object]:
    return {"name": name, "type": "charm", **extra}


@pytest.mark.parametrize(
    ("reference", "name"),
    [
        ("osm-nbi", "osm-nbi"),
        ("ch:osm-nbi", "osm-nbi"),
        ("ch:amd64/jammy/mongodb-k8s", "mongodb-k8s"),
        ("ch:mariadb-k8s-35", "mariadb-k8s"),
        ("cs:~charmed-osm/mariadb-k8s", "cs:~charmed-osm/mariadb-k8s"),
        ("local:osm-nbi", "osm-nbi"),
        ("./build/osm-nbi_ubuntu@24.04-amd64.charm", "osm-nbi"),
        ("/srv/charms/osm-ro", "osm-ro"),
    ],
)
def test_charm_name_of_a_bundle_reference(reference, name):
    assert charm_name(reference) == name


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write(
        tmp_path / "charms/osm-a/charmcraft.yaml",
        charm("osm-a", provides={"x": {"interface": "i"}}),
    )
    write(tmp_path / "charms/odd-dir/charmcraft.yaml", charm("osm-b"))
    write(
        tmp_path / CATALOG_DIR / "ext.yaml",
        {
            "name": "ext",
            "channel": "1/stable",
            "revision": 7,
            "requires": {"db": {"interface": "i"}},
        },
    )
    return tmp_path


def test_repository_charms_are_found_by_directory_or_by_name(repo):
    index = CharmIndex(repo, rules_file=repo / "none.yaml")

    a, b = index.find("ch:osm-a"), index.find("osm-b")

    assert a is not None and b is not None
    assert (a.name, a.source, a.external) == (
        "osm-a",
        f"{repo}/charms/osm-a/charmcraft.yaml",
        False,
    )
    assert (b.name, b.source) == ("osm-b", f"{repo}/charms/odd-dir/charmcraft.yaml")


def test_external_charms_come_from_the_catalog_with_channel_and_revision(repo):
    meta = CharmIndex(repo, rules_file=repo / "none.yaml").find("ext")

    assert meta is not None
    assert (meta.external, meta.channel, meta.revision) == (True, "1/stable", 7)
    assert meta.endpoints["db"].role == "requires"


def test_an_unknown_charm_is_none(repo):
    assert CharmIndex(repo, rules_file=repo / "none.yaml").find("nowhere") is None


def test_only_the_charms_asked_for_are_read(repo):
    write(repo / "charms/broken/charmcraft.yaml", "name: [unclosed\n")
    index = CharmIndex(repo, rules_file=repo / "none.yaml")

    assert index.find("osm-a") is not None
    with pytest.raises(MetaError, match="is not valid YAML"):
        index.find("osm-unlisted")


def test_a_local_charm_path_is_read_when_it_exists_and_named_otherwise(repo):
    packed = repo / "build/osm-a_ubuntu@24.04-amd64.charm"
    packed.parent.mkdir()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr(
            "metadata.yaml",
            yaml.safe_dump({"name": "osm-a", "requires": {"y": {"interface": "j"}}}),
        )
    index = CharmIndex(repo, rules_file=repo / "none.yaml")

    from_file = index.find("./build/osm-a_ubuntu@24.04-amd64.charm", base_dir=repo)
    by_name = index.find("./missing/osm-a_ubuntu@24.04-amd64.charm", base_dir=repo)

    assert from_file is not None and list(from_file.endpoints) == ["y"]
    assert by_name is not None and list(by_name.endpoints) == ["x"]


def test_repository_rules_apply_and_must_name_real_options(repo):
    rules = write(
        repo / "rules.yaml", {"osm-a": {"single-unit": True, "options": {"nope": {"min": 1}}}}
    )

    with pytest.raises(MetaError) as error:
        CharmIndex(repo, rules_file=rules).find("osm-a")

    assert error.value.source == str(rules)
    assert error.value.message == "osm-a: rules name options the charm does not have: nope"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"option": {}}, "unknown descriptor keys: option"),
        ({"channel": 6}, '"channel" must be a string such as 6/stable'),
        ({"revision": "12"}, '"revision" must be an integer'),
        (
            {"rules": {"options": {"absent": {"min": 0}}}},
            "rules name options the charm does not have",
        ),
        (
            {"provides": {"db": {"interface": "sql"}}, "simulation": {"api": {}}},
            "simulation.api: ext provides no endpoint 'api'",
        ),
        (
            {"requires": {"db": {"interface": "sql"}}, "simulation": {"db": {}}},
            "simulation.db: ext provides no endpoint 'db'",
        ),
        (
            {"provides": {"db": {"interface": "sql"}}, "simulation": {"db": {"data": {}}}},
            r"simulation.db: use app-data and unit-data, not \['data'\]",
        ),
        (
            {
                "provides": {"db": {"interface": "sql"}},
                "simulation": {"db": {"unit-data": {"port": 3306}}},
            },
            r"simulation.db.unit-data: keys and values are strings \(quote numbers\)",
        ),
    ],
)
def test_malformed_descriptors_are_refused(repo, change, message):
    path = write(repo / CATALOG_DIR / "ext.yaml", {"name": "ext", **change})

    with pytest.raises(MetaError, match=message):
        read_descriptor(path, repo)


def test_a_descriptor_documents_the_data_its_provider_endpoints_write(repo):
    path = write(
        repo / CATALOG_DIR / "ext.yaml",
        {
            "name": "ext",
            "provides": {"db": {"interface": "sql"}},
            "simulation": {"db": {"app-data": {"host": "db", "port": "5432"}}},
        },
    )
    meta = read_descriptor(path, repo)
    assert meta.provided == {"db": {"app-data": {"host": "db", "port": "5432"}, "unit-data": {}}}


def packed_charm(path: Path, *, option_type: str = "int") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "metadata.yaml",
            yaml.safe_dump(
                {
                    "name": "thirdparty-k8s",
                    "description": "prose that the descriptor leaves out",
                    "provides": {"api": {"interface": "http", "description": "no prose"}},
                    "requires": {"db": {"interface": "mysql_client", "limit": 1}},
                    "containers": {"app": {"resource": "app-image"}},
                    "resources": {"app-image": {"type": "oci-image", "upstream-source": "x:1"}},
                }
            ),
        )
        archive.writestr(
            "config.yaml",
            yaml.safe_dump(
                {"options": {"port": {"type": option_type, "default": 80, "description": "d"}}}
            ),
        )
    return path


def test_import_creates_a_descriptor_of_facts_only(tmp_path):
    catalog = tmp_path / "catalog"

    written = import_descriptor(
        packed_charm(tmp_path / "thirdparty.charm"), catalog, channel="2/stable", revision=41
    )

    assert written == catalog / "thirdparty-k8s.yaml"
    assert yaml.safe_load(written.read_text()) == {
        "name": "thirdparty-k8s",
        "channel": "2/stable",
        "revision": 41,
        "source": "thirdparty.charm",
        "provides": {"api": {"interface": "http"}},
        "requires": {"db": {"interface": "mysql_client", "limit": 1}},
        "config": {"options": {"port": {"type": "int", "default": 80}}},
        "resources": {"app-image": {"type": "oci-image", "upstream-source": "x:1"}},
        "containers": {"app": {"resource": "app-image"}},
    }
    assert read_descriptor(written, tmp_path).options["port"].type == "int"
    assert read_descriptor(written, tmp_path).resource_defaults == {"app-image": "x:1"}


def test_refresh_replaces_facts_and_keeps_channel_revision_and_rules(tmp_path):
    catalog = tmp_path / "catalog"
    first = import_descriptor(
        packed_charm(tmp_path / "a.charm"), catalog, channel="2/stable", revision=41
    )
    document = yaml.safe_load(first.read_text())
    write(first, {**document, "rules": {"options": {"port": {"min": 1}}}})

    again = import_descriptor(packed_charm(tmp_path / "b.charm", option_type="float"), catalog)

    refreshed = yaml.safe_load(again.read_text())
    assert (refreshed["channel"], refreshed["revision"], refreshed["source"]) == (
        "2/stable",
        41,
        "b.charm",
    )
    assert refreshed["config"]["options"]["port"]["type"] == "float"
    assert refreshed["rules"] == {"options": {"port": {"min": 1}}}


def test_refresh_keeps_the_documented_simulation_data(tmp_path):
    catalog = tmp_path / "catalog"
    first = import_descriptor(packed_charm(tmp_path / "a.charm"), catalog)
    document = yaml.safe_load(first.read_text())
    simulation = {"api": {"app-data": {"url": "http://x"}}}
    write(first, {**document, "simulation": simulation})
    again = import_descriptor(packed_charm(tmp_path / "b.charm"), catalog)
    assert yaml.safe_load(again.read_text())["simulation"] == simulation


def test_refresh_refuses_rules_for_options_the_charm_lost(tmp_path):
    catalog = tmp_path / "catalog"
    first = import_descriptor(packed_charm(tmp_path / "a.charm"), catalog)
    write(first, {**yaml.safe_load(first.read_text()), "rules": {"options": {"gone": {"min": 1}}}})
    before = first.read_bytes()

    with pytest.raises(MetaError, match="no longer has: gone"):
        import_descriptor(packed_charm(tmp_path / "b.charm"), catalog)
    assert first.read_bytes() == before


def test_import_is_deterministic_and_takes_charmcraft_yaml(tmp_path):
    source = write(
        tmp_path / "src/charmcraft.yaml",
        charm("plain", requires={"db": {"interface": "mysql", "optional": True}}),
    )

    first = import_descriptor(source, tmp_path / "one").read_bytes()
    second = import_descriptor(source, tmp_path / "two").read_bytes()

    assert first == second
    assert yaml.safe_load(first)["requires"] == {"db": {"interface": "mysql", "optional": True}}


def test_import_refuses_what_is_not_a_charm(tmp_path):
    with pytest.raises(MetaError, match='missing the charm "name"'):
        import_descriptor(write(tmp_path / "metadata.yaml", {"summary": "x"}), tmp_path / "c")


def test_the_committed_catalog_describes_the_charms_distributions_use():
    index = CharmIndex(ROOT)
    descriptors = sorted((ROOT / CATALOG_DIR).glob("*.yaml"))

    metas = [read_descriptor(path, ROOT) for path in descriptors]

    assert {meta.name for meta in metas} >= set(REQUIRED_DESCRIPTORS)
    assert all(
        path.stem == meta.name and meta.channel
        for path, meta in zip(descriptors, metas, strict=True)
    )
    mongodb = index.find("mongodb-k8s")
    assert mongodb is not None
    assert mongodb.endpoints["database"].interface == "mongodb_client"


def test_rules_cannot_check_secret_options(repo):
    path = write(
        repo / CATALOG_DIR / "ext.yaml",
        {
            "name": "ext",
            "config": {"options": {"password": {"type": "secret"}}},
            "rules": {"options": {"password": {"min": 1}}},
        },
    )

    with pytest.raises(MetaError, match="rules cannot check secret options"):
        read_descriptor(path, repo)
