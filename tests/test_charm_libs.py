"""Shared charm libraries: every copy in a charm's lib/ equals its canonical file."""

from __future__ import annotations

import importlib.util
import shutil
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


def test_add_copies_the_libraries_an_added_library_imports(tmp_path: Path):
    tool = _sync_tool()
    shutil.copytree(ROOT / "charms/_libs/charms", tmp_path / "charms/_libs/charms")
    (tmp_path / "charms/osm-new/lib").mkdir(parents=True)
    tool.add("charms/osm_libs/v0/component.py", ["osm-new"], root=tmp_path)
    copied = sorted(
        path.name for path in (tmp_path / "charms/osm-new/lib/charms/osm_libs/v0").iterdir()
    )
    # component imports pebble_service and status; nothing else comes along.
    assert copied == ["component.py", "pebble_service.py", "status.py"]


def test_every_charm_packs_every_shared_library_it_imports():
    tool = _sync_tool()
    shared = ROOT / "charms/_libs"
    for charm in sorted(ROOT.glob("charms/osm-*")):
        sources = [*charm.glob("src/*.py"), *charm.glob("lib/charms/**/*.py")]
        needed = set().union(*(tool.imported_libraries(source, shared) for source in sources))
        missing = sorted(lib for lib in needed if not (charm / "lib" / lib).is_file())
        assert missing == [], f"{charm.name}: add with tools/sync_charm_libs.py --add"


def test_every_charm_entry_point_is_executable():
    for charm in sorted(ROOT.glob("charms/osm-*")):
        assert (charm / "src/charm.py").stat().st_mode & 0o111 == 0o111, charm.name
