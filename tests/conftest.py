"""Shared fixtures."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import Write, copy_project


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write dedented `text` to `tmp_path / relative` and return the path."""

    def _write(relative: str, text: str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the repository's project files."""
    return copy_project(tmp_path / "checkout")
