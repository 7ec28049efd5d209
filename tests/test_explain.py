"""`distro-builder explain APP[.OPTION]`: every layer that touched a value, in order."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import compose
from typer.testing import CliRunner

from distro_builder.api import Project, display_path
from distro_builder.check import CharmIndex
from distro_builder.cli import create_app
from distro_builder.core import Origin
from distro_builder.inspect import ExplainError, explain

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "bundles" / "osm" / "bundle.yaml.j2"
HA = ROOT / "overlays" / "ha" / "overlay.yaml"


def line_of(path: Path, needle: str, after: str | None = None) -> tuple[int, str]:
    """The 1-based number and stripped text of the first line holding `needle` (after `after`)."""
    lines = path.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if needle in line:
            return number, line.strip()
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def vendor(tmp_path: Path) -> Path:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        textwrap.dedent(
            """\
            distro:
              name: vendor-osm
              extends: [ha]
            applications:
              nbi:
                options:
                  log-level: DEBUG
            """
        )
    )
    return overlay


def composed(overlays: list[str]):
    return compose(Project.locate(ROOT), overlays)


def test_an_option_lists_each_layer_with_its_line_and_the_final_value(vendor):
    composition = composed([str(vendor)])

    text = explain(composition.bundle, composition.provenance, "nbi.log-level")

    assert text.splitlines() == [
        'nbi.log-level = "DEBUG"',
        f"  1. {display_path(vendor)}:7:7  log-level: DEBUG",
    ]


def test_an_application_lists_every_field_with_its_history(vendor):
    composition = composed([str(vendor)])
    base_scale, base_text = line_of(BASE, "scale:", after="  nbi:")
    ha_scale, ha_text = line_of(HA, "scale:", after="  nbi:")

    lines = explain(composition.bundle, composition.provenance, "nbi").splitlines()

    assert lines[0] == "nbi (osm-nbi)"
    assert lines[1].startswith(f"  defined at {display_path(BASE)}:")
    scale = lines.index("  scale = 3")
    assert lines[scale + 1 : scale + 3] == [
        f"    1. {display_path(BASE)}:{base_scale}:5  {base_text}",
        f"    2. {display_path(HA)}:{ha_scale}:5  {ha_text}",
    ]
    assert '  options.log-level = "DEBUG"' in lines


def test_an_unset_option_tells_the_charm_default():
    composition = composed([])
    charm = CharmIndex(ROOT).find("osm-nbi")

    text = explain(composition.bundle, composition.provenance, "nbi.max-body-size", charm=charm)

    assert text == (
        "nbi.max-body-size is not set in the distribution: the charm's default 20 applies"
        " (charms/osm-nbi/charmcraft.yaml)"
    )
    with pytest.raises(ExplainError) as raised:
        explain(composition.bundle, composition.provenance, "nbi.log_level", charm=charm)
    assert str(raised.value) == (
        'nbi.log_level: charm "osm-nbi" has no option "log_level" (did you mean "log-level"?)'
    )


def test_an_unknown_application_suggests_one():
    composition = composed([])

    with pytest.raises(
        ExplainError,
        match=r'application "nbii" is not in the distribution \(did you mean "nbi"\?\)',
    ):
        explain(composition.bundle, composition.provenance, "nbii")


class OneOrigin:
    def __init__(self, origin: Origin) -> None:
        self.origin = origin

    def history(self, path: tuple[str | int, ...]) -> list[Origin]:
        return [self.origin]


def test_credentials_never_show(tmp_path):
    source = tmp_path / "overlay.yaml"
    source.write_text("    mysql-uri: mysql://pol:hunter2@db/pol\n")
    bundle = {"applications": {"pol": {"options": {"mysql-uri": "mysql://pol:hunter2@db/pol"}}}}

    text = explain(bundle, OneOrigin(Origin(str(source), 1, 5)), "pol.mysql-uri")

    assert "hunter2" not in text
    assert text.splitlines()[0] == 'pol.mysql-uri = "mysql://pol:***@db/pol"'


def test_the_cli_prints_the_explanation_and_fails_clearly(vendor):
    runner = CliRunner()

    found = runner.invoke(
        create_app(), ["explain", "nbi.log-level", "--overlay", str(vendor), "--root", str(ROOT)]
    )
    missing = runner.invoke(create_app(), ["explain", "nope", "--root", str(ROOT)])

    assert found.exit_code == 0
    assert found.stdout.startswith('nbi.log-level = "DEBUG"\n')
    assert missing.exit_code == 2
    assert 'error: application "nope" is not in the distribution' in missing.stderr
