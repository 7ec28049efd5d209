"""The shipped base bundle and overlays compose into what they promise."""

import base64

import pytest
from helpers import REPO_ROOT

from distro_builder import api
from distro_builder.api import Project
from distro_builder.check import CharmIndex, resolve_relations
from distro_builder.compose import Composition

OSM_APPS = {"mongodb", "kafka", "nbi", "ro", "lcm", "mon", "pol", "ng-ui", "prometheus"}
CONTAINERS = {
    "mongodb": "mongodb",
    "kafka": "kafka",
    "nbi": "nbi",
    "ro": "ro",
    "lcm": "lcm",
    "mon": "mon",
    "pol": "pol",
    "ng-ui": "ng-ui",
    "prometheus": "prometheus",
}
DESIGN_RELATIONS = {
    ("mongodb:database", "nbi:mongodb"),
    ("kafka:kafka", "nbi:kafka"),
    ("mongodb:database", "ro:mongodb"),
    ("kafka:kafka", "ro:kafka"),
    ("lcm:mongodb", "mongodb:database"),
    ("kafka:kafka", "lcm:kafka"),
    ("lcm:ro", "ro:ro"),
    ("mon:mongodb", "mongodb:database"),
    ("kafka:kafka", "mon:kafka"),
    ("mon:prometheus", "prometheus:prometheus"),
    ("nbi:prometheus", "prometheus:prometheus"),  # optional, as upstream's bundle relates it
    ("mongodb:database", "pol:mongodb"),
    ("kafka:kafka", "pol:kafka"),
    ("nbi:nbi", "ng-ui:nbi"),
    ("mon:metrics-endpoint", "prometheus:metrics-endpoint"),
}
STATELESS_HA = ("nbi", "ro", "lcm", "pol", "ng-ui", "mongodb", "kafka")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Diagnostics name files relative to the cwd: run from the repository root."""
    monkeypatch.chdir(REPO_ROOT)


def composed(*overlays: str, settings: tuple[str, ...] = ()) -> Composition:
    options = api.ComposeOptions(overlays=overlays, settings=settings)
    return api.compose(Project(REPO_ROOT), options)


def relations(composition: Composition) -> set[tuple[str, ...]]:
    """The relations with both endpoints, as Juju resolves those the bundle leaves out."""
    index = CharmIndex(REPO_ROOT)
    resolved = resolve_relations(composition.bundle, composition.provenance, index).endpoints
    assert len(resolved) == len(composition.bundle["relations"])
    return {tuple(sorted(pair)) for pair in resolved.values()}


@pytest.mark.parametrize("overlays", [(), ("ha",), ("acme-telco",), ("globex",)])
def test_shipped_distributions_validate_without_findings(overlays: tuple[str, ...]):
    options = api.CheckOptions(strict=True)
    assert api.check(Project(REPO_ROOT), composed(*overlays), options).diagnostics == []


def test_base_bundle_has_the_nine_applications_and_every_design_relation():
    composition = composed()
    bundle = composition.bundle
    assert composition.distro.name == "osm"
    assert bundle["bundle"] == "kubernetes"
    assert set(bundle["applications"]) == OSM_APPS
    assert relations(composition) == DESIGN_RELATIONS
    for name, app in bundle["applications"].items():
        assert app["charm"] == f"osm-{name}"
        assert "channel" not in app  # sourced at build time: distro.charms
        assert app["scale"] == 1
        assert list(app["resources"]) == [f"{CONTAINERS[name]}-image"]
    images = {name: app["resources"] for name, app in bundle["applications"].items()}
    assert images["nbi"] == {"nbi-image": "docker.io/opensourcemano/nbi:16"}
    assert images["ng-ui"] == {"ng-ui-image": "docker.io/opensourcemano/ng-ui:16"}
    assert images["mongodb"] == {"mongodb-image": "mongo:7.0"}
    assert images["kafka"] == {"kafka-image": "apache/kafka:3.9.1"}
    assert images["prometheus"] == {"prometheus-image": "prom/prometheus:v3.5.0"}


def test_the_base_leaves_the_data_services_endpoint_to_inference():
    data_relations = [
        relation
        for relation in composed().bundle["relations"]
        if relation[1] in ("mongodb", "kafka")
    ]
    consumers = ("nbi", "ro", "lcm", "mon", "pol")
    assert sorted(data_relations) == sorted(
        [f"{app}:{service}", service] for app in consumers for service in ("mongodb", "kafka")
    )


def test_ha_has_three_units_and_real_replication():
    apps = composed("ha").bundle["applications"]
    assert {name: apps[name]["scale"] for name in STATELESS_HA} == dict.fromkeys(STATELESS_HA, 3)
    assert apps["mon"]["scale"] == apps["prometheus"]["scale"] == 1
    assert apps["kafka"]["options"] == {"min-insync-replicas": 2, "replication-factor": 3}


def test_acme_telco_extends_ha_with_its_registry_branding_and_keystone():
    composition = composed("acme-telco")
    apps = composition.bundle["applications"]
    assert composition.distro.chain == ("ha", "acme-telco")
    assert composition.distro.name == "acme-osm"
    assert apps["nbi"]["scale"] == 3
    for name in ("nbi", "ro", "lcm", "mon", "pol", "ng-ui", "keystone"):
        (image,) = apps[name]["resources"].values()
        assert image.startswith("registry.acme.example/osm/")
    logo = (REPO_ROOT / "overlays/acme-telco/logo.svg").read_bytes()
    assert apps["ng-ui"]["options"] == {
        "branding-logo": base64.b64encode(logo).decode(),
        "branding-primary-color": "#c8102e",
        "branding-product-name": "ACME Orchestrator",
    }
    assert apps["keystone"]["trust"] is True
    assert {("keystone:keystone", "nbi:keystone"), ("keystone:keystone", "mon:keystone")} <= (
        relations(composition)
    )


def test_globex_is_a_small_debug_lab_without_the_mon_prometheus_relation():
    composition = composed("globex")
    apps = composition.bundle["applications"]
    assert ("mon:prometheus", "prometheus:prometheus") not in relations(composition)
    assert ("mon:metrics-endpoint", "prometheus:metrics-endpoint") in relations(composition)
    assert all(app["scale"] == 1 for app in apps.values())
    for name in ("nbi", "ro", "lcm", "mon", "pol", "ng-ui", "kafka"):
        assert apps[name]["options"]["log-level"] == "DEBUG"
    assert apps["mon"]["options"]["prometheus-url"].startswith("http://")


def test_set_overrides_every_layer_and_reads_yaml_scalars():
    composition = composed(
        "acme-telco", settings=("registry=mirror.example/osm", "osm_version=17")
    )
    assert composition.bundle["applications"]["nbi"]["resources"] == {
        "nbi-image": "mirror.example/osm/nbi:17"
    }
    assert composition.distro.vars["osm_version"] == 17


def test_the_base_has_no_channel_or_charm_dir_variables():
    variables = composed().distro.vars
    assert "channel" not in variables and "charm_dir" not in variables
