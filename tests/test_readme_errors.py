"""The README's error examples are what the shipped files give, with the edits it describes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO_ROOT
from typer.testing import CliRunner

from distro_builder.cli import create_app

SECTION = re.compile(r"^### Error format\n(.*?)^## ", re.DOTALL | re.MULTILINE)
BLOCK = re.compile(r"^```text\n(.*?)^```", re.DOTALL | re.MULTILINE)


def readme_examples() -> list[list[str]]:
    """The text blocks of the README's "Error format" section, as lines."""
    section = SECTION.search((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    assert section is not None
    return [block.splitlines() for block in BLOCK.findall(section.group(1))]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def stderr_of(*args: str) -> list[str]:
    result = CliRunner().invoke(create_app(), ["validate", *args])
    assert result.exit_code == 2, result.output
    return result.stderr.splitlines()


@pytest.fixture
def here(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The copied project as the current directory (paths print relative to it)."""
    monkeypatch.chdir(project)
    return project


def test_the_error_lines(here: Path):
    scale, secret, unknown = readme_examples()[0]
    globex = here / "overlays/globex/overlay.yaml"
    edit(globex, "  nbi:\n    scale: 1\n", "  nbi:\n    scale: one\n")
    assert stderr_of("--overlay", "globex") == [scale]

    acme = here / "overlays/acme-telco/overlay.yaml"
    edit(
        acme,
        "    trust: true\n    resources:\n      keystone-image",
        "    trust: true\n    options:\n      admin-password: S3cr3t\n    resources:\n"
        "      keystone-image",
    )
    assert stderr_of("--overlay", "acme-telco") == [secret]
    assert stderr_of("--overlay", "acme") == [unknown]


def test_the_error_with_notes(here: Path):
    (example,) = readme_examples()[1:]
    acme = here / "overlays/acme-telco/overlay.yaml"
    edit(acme, "registry: registry.acme.example/osm", "registry: registry.acme.example/OSM")
    lines = stderr_of("--overlay", "acme-telco")
    assert len([line for line in lines if ": error: " in line]) == 7
    start = lines.index(example[0])
    assert lines[start : start + len(example)] == example
