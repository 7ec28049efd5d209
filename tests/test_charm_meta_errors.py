"""Malformed charm descriptions: each problem named, with the file it is in."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from distro_builder.check import (
    MetaError,
    charm_name,
    import_descriptor,
    parse_charm_metadata,
    parse_charm_rules,
    read_charm_source,
    read_descriptor,
)
from distro_builder.core import MAX_FILE_BYTES


def error_of(call, *args) -> str:
    with pytest.raises(MetaError) as raised:
        call(*args)
    return str(raised.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1], "src: the document must be a mapping"),
        ({"name": ""}, 'src: missing the charm "name"'),
        ({"name": 3}, 'src: missing the charm "name"'),
        ({"name": "x", "config": [1]}, "src: config must be a mapping"),
    ],
)
def test_parse_charm_metadata_names_the_problem(data: object, message: str):
    assert error_of(parse_charm_metadata, data, "src") == message


def packed(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_a_packed_charm_merges_metadata_and_config(tmp_path: Path):
    charm = packed(
        tmp_path / "a.charm",
        {"metadata.yaml": "name: a\n", "config.yaml": "options: {x: {type: int}}\n"},
    )
    assert read_charm_source(charm) == {"name": "a", "config": {"options": {"x": {"type": "int"}}}}
    charm = packed(
        tmp_path / "b.charm",
        {
            "charmcraft.yaml": "name: b\nconfig: {options: {y: {type: string}}}\n",
            "config.yaml": "options: {x: {type: int}}\n",
        },
    )
    assert read_charm_source(charm)["config"] == {"options": {"y": {"type": "string"}}}


def test_packed_charm_problems(tmp_path: Path):
    empty = packed(tmp_path / "empty.charm", {"README": "x"})
    assert error_of(read_charm_source, empty) == (
        f"{empty}: has no metadata.yaml or charmcraft.yaml"
    )
    listed = packed(tmp_path / "list.charm", {"metadata.yaml": "- a\n"})
    assert error_of(read_charm_source, listed) == f"{listed}: the document must be a mapping"
    broken = packed(tmp_path / "broken.charm", {"metadata.yaml": "a: [\n"})
    assert error_of(read_charm_source, broken).startswith(
        f"{broken}!metadata.yaml: is not valid YAML: "
    )
    big = packed(tmp_path / "big.charm", {"metadata.yaml": "#" * (MAX_FILE_BYTES + 1)})
    assert error_of(read_charm_source, big) == (
        f"{big}!metadata.yaml: is too large for charm metadata"
    )
    exact = packed(
        tmp_path / "exact.charm", {"metadata.yaml": "name: e\n" + "#" * (MAX_FILE_BYTES - 8)}
    )
    assert read_charm_source(exact) == {"name": "e"}
    not_zip = tmp_path / "text.charm"
    not_zip.write_text("not a zip")
    assert error_of(read_charm_source, not_zip) == (
        f"{not_zip}: is not a readable charm archive: File is not a zip file"
    )


def test_split_metadata_files_merge_like_charmcraft(tmp_path: Path):
    (tmp_path / "charmcraft.yaml").write_text("name: c\nsummary: s\n")
    (tmp_path / "metadata.yaml").write_text("name: other\nrequires: {db: {interface: x}}\n")
    (tmp_path / "config.yaml").write_text("options: {x: {type: int}}\n")
    assert read_charm_source(tmp_path) == {
        "name": "c",
        "summary": "s",
        "requires": {"db": {"interface": "x"}},
        "config": {"options": {"x": {"type": "int"}}},
    }
    (tmp_path / "metadata.yaml").write_text("- a\n")
    assert error_of(read_charm_source, tmp_path) == (
        f"{tmp_path / 'charmcraft.yaml'}: metadata.yaml must be a mapping"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n", "the descriptor must be a mapping"),
        ("name: x\nzeta: 1\nalpha: 2\n", "unknown descriptor keys: alpha, zeta"),
        ("name: x\nchannel: 6\n", '"channel" must be a string such as 6/stable'),
        ("name: x\nrevision: one\n", '"revision" must be an integer'),
        ("name: x\nrevision: true\n", '"revision" must be an integer'),
        ("name: ''\n", 'missing the charm "name"'),
        ("name: x\nrules: [1]\n", "rules must be a mapping"),
    ],
)
def test_descriptor_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_text(text)
    assert error_of(read_descriptor, tmp_path / "x.yaml", tmp_path) == f"x.yaml: {message}"


def test_a_descriptor_keeps_its_channel_and_revision(tmp_path: Path):
    (tmp_path / "x.yaml").write_text("name: x\nchannel: 6/stable\nrevision: 0\n")
    meta = read_descriptor(tmp_path / "x.yaml", tmp_path)
    assert (meta.name, meta.channel, meta.revision, meta.external) == ("x", "6/stable", 0, True)


def test_import_writes_a_block_style_descriptor_in_fact_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    summary = "word " * 16  # a long default stays on one line up to 99 columns
    charm = tmp_path / "charmcraft.yaml"
    charm.write_text(
        "name: zed\nprovides: {api: {interface: http}}\n"
        f"config: {{options: {{motd: {{type: string, default: '{summary.strip()}'}}}}}}\n"
    )
    target = import_descriptor(charm, tmp_path / "catalog", channel="1/edge", revision=7)
    text = target.read_text(encoding="utf-8")
    body = text.split("\n", 2)[2]
    assert body == (
        "name: zed\nchannel: 1/edge\nrevision: 7\nsource: charmcraft.yaml\nprovides:\n"
        "  api:\n    interface: http\nconfig:\n  options:\n    motd:\n      type: string\n"
        f"      default: {summary.strip()}\n"
    )
    assert yaml.safe_load(text)["name"] == "zed"


def test_import_refuses_rules_for_options_the_charm_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "zed.yaml").write_text(
        "name: zed\nrules:\n  options:\n    b-gone: {min: 1}\n    a-gone: {min: 1}\n"
    )
    (tmp_path / "charmcraft.yaml").write_text("name: zed\n")
    assert error_of(import_descriptor, tmp_path / "charmcraft.yaml", tmp_path / "catalog") == (
        "catalog/zed.yaml: its rules name options the imported charm no longer has: "
        "a-gone, b-gone (edit the rules, then import again)"
    )
    (tmp_path / "catalog" / "zed.yaml").write_text("- a\n")
    assert error_of(import_descriptor, tmp_path / "charmcraft.yaml", tmp_path / "catalog") == (
        f"{tmp_path / 'catalog' / 'zed.yaml'}: the descriptor must be a mapping"
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ([1], "osm-x must be a mapping"),
        ({"colour": 1, "size": 2}, "osm-x: unknown rule keys: colour, size"),
        ({"single-unit": "yes"}, 'osm-x: "single-unit" must be true or false'),
        ({"options": [1]}, "osm-x.options must be a mapping"),
        ({"options": {"x": [1]}}, "osm-x.options.x must be a mapping"),
        (
            {"options": {"x": {"hint": "h"}}},
            "osm-x.options.x: no rule (use python, one-of, pattern, uri, min/max)",
        ),
        ({"options": {"x": {"one-of": []}}}, "osm-x.options.x: one-of must be a non-empty list"),
        (
            {"options": {"x": {"pattern": "("}}},
            "osm-x.options.x: invalid pattern: missing ), unterminated subpattern at position 0",
        ),
        ({"options": {"x": {"uri": "http"}}}, "osm-x.options.x: uri must be a list of schemes"),
        (
            {"options": {"x": {"min": 1, "allow": 3}}},
            "osm-x.options.x: allow must be a list of values",
        ),
        ({"options": {"x": {"min": "a"}}}, "osm-x.options.x.min must be a number"),
        ({"options": {"x": {"max": "b"}}}, "osm-x.options.x.max must be a number"),
    ],
)
def test_malformed_rules_are_named(spec: object, message: str):
    with pytest.raises(MetaError) as raised:
        parse_charm_rules(spec, "rules.yaml", Path("."), subject="osm-x")
    assert str(raised.value) == f"rules.yaml: {message}"


def test_a_pattern_rule_without_a_hint_shows_the_pattern():
    rules = parse_charm_rules({"options": {"x": {"pattern": "^a$"}}}, "r.yaml", Path("."))
    assert rules.options["x"].check("b") == 'must be matching ^a$, got "b"'


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"name": "x", "config": {"options": [1]}}, "config.options must be a mapping"),
        ({"name": "x", "config": {"options": {"o": [1]}}}, "config.options.o must be a mapping"),
        ({"name": "x", "containers": [1]}, "containers must be a mapping"),
        ({"name": "x", "containers": {"c": [1]}}, "containers.c must be a mapping"),
    ],
)
def test_malformed_metadata_sections_are_named(document: object, message: str):
    assert error_of(parse_charm_metadata, document, "src") == f"src: {message}"


def test_containers_subordinate_and_storage_facts():
    meta = parse_charm_metadata(
        {
            "name": "x",
            "subordinate": True,
            "containers": {"a": {"resource": "img"}, "b": {"resource": 3}, "c": None},
            "storage": {"s": {"type": "block"}, "t": {}},
        },
        "src",
    )
    assert meta.containers == {"a": "img", "b": None, "c": None}
    assert (meta.subordinate, meta.storage) == (True, {"s": "block", "t": "filesystem"})


@pytest.mark.parametrize(
    ("reference", "name"),
    [
        ("osm-nbi", "osm-nbi"),
        ("ch:osm-nbi", "osm-nbi"),
        ("./charms/osm-nbi_ubuntu@24.04-amd64.charm", "osm-nbi"),
        ("/a/my_charm_x_y.charm", "my"),
        ("/a/plain.charm", "plain"),
    ],
)
def test_charm_names_of_references(reference: str, name: str):
    assert charm_name(reference) == name


def test_a_directory_without_metadata(tmp_path: Path):
    assert error_of(read_charm_source, tmp_path) == (
        f"{tmp_path}: no charmcraft.yaml or metadata.yaml in directory"
    )
    (tmp_path / "metadata.yaml").write_text("name: m\n")
    (tmp_path / "config.yaml").write_text("options: {o: {type: int}}\n")
    assert read_charm_source(tmp_path) == {
        "name": "m",
        "config": {"options": {"o": {"type": "int"}}},
    }
