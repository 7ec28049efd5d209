"""The rules file and the small YAML files of charms, read as the builder reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from distro_builder.check import MetaError, RuleLink, read_yaml_file, rule_links
from distro_builder.core import MAX_FILE_BYTES

CHECK = "def check(value):\n    if value != 'ok':\n        raise ValueError('not ok')\n"


def test_rule_links_lists_every_python_rule_in_file_order(tmp_path: Path):
    (tmp_path / "lib.py").write_text(CHECK)
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "b-charm:\n  options:\n    level: {python: lib.py:check}\n    size: {min: 1}\n"
        "a-charm:\n  options:\n    mode: {python: lib.py:check, empty-ok: true}\n"
    )

    links = rule_links(rules, tmp_path)

    assert [(link.charm, link.option) for link in links] == [
        ("b-charm", "level"),
        ("a-charm", "mode"),
    ]
    assert all(isinstance(link, RuleLink) for link in links)
    assert [link.check.check("bad") for link in links] == ["not ok", "not ok"]
    assert [link.check.empty_ok for link in links] == [False, True]
    assert links[0].check.reference.source == str(rules)


def test_rule_links_of_an_empty_rules_file(tmp_path: Path):
    (tmp_path / "rules.yaml").write_text("# nothing yet\n")
    assert rule_links(tmp_path / "rules.yaml", tmp_path) == []


def test_rule_links_refuses_a_rules_file_that_is_not_a_mapping(tmp_path: Path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("- a\n")
    with pytest.raises(MetaError) as raised:
        rule_links(rules, tmp_path)
    assert str(raised.value) == f"{rules}: the rules file must be a mapping"


def test_rule_links_names_the_charm_of_a_malformed_rule(tmp_path: Path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("my-charm:\n  options:\n    level: {colour: red}\n")
    with pytest.raises(MetaError) as raised:
        rule_links(rules, tmp_path)
    assert raised.value.source == str(rules)
    assert "my-charm" in raised.value.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"a" * (MAX_FILE_BYTES + 1), "is too large for charm metadata"),
        (b"\xff\xfe", "not UTF-8 text (byte 0xff): save the file as UTF-8"),
        (b"a: [", "is not valid YAML: "),
    ],
)
def test_read_yaml_file_says_what_is_wrong(tmp_path: Path, content: bytes | None, message: str):
    path = tmp_path / "metadata.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(MetaError) as raised:
        read_yaml_file(path)
    assert raised.value.source == str(path)
    assert raised.value.message.startswith(message)
    assert str(raised.value).startswith(f"{path}: {message}")


def test_read_yaml_file_at_the_size_limit_and_missing_ok(tmp_path: Path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * MAX_FILE_BYTES)
    assert read_yaml_file(path) is None
    assert read_yaml_file(tmp_path / "absent.yaml", missing_ok=True) is None
    (tmp_path / "ok.yaml").write_text("a: 1\n")
    assert read_yaml_file(tmp_path / "ok.yaml") == {"a": 1}
