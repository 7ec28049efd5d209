"""Any input ends in diagnostics of the documented form: no traceback, no stray line.

Every line the builder prints for a problem is ``PATH:LINE:COL: error: MESSAGE`` (or
``PATH: error: MESSAGE``, ``error: MESSAGE``; ``warning``, ``note`` alike), whatever the input
holds: user text is quoted and escaped, so no key or value can end the line or forge another.
"""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from distro_builder.cli import create_app

OVERLAY = "overlays/t/overlay.yaml"
LINE = re.compile(r"^(?:[^\n]+?(?::\d+:\d+)?: )?(?:error|warning|note): [^\n]*$")


def invoke(project: Path, *args: str):
    return CliRunner().invoke(create_app(), [*args, "--root", str(project)])


def overlay(project: Path, text: str | bytes, name: str = "t") -> Path:
    path = project / "overlays" / name / "overlay.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def problems(result) -> list[str]:
    """The lines printed for a failed run, each checked to have the documented form."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines
    for line in lines:
        assert LINE.match(line), line
    return lines


def validate(project: Path, *args: str):
    return invoke(project, "validate", "--overlay", "t", *args)


def option(value: str, application: str = "nbi", key: str = "log-level") -> str:
    return f"applications:\n  {application}:\n    options:\n      {key}: {value}\n"


# Crashes on bad input: each is now a diagnostic.


def test_an_integer_with_more_digits_than_python_converts(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    overlay(project, option("9" * 5000, key="max-body-size"))
    (line,) = problems(validate(project))
    assert line.startswith(f"{OVERLAY}:4:22: error: ")
    assert "digits" in line


def test_a_set_integer_with_more_digits_than_python_converts(project: Path):
    (line,) = problems(invoke(project, "validate", "--set", "osm_version=" + "9" * 5000))
    assert line.startswith("error: --set ")


def test_int_options_are_checked_against_juju_s_64_bit_range(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    overlay(project, option("9" * 200, key="max-body-size"))
    (line,) = problems(validate(project))
    assert line.startswith(f"{OVERLAY}:4:7: error: ")
    assert '"max-body-size"' in line and "64-bit" in line


def test_a_nul_character_in_an_include_path(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    overlay(project, option('"include-file://a\\0b"'))
    (line,) = problems(validate(project))
    assert line.startswith(f"{OVERLAY}:4:7: error: ")
    assert "NUL" in line


def test_a_nul_character_in_a_logo_name(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    overlay(project, 'distro:\n  branding: {logo: "a\\0b.svg"}\n')
    (line,) = problems(validate(project))
    assert line.startswith(f"{OVERLAY}:2:20: error: branding logo ")
    assert "NUL" in line


def charm_archive(path: Path, metadata: bytes) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.yaml", metadata)
    return path


def patch_flags(path: Path, *, flags: int | None = None, method: int | None = None) -> None:
    """Rewrite the general-purpose flags or the compression method of every member."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start >= 0:
            if flags is not None:
                data[start + offset : start + offset + 2] = flags.to_bytes(2, "little")
            if method is not None:
                data[start + offset + 2 : start + offset + 4] = method.to_bytes(2, "little")
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))


def broken_charms(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    latin = charm_archive(directory / "latin.charm", b"name: caf\xe9\n")
    encrypted = charm_archive(directory / "encrypted.charm", b"name: x\n")
    patch_flags(encrypted, flags=0x1)
    method = charm_archive(directory / "method.charm", b"name: x\n")
    patch_flags(method, method=97)
    truncated = directory / "truncated.charm"
    truncated.write_bytes(charm_archive(directory / "whole.charm", b"name: x\n").read_bytes()[:40])
    return {"latin": latin, "encrypted": encrypted, "method": method, "truncated": truncated}


@pytest.mark.parametrize("kind", ["latin", "encrypted", "method", "truncated"])
def test_a_broken_packed_charm_is_an_input_error(monkeypatch, project: Path, kind: str):
    monkeypatch.chdir(project)
    charm = broken_charms(project / "overlays/t")[kind]
    overlay(project, f"applications:\n  nbi:\n    charm: ./{charm.name}\n")
    (line,) = problems(validate(project))
    assert "charm" in line
    imported = CliRunner().invoke(create_app(), ["catalog", "import", str(charm)])
    (line,) = problems(imported)
    assert line.startswith(f"overlays/t/{charm.name}")


def fake_dot(directory: Path, script: str) -> None:
    directory.mkdir()
    dot = directory / "dot"
    dot.write_text(f"#!/bin/sh\n{script}\n")
    dot.chmod(dot.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize(
    ("script", "timeout"), [("echo 'dot: crashed' >&2; exit 3", 60), ("sleep 30", 0.5)]
)
def test_a_failing_graphviz_leaves_the_picture_out_with_a_note(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, timeout: float
):
    fake_dot(tmp_path / "bin", script)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    monkeypatch.setattr("distro_builder.emit._picture.DOT_TIMEOUT_SECONDS", timeout)
    output = tmp_path / "dist"
    result = invoke(project, "build", "--overlay", "globex", "--output", str(output))
    assert result.exit_code == 0, result.output
    (note,) = [line for line in result.stderr.splitlines() if "topology.svg" in line]
    assert note.startswith("note: ")
    assert not (output / "topology.svg").exists()
    assert "```mermaid" in (output / "README.md").read_text()


# Names: anchored patterns, no newline accepted at the end.


def test_a_distribution_name_with_a_newline_is_refused(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    overlay(project, 'distro: {name: "evil\\n"}\n')
    (line,) = problems(validate(project))
    assert line.startswith(f"{OVERLAY}:1:16: error: distro.name ")
    assert '"evil\\n"' in line


def test_a_variable_name_with_a_newline_is_refused(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    overlay(project, 'distro: {vars: {"x\\n": 1}}\n')
    assert problems(validate(project))
    (line,) = problems(invoke(project, "validate", "--set", "x\n=1"))
    assert line.startswith("error: --set ")


# Lines of the documented form, whatever the input holds.


def test_a_key_holding_a_newline_cannot_forge_a_diagnostic(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    overlay(project, 'saas: {"x\\n/etc/passwd:1:1: error: forged": []}\n')
    (line,) = problems(validate(project))
    assert line.startswith(f"{OVERLAY}:1:")
    assert "\\n/etc/passwd:1:1: error: forged" in line


def test_a_control_character_is_an_error_at_its_position(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    overlay(project, option('"a\x07b"'))
    (line,) = problems(validate(project))
    assert line.startswith(f"{OVERLAY}:4:20: error: ")
    assert "position" not in line


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("applications:\n  nbi: [a\n", ":3:1:"),
        ("a: b\n  c: d\n", ":2:4:"),
        ("a: 'unclosed\n", ":2:1:"),
        ("a: *missing\n", ":1:4:"),
        ("- a\nb: c\n", ":2:1:"),
    ],
)
def test_yaml_errors_are_one_line_with_a_position(
    monkeypatch, project: Path, text: str, where: str
):
    monkeypatch.chdir(project)
    overlay(project, text)
    line, *notes = problems(validate(project))
    assert line.startswith(OVERLAY + where), line
    assert all(": note: " in note for note in notes), notes
    assert not any("<unicode string>" in printed for printed in (line, *notes))


def test_a_file_that_is_not_utf8_gets_the_position_of_the_first_bad_byte(
    monkeypatch, project: Path
):
    monkeypatch.chdir(project)
    overlay(project, b"applications:\n  nbi:\n    options: {log-level: caf\xe9}\n")
    (line,) = problems(validate(project))
    assert line.startswith(f"{OVERLAY}:3:29: error: not UTF-8"), line


def test_broken_charm_metadata_is_reported_at_its_line(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    charm = project / "overlays/t/c"
    charm.mkdir(parents=True)
    (charm / "charmcraft.yaml").write_text("name: x\nprovides: [a\n")
    overlay(project, "applications:\n  nbi:\n    charm: ./c\n")
    lines = problems(validate(project))
    assert any(line.startswith("overlays/t/c/charmcraft.yaml:3:1: error: ") for line in lines)
    assert not any("<unicode string>" in line for line in lines)


def test_control_characters_in_names_are_escaped(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    overlay(project, 'applications:\n  nbi:\n    charm: "./a\\u001b[2Jb\\rc"\n')
    for line in problems(validate(project)):
        assert "\x1b" not in line and "\r" not in line


# Found by fuzzing.


@pytest.mark.parametrize("expression", ["1.5 | wordwrap(5)", "[1] | xmlattr", "none | xmlattr"])
def test_a_filter_that_fails_on_an_odd_value_is_a_template_error(
    monkeypatch, project: Path, expression: str
):
    monkeypatch.chdir(project)
    overlay(project, f"applications: {{}}\n# {{{{ {expression} }}}}\n")
    (line,) = problems(validate(project))
    assert line.startswith(f"{OVERLAY}:2:1: error: template error: ")


def test_diff_and_merge_of_a_name_too_long_are_input_errors(monkeypatch, project: Path):
    monkeypatch.chdir(project)
    long = "n" * 300
    (line,) = problems(CliRunner().invoke(create_app(), ["diff", "ha", f"./{long}"]))
    assert "name longer" in line
    (line,) = problems(CliRunner().invoke(create_app(), ["merge", long]))
    assert "name longer" in line
