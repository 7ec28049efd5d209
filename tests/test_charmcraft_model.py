"""charmcraft's own project model validates every charms/*/charmcraft.yaml.

We cannot run `charmcraft pack` here, so this test does offline what pack does before it
builds anything: load the project through charmcraft's model (`CharmcraftProject`, which
refuses unknown keys, bad bases, unregistered part plugins...), derive the metadata.yaml
that pack would write (`CharmMetadata`), check the config against charmcraft's config model
(`JujuConfig`: option types, defaults of the right type) and run the pack-time linters
that read those files. A file charmcraft would refuse fails here.
"""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest
import yaml
from charmcraft import linters
from charmcraft.models.config import JujuConfig
from charmcraft.models.metadata import CharmMetadata
from charmcraft.models.project import BasesCharm, CharmcraftProject, PlatformCharm
from craft_cli import CraftError

ROOT = Path(__file__).resolve().parent.parent
CHARMCRAFT_FILES = sorted(ROOT.glob("charms/*/charmcraft.yaml"))
PACK_LINTERS = (linters.JujuMetadata, linters.JujuConfig, linters.JujuActions)

VALID = {
    "name": "osm-demo",
    "type": "charm",
    "title": "Demo",
    "summary": "A demo charm",
    "description": "A demo charm.",
    "base": "ubuntu@24.04",
    "platforms": {"amd64": None},
    "parts": {"charm": {"plugin": "uv", "source": ".", "build-snaps": ["astral-uv"]}},
    "containers": {"demo": {"resource": "demo-image"}},
    "resources": {"demo-image": {"type": "oci-image", "upstream-source": "demo:1"}},
    "config": {"options": {"log-level": {"type": "string", "default": "INFO"}}},
}


def charmcraft_refusal(path: Path, packed: Path) -> str | None:
    """What charmcraft would refuse in `path`, or None; `packed` receives the packed files."""
    try:
        project = CharmcraftProject.from_yaml_file(path)
        assert isinstance(project, (PlatformCharm, BasesCharm))
        metadata = CharmMetadata.from_charm(project).marshal()
        data = project.marshal()
        if data.get("config"):
            JujuConfig.model_validate(data["config"])
    except (CraftError, pydantic.ValidationError, ValueError) as error:
        return str(error)
    packed.mkdir(parents=True, exist_ok=True)
    (packed / "metadata.yaml").write_text(yaml.safe_dump(metadata))
    for key in ("config", "actions"):
        if data.get(key):
            (packed / f"{key}.yaml").write_text(yaml.safe_dump(data[key]))
    for linter_class in PACK_LINTERS:
        linter = linter_class()
        if linter.run(packed) == linters.LintResult.ERROR:
            return f"{linter.name}: {linter.text}"
    return None


@pytest.mark.parametrize("path", CHARMCRAFT_FILES, ids=lambda path: path.parent.name)
def test_charmcraft_accepts_every_charm_of_the_repository(path, tmp_path):
    assert charmcraft_refusal(path, tmp_path / "packed") is None


def test_there_are_charms_to_check():
    assert CHARMCRAFT_FILES


def write_project(directory: Path, data: dict[str, object]) -> Path:
    directory.mkdir()
    path = directory / "charmcraft.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_valid_project_passes(tmp_path):
    assert charmcraft_refusal(write_project(tmp_path / "c", VALID), tmp_path / "packed") is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"x-single-unit": True}, "extra inputs are not permitted"),
        ({"base": "debian@12"}, "input should be 'ubuntu@18.04'"),
        ({"parts": {"charm": {"plugin": "nonexistent"}}}, "plugin not registered"),
        ({"summary": None}, "summary"),
        (
            {"config": {"options": {"log-level": {"type": "str"}}}},
            "does not match any of the expected tags",
        ),
        (
            {"config": {"options": {"port": {"type": "int", "default": "80"}}}},
            "valid integer",
        ),
    ],
)
def test_what_charmcraft_would_refuse_fails(tmp_path, change, reason):
    data = {key: value for key, value in {**VALID, **change}.items() if value is not None}

    refusal = charmcraft_refusal(write_project(tmp_path / "c", data), tmp_path / "packed")

    assert refusal is not None
    assert reason in refusal
