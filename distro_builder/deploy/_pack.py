"""`distro-builder pack`: `charmcraft pack` for each in-repository charm a distribution uses.

A charm is packed into a temporary directory beside the output and its `.charm` files renamed
into place, so a failed or interrupted pack never leaves half a file; a charm whose files in
the output are newer than every one of its sources is skipped. charmcraft names a charm
`<name>_<platform>.charm` (`osm-nbi_amd64.charm` for `platforms: {amd64: }`).

charmcraft packs inside LXD or Multipass, or on the host itself (`--destructive-mode`) when
the host is the Ubuntu release the charm is built on. Elsewhere packing is impossible here:
the packed charms then come from CI (the pack job's artifacts) and `build --charms-dir`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from distro_builder.deploy._builder import Project, charm_name, compose_distribution
from distro_builder.deploy._controllers import DeployEnvironmentError

CHARMCRAFT = "charmcraft"
CHARMCRAFT_YAML = "charmcraft.yaml"
CHARMS_DIR = "charms"
CHARM_SUFFIX = ".charm"
DEFAULT_OUTPUT = Path("build") / "charms"
OS_RELEASE = Path("/etc/os-release")
IGNORED_DIRS = frozenset(
    {"tests", ".venv", "venv", ".tox", ".git", "build", "parts", "prime", "stage"}
)
IGNORED_SUFFIXES = (CHARM_SUFFIX, ".pyc")
FAILURE_LINES = 5
HOW_TO_GET_CHARMS = (
    "get the packed charms instead: download the `charm-*` artifacts of the CI pack job into "
    "a directory and run `distro-builder build ... --charms-dir DIR`"
)

State = Literal["skipped", "packing", "packed", "failed"]
Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


class CannotPackError(DeployEnvironmentError):
    """charmcraft cannot pack on this machine; the message says why and what to do."""


@dataclass(frozen=True)
class Host:
    """What decides whether and how charmcraft can pack here."""

    system: str
    ubuntu: bool
    charmcraft: str | None
    lxd: bool
    multipass: bool


@dataclass(frozen=True)
class CharmSource:
    """An in-repository charm a distribution uses, and the files packing it gives."""

    name: str
    directory: Path
    applications: tuple[str, ...]
    files: tuple[str, ...]


@dataclass(frozen=True)
class PackEvent:
    """A charm's packing changed state (for the progress display)."""

    charm: str
    state: State
    elapsed: float = 0.0
    size: int = 0
    detail: str = ""


@dataclass(frozen=True)
class PackResult:
    """What `pack_charms` did."""

    output: Path
    packed: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()


def detect_host(
    os_release: Path = OS_RELEASE, which: Callable[[str], str | None] = shutil.which
) -> Host:
    """This machine: its OS (from os-release), charmcraft, LXD and Multipass."""
    fields = read_os_release(os_release)
    return Host(
        system=fields.get("PRETTY_NAME") or fields.get("NAME") or "an unknown system",
        ubuntu=fields.get("ID") == "ubuntu",
        charmcraft=which(CHARMCRAFT),
        lxd=which("lxc") is not None or which("lxd") is not None,
        multipass=which("multipass") is not None,
    )


def read_os_release(path: Path) -> dict[str, str]:
    """The `KEY=value` lines of an os-release file (quotes removed); {} when absent."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    fields: dict[str, str] = {}
    for line in lines:
        key, equals, value = line.partition("=")
        if equals and key.strip() and not key.startswith("#"):
            fields[key.strip()] = value.strip().strip("\"'")
    return fields


def pack_arguments(host: Host) -> tuple[str, ...]:
    """The extra arguments of charmcraft on `host`: none in LXD/Multipass, destructive on Ubuntu.

    Raises:
        CannotPackError: charmcraft is missing, or the host is not Ubuntu and has neither LXD
            nor Multipass.
    """
    if host.charmcraft is None:
        raise CannotPackError(
            "cannot pack charms here: charmcraft is not installed "
            f"(`sudo snap install charmcraft --classic` on Ubuntu); {HOW_TO_GET_CHARMS}"
        )
    if host.lxd or host.multipass:
        return ()
    if host.ubuntu:
        return ("--destructive-mode",)
    raise CannotPackError(
        f"cannot pack charms here: charmcraft packs on Ubuntu or inside LXD or Multipass, and "
        f"this machine runs {host.system} with neither; {HOW_TO_GET_CHARMS}"
    )


def charm_sources(
    root: Path | None, overlays: Sequence[str], settings: Sequence[str]
) -> list[CharmSource]:
    """The in-repository charms the composed distribution uses, with their applications.

    Raises:
        InputError: when the overlays do not compose.
    """
    project = Project.locate(root)
    composition = compose_distribution(project, overlays, settings)
    applications: dict[str, list[str]] = {}
    for application, spec in (composition.bundle.get("applications") or {}).items():
        name = charm_name(str((spec or {}).get("charm", "")))
        applications.setdefault(name, []).append(str(application))
    sources: list[CharmSource] = []
    for name, directory, metadata in repository_charms(project.root):
        if name in applications:
            files = expected_files(name, metadata)
            sources.append(CharmSource(name, directory, tuple(applications[name]), files))
    return sources


def repository_charms(root: Path) -> list[tuple[str, Path, Mapping[str, object]]]:
    """Every charm of `charms/*/charmcraft.yaml`: its name, directory and charmcraft.yaml."""
    charms: list[tuple[str, Path, Mapping[str, object]]] = []
    for path in sorted((root / CHARMS_DIR).glob(f"*/{CHARMCRAFT_YAML}")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, Mapping) and isinstance(data.get("name"), str):
            charms.append((str(data["name"]), path.parent, data))
    return charms


def expected_files(name: str, charmcraft: Mapping[str, object]) -> tuple[str, ...]:
    """The `.charm` file names charmcraft gives a charm: one per platform."""
    platforms = charmcraft.get("platforms")
    if isinstance(platforms, Mapping) and platforms:
        return tuple(f"{name}_{platform}{CHARM_SUFFIX}" for platform in platforms)
    return ()


def source_files(directory: Path) -> Iterable[Path]:
    """Every file a charm is packed from (tests, environments, caches and packs left out)."""
    for current, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d not in IGNORED_DIRS and not d.endswith("_cache")]
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for file in files:
            if not file.endswith(IGNORED_SUFFIXES):
                yield Path(current) / file


def is_fresh(source: CharmSource, output: Path) -> bool:
    """Whether every packed file of `source` exists in `output` and is newer than its sources."""
    packed = [output / name for name in source.files] or sorted(
        output.glob(f"{source.name}_*{CHARM_SUFFIX}")
    )
    if not packed or not all(path.is_file() for path in packed):
        return False
    oldest_pack = min(path.stat().st_mtime for path in packed)
    sources = (path.stat().st_mtime for path in source_files(source.directory))
    return oldest_pack > max(sources, default=0.0)


def pack_charms(
    sources: Sequence[CharmSource],
    output: Path,
    *,
    host: Callable[[], Host] | None = None,
    on_event: Callable[[PackEvent], None] | None = None,
    run: Runner | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> PackResult:
    """Pack every stale charm of `sources` into `output` (created when something is packed).

    Raises:
        CannotPackError: when a charm needs packing and charmcraft cannot pack here.
    """
    notify = on_event or (lambda event: None)
    stale = [source for source in sources if not is_fresh(source, output)]
    packed, skipped, failed = [], [], []
    for source in sources:
        if source not in stale:
            size = sum(path.stat().st_size for path in _packed_files(source, output))
            notify(PackEvent(source.name, "skipped", size=size, detail="up to date"))
            skipped.append(source.name)
    if stale:
        machine = (host or detect_host)()
        arguments = pack_arguments(machine)
        assert machine.charmcraft is not None
        output.mkdir(parents=True, exist_ok=True)
        runner = run or _run
        for source in stale:
            start = clock()
            notify(PackEvent(source.name, "packing"))
            try:
                files = pack_one(source, output, machine.charmcraft, arguments, runner)
            except PackError as error:
                notify(PackEvent(source.name, "failed", clock() - start, detail=str(error)))
                failed.append((source.name, str(error)))
                continue
            size = sum(path.stat().st_size for path in files)
            notify(PackEvent(source.name, "packed", clock() - start, size))
            packed.append(source.name)
    return PackResult(output, tuple(packed), tuple(skipped), tuple(failed))


class PackError(Exception):
    """charmcraft failed for one charm, or did not write what it should have."""


def pack_one(
    source: CharmSource, output: Path, charmcraft: str, arguments: Sequence[str], run: Runner
) -> list[Path]:
    """Pack one charm into a temporary directory in `output`, then rename its files in.

    Raises:
        PackError: charmcraft failed or wrote other files than expected.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{source.name}.", suffix=".packing", dir=output))
    try:
        command = [charmcraft, "pack", "--project-dir", str(source.directory)]
        command += ["--output", str(staging), *arguments]
        result = run(command)
        if result.returncode != 0:
            tail = " | ".join((result.stdout or "").strip().splitlines()[-FAILURE_LINES:])
            raise PackError(f"charmcraft exited with {result.returncode}: {tail}".rstrip(": "))
        written = sorted(path.name for path in staging.glob(f"*{CHARM_SUFFIX}"))
        wanted = list(source.files) or written
        if not wanted or not set(wanted) <= set(written):
            raise PackError(
                f"charmcraft wrote {', '.join(written) or 'no charm'}, "
                f"expected {', '.join(wanted) or f'{source.name}_<platform>.charm'}"
            )
        placed = []
        for name in wanted:
            os.replace(staging / name, output / name)
            placed.append(output / name)
        return placed
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _packed_files(source: CharmSource, output: Path) -> list[Path]:
    return [output / name for name in source.files if (output / name).is_file()]


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run charmcraft, its output captured (shown only when it fails)."""
    return subprocess.run(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
