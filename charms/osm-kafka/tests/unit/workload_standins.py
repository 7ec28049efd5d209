# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The Kafka workload as the charm meets it: the storage and `kafka-storage.sh format`.

One documented place for the stand-ins of the workload, used by this charm's unit tests and
by `distro-builder simulate` (which runs every unit of the application against one
`Workload`):

- the `data` storage is a directory per unit, mounted where Juju mounts it (`/var/lib/kafka`);
- `kafka-storage.sh format` succeeds and, as the image's script does, writes the node's
  `meta.properties` (its cluster id from the command line, its node id from the
  `server.properties` the charm pushed) into the log directory on the storage.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Mapping
from pathlib import Path

from literals import DATA_DIR, KAFKA_HOME, META_PROPERTIES, SERVER_PROPERTIES, STORAGE_DIR
from ops import testing

KAFKA_STORAGE = f"{KAFKA_HOME}/bin/kafka-storage.sh"
STORAGE_NAME = "data"
FORMAT = (KAFKA_STORAGE, "format")
DIRECTORY_ID = "aGqF7Gb8QfWcN1Ka8Wq8ig"


def write_meta(storage: Path, node_id: int, cluster_id: str, where: str = DATA_DIR) -> None:
    """Put on `storage` (the directory mounted at /var/lib/kafka) what `format` writes."""
    directory = storage / Path(where).relative_to(STORAGE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / META_PROPERTIES).write_text(
        "#\n#Thu Jan 01 00:00:00 UTC 2026\n"
        f"cluster.id={cluster_id}\ndirectory.id={DIRECTORY_ID}\n"
        f"node.id={node_id}\nversion=1\n"
    )


class Workload:
    """Kafka's storage and its format command, for every unit of one application."""

    def __init__(self, storage: Mapping[int, Path] | None = None) -> None:
        self._storage = dict(storage or {})
        self._scratch: tempfile.TemporaryDirectory[str] | None = None

    def storage(self, unit: int) -> Path:
        """The directory standing for `unit`'s `data` storage (a new one unless given)."""
        if unit not in self._storage:
            if self._scratch is None:
                self._scratch = tempfile.TemporaryDirectory(prefix="osm-kafka-storage-")
            path = Path(self._scratch.name) / str(unit)
            path.mkdir()
            self._storage[unit] = path
        return self._storage[unit]

    def prepare(
        self, unit: int, container: testing.Container, root: Path | None = None
    ) -> testing.Container:
        """The container with the unit's storage mounted and `format` answering success."""
        del root
        mount = testing.Mount(location=STORAGE_DIR, source=self.storage(unit))
        others = {e for e in container.execs if tuple(e.command_prefix) != FORMAT}
        return dataclasses.replace(
            container,
            mounts={**container.mounts, STORAGE_NAME: mount},
            execs={*others, testing.Exec(list(FORMAT), return_code=0)},
        )

    def observe(
        self, unit: int, container: testing.Container, commands: list[list[str]], root: Path
    ) -> None:
        """After a hook: a `format` the charm ran leaves the node's `meta.properties`."""
        del container
        for command in commands:
            if tuple(command[:2]) == FORMAT and "--cluster-id" in command:
                cluster_id = command[command.index("--cluster-id") + 1]
                write_meta(self.storage(unit), _node_id(root), cluster_id)


def _node_id(root: Path) -> int:
    """The `node.id` of the `server.properties` the charm pushed (0 when there is none)."""
    path = root / SERVER_PROPERTIES.lstrip("/")
    lines = path.read_text().splitlines() if path.is_file() else []
    values = dict(line.split("=", 1) for line in lines if "=" in line and line[0] != "#")
    return int(values.get("node.id", "0"))
