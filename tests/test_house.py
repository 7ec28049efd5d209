"""The builder's house: imports point only down the stages, and into a package by its door.

The levels, bottom first: a module may import its own package and any package of a lower
level, and another package only through its ``__init__`` (its private ``_modules`` are its
own). ``deploy`` and ``simulate`` have their level waiting; every ``cli*`` module is the face.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterator
from pathlib import Path

from helpers import REPO_ROOT

PACKAGE = "distro_builder"
LEVELS: tuple[tuple[str, ...], ...] = (
    ("core", PACKAGE),  # the package root holds only __version__
    ("juju",),
    ("load",),
    ("compose",),
    ("check",),
    ("emit",),
    ("inspect",),
    ("deploy", "simulate"),
    ("api",),
    ("cli", "cli_*", "__main__"),
)
FACE = "cli"


def unit_of(name: str) -> str:
    """The unit (package or top-level module) of `distro_builder.<name...>`: ``check``, ``cli``."""
    if not name:
        return PACKAGE
    head = name.split(".")[0]
    return FACE if any(fnmatch.fnmatch(head, p) for p in LEVELS[-1]) else head


def level_of(unit: str) -> int | None:
    return next((n for n, units in enumerate(LEVELS) if unit in units), None)


def module_name(path: Path, root: Path) -> str:
    """`distro_builder/check/_charms.py` -> `check._charms` (`""` for the package root)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(node: ast.Import | ast.ImportFrom, module: str, root: Path) -> Iterator[str]:
    """The `distro_builder` modules an import statement names, relative to the package."""
    is_package = module == "" or (root / module.replace(".", "/")).is_dir()
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if module else []
            base = base if is_package else base[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, *([node.module] if node.module else [])])
            names = [f"{PACKAGE}.{target}" if target else PACKAGE]
        else:
            names = [node.module or ""]
        if names[0] == PACKAGE:  # from distro_builder import api (or __version__)
            submodules = [alias.name for alias in node.names if _is_module(root, alias.name)]
            names = [f"{PACKAGE}.{name}" for name in submodules] or names
    for name in names:
        if name == PACKAGE or name.startswith(f"{PACKAGE}."):
            yield name.removeprefix(PACKAGE).removeprefix(".")


def _is_module(root: Path, name: str) -> bool:
    return (root / name).is_dir() or (root / f"{name}.py").is_file()


def violations(root: Path) -> list[str]:
    """Every import of the package at `root` that points up, sideways or into another's room."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        source = unit_of(module)
        source_level = level_of(source)
        where = f"{path.relative_to(root.parent)}"
        if source_level is None:
            found.append(f"{where}: {source} is on no level of the house (tests/test_house.py)")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for name in imported(node, module, root):
                target = unit_of(name)
                if target == source:
                    continue
                target_level = level_of(target)
                shown = f"{where}:{node.lineno}: {source} imports {PACKAGE}.{name}".rstrip(".")
                if target_level is None:
                    found.append(f"{shown}, which is on no level of the house")
                elif target_level > source_level:
                    found.append(f"{shown}: {target} is above {source}")
                elif target_level == source_level:
                    found.append(f"{shown}: {target} is beside {source}")
                elif any(part.startswith("_") for part in name.split(".")[1:]):
                    found.append(f"{shown}: a private module; use {target}'s __init__")
    return found


def test_imports_point_only_down_and_through_front_doors():
    assert violations(REPO_ROOT / PACKAGE) == []


def test_an_upward_a_sideways_and_a_private_import_are_each_named(tmp_path: Path):
    package = tmp_path / PACKAGE
    for name, text in {
        "__init__.py": "",
        "core/__init__.py": "from distro_builder.check import check_charms\n",
        "deploy/__init__.py": "from ..simulate import run\n",
        "simulate/__init__.py": "",
        "emit/__init__.py": "from distro_builder.check._charms import check_charms\n",
        "check/__init__.py": "from . import _charms\n",
        "check/_charms.py": "from distro_builder.core import Diagnostic\n",
    }.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)

    assert violations(package) == [
        f"{PACKAGE}/core/__init__.py:1: core imports {PACKAGE}.check: check is above core",
        f"{PACKAGE}/deploy/__init__.py:1: deploy imports {PACKAGE}.simulate:"
        " simulate is beside deploy",
        f"{PACKAGE}/emit/__init__.py:1: emit imports {PACKAGE}.check._charms:"
        " a private module; use check's __init__",
    ]
