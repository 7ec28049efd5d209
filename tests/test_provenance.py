"""Provenance: which layer set each value of the composed bundle."""

import pytest
from helpers import REPO_ROOT
from helpers import compose as compose_distribution

from distro_builder.api import Project
from distro_builder.core import Origin, Provenance, Recorder


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)


def lines_of(origins: list[Origin]) -> list[str]:
    return [str(origin) for origin in origins]


def line_after(relative: str, *needles: str) -> int:
    """The 1-based line of the last needle, each searched after the previous one."""
    lines = (REPO_ROOT / relative).read_text().splitlines()
    index = -1
    for needle in needles:
        index = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == needle)
    return index + 1


def test_last_writer_and_history_of_an_option():
    provenance = compose_distribution(Project(REPO_ROOT), ["globex"], ()).provenance
    globex = "overlays/globex/overlay.yaml"
    base = "bundles/osm/bundle.yaml.j2"
    log_level = f"{globex}:{line_after(globex, 'nbi:', 'log-level: DEBUG')}:7"
    path = ("applications", "nbi", "options", "log-level")
    assert str(provenance.origin(path)) == log_level
    assert lines_of(provenance.history(path)) == [log_level]
    assert lines_of(provenance.history(("applications", "nbi", "scale"))) == [
        f"{base}:{line_after(base, 'nbi:', 'scale: 1')}:5",
        f"{globex}:{line_after(globex, 'nbi:', 'scale: 1')}:5",
    ]


def test_every_field_resource_storage_and_relation_has_an_origin():
    composition = compose_distribution(Project(REPO_ROOT), ["acme-telco"], ())
    provenance = composition.provenance
    for name, app in composition.bundle["applications"].items():
        for field, value in app.items():
            assert provenance.history(("applications", name, field)), (name, field)
            for key in value if isinstance(value, dict) else ():
                assert provenance.history(("applications", name, field, key)), (name, field, key)
    for index, relation in enumerate(composition.bundle["relations"]):
        assert provenance.history(("relations", index))
        for side in range(len(relation)):
            assert provenance.history(("relations", index, side))
    keystone = composition.bundle["relations"].index(["nbi:keystone", "keystone:keystone"])
    acme = "overlays/acme-telco/overlay.yaml"
    relation_line = line_after(acme, "- [nbi:keystone, keystone:keystone]")
    assert str(provenance.origin(("relations", keystone, 1))) == f"{acme}:{relation_line}:20"
    logo = ("applications", "ng-ui", "options", "branding-logo")
    assert str(provenance.origin(logo)) == f"{acme}:{line_after(acme, 'logo: logo.svg')}:11"


def test_origin_falls_back_to_the_nearest_recorded_ancestor():
    provenance = Provenance({("applications", "a"): [Origin("f", 1, 1)]})
    assert str(provenance.origin(("applications", "a", "options", "x"))) == "f:1:1"
    assert provenance.origin(("saas",)) is None
    assert provenance.history(("applications", "a", "options")) == []


def test_removing_an_application_forgets_its_history():
    recorder = Recorder()
    scope = ("applications", "a")
    recorder.record(scope, ("options", "x"), Origin("one", 1, 1))
    recorder.drop(scope)
    recorder.record(scope, (), Origin("two", 2, 2))
    provenance = recorder.freeze({})
    assert provenance.history(("applications", "a", "options", "x")) == []
    assert str(provenance.origin(("applications", "a", "options", "x"))) == "two:2:2"
