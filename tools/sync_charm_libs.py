"""Copy the shared charm libraries from charms/_libs/ into every charm that uses them.

A charm uses a shared library when its `lib/` holds a file of the same relative path
(`lib/charms/osm_libs/v0/status.py`). Add a library to a charm with
`--add charms/osm_libs/v0/component.py osm-nbi` (the shared libraries it imports come with
it); refresh every copy with no argument; `--check` only reports copies that differ (the unit
tests run the same check).
"""

from __future__ import annotations

import argparse
import ast
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / "charms" / "_libs"


def charm_libs() -> list[tuple[Path, Path]]:
    """(canonical, copy) for every shared-library file found in a charm's lib/."""
    pairs = []
    for copy in sorted(ROOT.glob("charms/*/lib/charms/**/*.py")):
        # charms/<charm>/lib/<relative>: the same <relative> under charms/_libs/
        canonical = SHARED.joinpath(*copy.relative_to(ROOT).parts[3:])
        if canonical.is_file():
            pairs.append((canonical, copy))
    return pairs


def imported_libraries(source: Path, root: Path = SHARED) -> set[str]:
    """The files under `root` that `source` imports as `charms.<...>` modules (relative paths)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            relative = module.replace(".", "/") + ".py"
            if module.startswith("charms.") and (root / relative).is_file():
                found.add(relative)
    return found


def with_dependencies(library: str, root: Path = SHARED) -> list[str]:
    """`library` and every shared library it imports, directly or not (relative paths)."""
    wanted, todo = {library}, [library]
    while todo:
        for relative in imported_libraries(root / todo.pop(), root) - wanted:
            wanted.add(relative)
            todo.append(relative)
    return sorted(wanted)


def add(library: str, charms: list[str], root: Path = ROOT) -> list[Path]:
    """Copy `library` and the shared libraries it imports into each charm's lib/."""
    shared = root / "charms" / "_libs"
    written = []
    for charm in charms:
        for relative in with_dependencies(library, shared):
            target = root / "charms" / charm / "lib" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shared / relative, target)
            written.append(target)
    return written


def drifted() -> list[Path]:
    """Copies whose bytes differ from their canonical library."""
    return [copy for source, copy in charm_libs() if copy.read_bytes() != source.read_bytes()]


def main(argv: list[str]) -> int:
    """Synchronise (default), check (--check), or add a library to charms (--add)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="report drift, change nothing")
    parser.add_argument("--add", nargs="+", metavar=("LIB", "CHARM"), help="LIB CHARM...")
    args = parser.parse_args(argv)
    if args.add:
        lib, *charms = args.add
        for path in add(lib, charms):
            print(f"copied {path.relative_to(ROOT)}")
        return 0
    stale = drifted()
    if args.check:
        for copy in stale:
            print(f"{copy.relative_to(ROOT)}: differs from charms/_libs")
        return 1 if stale else 0
    for canonical, copy in charm_libs():
        shutil.copyfile(canonical, copy)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
