"""How long validating a distribution takes, and how the cost grows with its size.

Generates a project whose base distribution has N applications and R relations over two
synthetic charms (a provider with ten endpoints, a consumer requiring ten), half of the
relations with both endpoints named and half with the provider's inferred, every application
with options and an image resource. Composes it once, then times the checks of `validate`
(`api.check`: Juju's structural verification, the builder's rules and the charm-aware checks
against fresh charm metadata) for 300 apps / 1,000 relations and 600 / 2,000: the best of 15
rounds that alternate the two sizes (as timeit advises, so that load from elsewhere on the
machine does not count). Targets: under 1 s for the first, at most 2.1x for the second.

Run: uv run --locked python benchmarks/validate.py
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from pathlib import Path

import yaml

from distro_builder import api
from distro_builder.compose import Composition

RUNS = 15
SIZES = ((300, 1000), (600, 2000))
TARGET_SECONDS = 1.0
TARGET_RATIO = 2.1
ENDPOINTS = 10


def write_charms(root: Path) -> None:
    """Two synthetic charms: a provider of ten interfaces and a consumer of them."""
    charms = {
        "bench-provider": {
            "provides": {f"p{n}": {"interface": f"i{n}"} for n in range(ENDPOINTS)},
            "containers": {"app": {"resource": "app-image"}},
            "resources": {"app-image": {"type": "oci-image"}},
            "config": {"options": {"log-level": {"type": "string"}, "workers": {"type": "int"}}},
        },
        "bench-consumer": {
            "requires": {f"r{n}": {"interface": f"i{n}"} for n in range(ENDPOINTS)},
            "config": {"options": {"log-level": {"type": "string"}, "ratio": {"type": "float"}}},
        },
    }
    for name, metadata in charms.items():
        directory = root / "charms" / name
        directory.mkdir(parents=True)
        charmcraft = {"name": name, "platforms": {"amd64": None}, **metadata}
        (directory / "charmcraft.yaml").write_text(yaml.safe_dump(charmcraft))


def generated_bundle(applications: int, relations: int) -> dict[str, object]:
    """A bundle of providers and consumers with `relations` distinct, valid relations."""
    providers = [f"provider{n}" for n in range(applications // 2)]
    consumers = [f"consumer{n}" for n in range(applications - len(providers))]
    apps: dict[str, object] = {}
    for name in providers:
        apps[name] = {
            "charm": "bench-provider",
            "scale": 1,
            "options": {"log-level": "INFO", "workers": 4},
            "resources": {"app-image": "registry.example/bench/provider:1"},
        }
    for name in consumers:
        apps[name] = {"charm": "bench-consumer", "options": {"log-level": "DEBUG", "ratio": 0.5}}
    pairs = []
    for number in range(relations):
        consumer = consumers[number % len(consumers)]
        endpoint = (number // len(consumers)) % ENDPOINTS
        provider = providers[(number * 7 + number // len(consumers)) % len(providers)]
        target = f"{provider}:p{endpoint}" if number % 2 else provider
        pairs.append([f"{consumer}:r{endpoint}", target])
    return {"bundle": "kubernetes", "applications": apps, "relations": pairs}


def composed(project: api.Project, applications: int, relations: int) -> Composition:
    """Write the generated bundle as the project's base and compose it (through the API)."""
    bundle = generated_bundle(applications, relations)
    project.base_template.write_text(yaml.safe_dump(bundle, sort_keys=False))
    return api.compose(project, api.ComposeOptions())


def time_validation(project: api.Project, composition: Composition) -> float:
    """Seconds of one `api.check` (the checks of `validate`), with a fresh charm index."""
    gc.collect()
    gc.disable()  # as timeit does: time the work, not when the collector happens to run
    start = time.perf_counter()
    findings = api.check(project, composition, api.CheckOptions())
    seconds = time.perf_counter() - start
    gc.enable()
    problems = [d.format() for d in findings.diagnostics if d.is_error]
    if problems:
        sys.exit("the generated distribution should be valid:\n" + "\n".join(problems[:5]))
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        write_charms(root)
        project = api.Project(root)
        project.base_dir.mkdir(parents=True)
        project.defaults.write_text("distro: {name: bench}\n")
        compositions = [composed(project, *size) for size in SIZES]
        rounds = [[time_validation(project, c) for c in compositions] for _ in range(RUNS)]
    times = [min(column) for column in zip(*rounds, strict=True)]
    for (applications, relations), seconds in zip(SIZES, times, strict=True):
        print(f"validate {applications} apps / {relations} relations: {seconds * 1000:.1f} ms")
    ratio = times[1] / times[0]
    print(f"ratio {SIZES[1][0]}/{SIZES[0][0]} apps: {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    verdict = times[0] < TARGET_SECONDS and ratio <= TARGET_RATIO
    print(
        f"target under {TARGET_SECONDS:.0f} s and linear growth: {'met' if verdict else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
