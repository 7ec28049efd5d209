"""Shared charm libraries: every copy in a charm's lib/ equals its canonical file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sync_tool():
    path = ROOT / "tools/sync_charm_libs.py"
    spec = importlib.util.spec_from_file_location("sync_charm_libs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["sync_charm_libs"] = module
    spec.loader.exec_module(module)
    return module


def test_no_copy_of_a_shared_library_drifts():
    tool = _sync_tool()
    assert tool.drifted() == [], "run `python tools/sync_charm_libs.py` to refresh the copies"


def test_every_shared_library_declares_its_charm_library_identity():
    for path in (ROOT / "charms/_libs/charms").glob("*/v*/*.py"):
        text = path.read_text()
        for field in ("LIBID = ", "LIBAPI = ", "LIBPATCH = "):
            assert field in text, f"{path}: missing {field.strip()}"
