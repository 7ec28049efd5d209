"""`distro.registry`: every OCI image of the distribution comes from one registry."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import at, checked

from distro_builder.check import image_registry_problem

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "(distro.registry at {where})"


def write_overlay(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "overlay.yaml"
    path.write_text(textwrap.dedent(body))
    return path


def check(*overlays: str) -> list[str]:
    return checked(*overlays)


def test_acme_telco_takes_every_image_from_its_registry():
    overlay = ROOT / "overlays" / "acme-telco" / "overlay.yaml"
    assert "registry: registry.acme.example\n" in overlay.read_text()
    assert check("acme-telco") == []


def test_images_from_elsewhere_are_named_with_their_application_and_resource(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        distro:
          name: acme-plus
          extends: [acme-telco]
        applications:
          nbi:
            resources:
              nbi-image: docker.io/opensourcemano/nbi:16
          ro:
            resources:
              ro-image: 3
          traefik:
            charm: traefik-k8s
            channel: latest/edge
            scale: 1
            trust: true
        """,
    )
    key = at(ROOT / "overlays/acme-telco/overlay.yaml", "registry: registry.acme.example")
    path, line, column = key.rsplit(":", 2)
    registry = f"{path}:{line}:{int(column) + len('registry: ')}"
    source = f"(distro.registry at {registry})"
    assert check(str(overlay)) == [
        f'{at(overlay, "nbi-image")}: error: application "nbi" resource "nbi-image" image'
        f' "docker.io/opensourcemano/nbi:16" does not come from registry.acme.example {source}',
        f'{at(overlay, "ro-image")}: error: application "ro" resource "ro-image" is Charmhub'
        f" revision 3, served by Charmhub, not by registry.acme.example {source}",
        f'{at(overlay, "traefik:")}: error: application "traefik" resource "traefik-image" is'
        ' left at the charm\'s default image "docker.io/ubuntu/traefik:2.11-26.04_edge", which'
        f" does not come from registry.acme.example {source}: set the resource to a copy in"
        " that registry",
    ]


def test_the_registry_setting_must_be_a_registry(tmp_path):
    overlay = write_overlay(
        tmp_path, "distro:\n  name: x\n  registry: https://registry.example\napplications: {}\n"
    )
    (found,) = check(str(overlay))
    assert found == (
        f'{at(overlay, "https://")}: error: distro.registry "https://registry.example" is not a'
        " registry host[:port][/path] such as registry.example.com/osm"
    )


@pytest.mark.parametrize(
    ("image", "registry", "fits"),
    [
        ("registry.acme.example/osm/nbi:16", "registry.acme.example", True),
        ("registry.acme.example/osm/nbi:16", "registry.acme.example/osm", True),
        ("registry.acme.example/osmx/nbi:16", "registry.acme.example/osm", False),
        ("registry.acme.example:5000/osm/nbi:16", "registry.acme.example", False),
        ("registry.acme.example:5000/osm/nbi:16", "registry.acme.example:5000", True),
        ("mongo:7.0", "docker.io", True),
        ("mongo:7.0", "registry.acme.example", False),
        ("opensourcemano/nbi:16", "docker.io/opensourcemano", True),
        ("localhost/nbi:16", "localhost", True),
        ("Registry.ACME.example/osm/nbi:16", "registry.acme.example", True),
    ],
)
def test_image_registry(image, registry, fits):
    assert (image_registry_problem(image, registry) is None) == fits
