"""Inputs are bounded, as the README promises: files, templates, extends, names.

Each case runs the real command in a process of its own with a generous timeout and a bound
on its address space, so that a hang or a runaway allocation fails the test instead of the
machine; none of them times anything.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 60  # seconds: the cases end in well under one
MEMORY = 1024**3  # bytes of address space: a build needs a few hundred MB
HUGE = 4 * 1024**3  # a sparse file: four gigabytes that take no disk
OVERLAY = "overlays/t/overlay.yaml"


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`distro-builder ARGS` in `project`, bounded in time and memory."""
    return subprocess.run(
        [sys.executable, "-m", "distro_builder", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
        preexec_fn=limited,
    )


def overlay(project: Path, text: str, name: str = "t") -> Path:
    path = project / "overlays" / name / "overlay.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def validate(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli(project, "validate", "--overlay", "t", *args)


def error_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    return done.stderr.splitlines()


def option(value: str, application: str = "nbi", key: str = "log-level") -> str:
    return f"applications:\n  {application}:\n    options:\n      {key}: {value}\n"


# Files: only regular files, and only up to the bound.


@pytest.mark.parametrize("directive", ["include-file://", "include-base64://"])
def test_an_include_of_a_fifo_is_an_error_at_its_option(project: Path, directive: str):
    overlay(project, option(f"{directive}fifo"))
    os.mkfifo(project / "overlays/t/fifo")
    (line,) = error_lines(validate(project))
    assert line.startswith(f"{OVERLAY}:4:7: error: ")
    assert "not a regular file" in line


@pytest.mark.parametrize("name", ["fifo", "fifo.charm", "fifo.yaml"])
def test_a_charm_naming_a_fifo_is_an_error_at_the_charm(project: Path, name: str):
    overlay(project, f"applications:\n  nbi:\n    charm: ./{name}\n")
    os.mkfifo(project / "overlays/t" / name)
    lines = error_lines(validate(project))
    assert lines
    assert all(line.startswith(f"{OVERLAY}:3:5: error: ") for line in lines), lines
    assert any("not a regular file" in line for line in lines)


def test_a_charm_naming_dev_zero_is_an_error_at_the_charm(project: Path):
    overlay(project, "applications:\n  nbi:\n    charm: /dev/zero\n")
    lines = error_lines(validate(project))
    assert lines
    assert all(line.startswith(f"{OVERLAY}:3:5: error: ") for line in lines), lines
    assert any("not a regular file" in line for line in lines)


def test_a_huge_include_or_logo_is_refused_without_reading_it(project: Path):
    text = option("include-base64://huge").replace(
        "applications:", "distro:\n  branding:\n    logo: huge\napplications:"
    )
    overlay(project, text)
    with (project / "overlays/t/huge").open("wb") as handle:
        handle.truncate(HUGE)
    lines = sorted(error_lines(validate(project)))
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{OVERLAY}:3:11: error: branding logo ")
    assert lines[1].startswith(f"{OVERLAY}:7:7: error: ")
    assert all("is larger than" in line for line in lines)


# Templates: bounded in time and memory, not only in the size of their output.

TEMPLATE_BOMBS = {
    "nested loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    ),
    "loops over a variable": (
        "{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}"
    ),
    "a huge list": "{{ ([1] * 10**9) | length }}",
    "a folded huge string": "{{ 'a' * 10**9 }}",
    "a string grown by ~": "{% set a = 'a' * 1000 %}"
    + "".join("{% set a = a ~ a %}" for _ in range(30))
    + "{{ a | length }}",
    "lipsum": "{{ lipsum(n=100000) }}",
    "a huge power": "{{ 10**5000 }}",
    "a huge power in a dead branch": "{% if false %}{{ 10**5000 }}{% endif %}",
    "a huge literal": "{{ " + "9" * 5000 + " }}",
    "padding": "{{ 'a' | center(10**9) }}",
    "a format width": "{{ '%1000000000d' % 1 }}",
    "str.format": "{{ '{:>1000000000}'.format(1) }}",
    "a replace that multiplies": "{% set a = 'a' * 100000 %}{{ a.replace('a', a) | length }}",
    "a join that multiplies": "{% set a = 'a' * 100000 %}{{ a | join(a) | length }}",
    "recursion": "{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "a buffered loop": (
        "{% set big = 'x' * 1000000 %}{% macro m() %}{% for i in range(4000) %}{{ big }}"
        "{% endfor %}{% endmacro %}{{ m() | length }}"
    ),
}


@pytest.mark.parametrize("template", TEMPLATE_BOMBS.values(), ids=TEMPLATE_BOMBS.keys())
def test_a_costly_template_ends_in_an_error_at_its_line(project: Path, template: str):
    overlay(project, f"# one\n# two\n# {template}\napplications: {{}}\n")
    lines = error_lines(validate(project))
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{OVERLAY}:3:"), lines


def test_the_shipped_overlays_still_render(project: Path):
    done = cli(project, "validate", "--overlay", "acme-telco", "--overlay", "globex")
    assert done.returncode == 0, done.stderr


# extends: confined as include-file:// is, and never echoing a file that is not an overlay.


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../../../../etc/passwd"])
def test_extends_cannot_leave_the_project_s_overlays(project: Path, target: str):
    overlay(project, f'distro:\n  extends: ["{target}"]\n')
    (line,) = error_lines(validate(project))
    assert line.startswith(f"{OVERLAY}:2:13: error: ")
    assert "root:" not in line
    assert "outside" in line


def test_extends_within_the_overlays_directory_works(project: Path):
    overlay(project, 'distro:\n  extends: ["../ha/overlay.yaml"]\n')
    assert cli(project, "validate", "--overlay", "t").returncode == 0


def test_a_file_that_is_not_an_overlay_is_not_echoed(project: Path):
    overlay(project, "distro:\n  extends: [./notes.yaml]\n")
    (project / "overlays/t/notes.yaml").write_text("private text, not YAML mapping\n")
    (line,) = error_lines(validate(project))
    assert "private" not in line


def test_an_extends_cycle_through_relative_paths_is_named_once(project: Path):
    overlay(project, "distro:\n  extends: [../b/overlay.yaml]\n", name="a")
    overlay(project, "distro:\n  extends: [../a/overlay.yaml]\n", name="b")
    (line,) = error_lines(cli(project, "validate", "--overlay", "a"))
    assert line == "overlays/b/overlay.yaml:2:13: error: extends cycle: a -> b -> a"


# Names longer than the file system allows: input errors, reported with the others.

LONG = "n" * 300


ABSENT_INCLUDE = "  ro:\n    options:\n      log-level: include-file://absent\n"
UNKNOWN_OPTION = "  ro:\n    options:\n      no-such-option: 1\n"
LONG_NAMES = {
    "extends name": (f"distro:\n  extends: [{LONG}]\n", ""),
    "extends path": (f"distro:\n  extends: [./{LONG}.yaml]\n", ""),
    "logo": (f"distro:\n  branding: {{logo: {LONG}}}\napplications:\n", ABSENT_INCLUDE),
    "include": (option(f"include-file://{LONG}"), ABSENT_INCLUDE),
    "charm file": (f"applications:\n  nbi:\n    charm: ./{LONG}.charm\n", UNKNOWN_OPTION),
    "charm directory": (f"applications:\n  nbi:\n    charm: ./{LONG}\n", UNKNOWN_OPTION),
}


@pytest.mark.parametrize(("text", "sibling"), LONG_NAMES.values(), ids=LONG_NAMES.keys())
def test_a_name_too_long_is_an_input_error_reported_with_the_others(
    project: Path, text: str, sibling: str
):
    overlay(project, text + sibling)
    extra = () if sibling else ("--overlay", "nope")
    lines = error_lines(validate(project, *extra))
    assert not any("Errno" in line for line in lines), lines
    assert any(line.startswith(f"{OVERLAY}:") and "name longer" in line for line in lines), lines
    other = "absent" if sibling == ABSENT_INCLUDE else "no-such-option" if sibling else "nope"
    assert any(other in line for line in lines), lines


@pytest.mark.parametrize("reference", [LONG, f"{LONG}.yaml", f"./{LONG}/x"])
def test_an_overlay_named_too_long_is_an_input_error(project: Path, reference: str):
    lines = error_lines(cli(project, "validate", "--overlay", reference, "--overlay", "nope"))
    assert len(lines) == 2, lines
    assert not any("Errno" in line for line in lines), lines
    assert 'unknown overlay "nope"' in lines[1]


# Work: about linear in the input (benchmarks/scaling.py has the figures; these only catch
# what once took minutes, with the generous timeout above).


def test_a_comment_line_in_a_large_overlay_maps_lines_back_quickly(project: Path):
    lines = ["x-shape:"] + ["  - a"] * 95_000  # alike lines: what made the old line map slow
    lines.insert(len(lines) // 2, "{# a comment on a line of its own #}")
    lines += ["applications:", "  nbi: {scale: one}"]
    overlay(project, "\n".join(lines) + "\n")
    printed = error_lines(cli(project, "explain", "nbi", "--overlay", "t"))
    assert f"{OVERLAY}:{len(lines)}:16: error: applications.nbi.scale: " in printed[-1]


@pytest.mark.parametrize(
    ("head", "unit"), [("", "a"), ("", "ab://a:"), ("", "a1"), ("@", "ab://a")]
)
def test_a_long_plain_option_value_is_checked_quickly(project: Path, head: str, unit: str):
    value = head + unit * (300_000 // len(unit))
    overlay(project, option(f'"{value}"', application="ro", key="certificates"))
    done = validate(project)
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert all(line.startswith(f"{OVERLAY}:4:7: error: ") for line in lines), lines


def test_tens_of_thousands_of_relations_build_with_their_picture(project: Path):
    for name, role, prefix in (("bench-p", "provides", "p"), ("bench-c", "requires", "r")):
        endpoints = "".join(f"  {prefix}{n}: {{interface: i{n}}}\n" for n in range(10))
        charm = project / "charms" / name
        charm.mkdir()
        text = f"name: {name}\nplatforms: {{amd64: }}\n{role}:\n{endpoints}"
        (charm / "charmcraft.yaml").write_text(text)
    lines = ["applications:"]
    lines += [f"  p{n}: {{charm: bench-p}}" for n in range(100)]
    lines += [f"  c{n}: {{charm: bench-c}}" for n in range(100)]
    lines.append("relations:")
    lines += [
        f"  - [c{n % 100}:r{n // 10_000}, p{n // 100 % 100}:p{n // 10_000}]" for n in range(30_000)
    ]
    overlay(project, "\n".join(lines) + "\n")
    done = cli(project, "build", "--overlay", "t", "--output", "out")
    assert done.returncode == 0, done.stderr
    assert (project / "out/topology.svg").is_file() or "note: " in done.stderr
