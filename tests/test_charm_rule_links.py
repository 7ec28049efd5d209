"""The links from distro_builder/charm_rules.yaml to the charms' own validation code.

Charm engineers move and change that code; every `python` rule must still name a function
that exists and takes the value the way the builder passes it (alone, or as the `field` of a
config dataclass). A move or a signature change fails here, naming the rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from distro_builder.check import RULES_FILE, MetaError, RuleLink, parse_charm_rules, rule_links

ROOT = Path(__file__).resolve().parent.parent

try:
    LINKS, BROKEN = rule_links(RULES_FILE, ROOT), None
except MetaError as error:  # a rule file moved or vanished: reported by the test below
    LINKS, BROKEN = [], error


def test_the_rules_file_links_to_charm_code():
    assert BROKEN is None, str(BROKEN)
    assert len(LINKS) >= 5


@pytest.mark.parametrize("link", LINKS, ids=lambda link: f"{link.charm}.{link.option}")
def test_each_rule_function_exists_and_takes_the_value(link: RuleLink):
    assert callable(link.check.function())


def linked(tmp_path: Path, code: str, rule: dict[str, object]):
    (tmp_path / "rules.py").write_text(code)
    spec = {"options": {"x": {"python": "rules.py:check", **rule}}}
    return parse_charm_rules(spec, "rules.yaml", tmp_path).options["x"]


def test_a_function_that_no_longer_takes_the_value_alone_is_a_broken_rule(tmp_path: Path):
    rule = linked(tmp_path, "def check(value, strict):\n    pass\n", {})

    with pytest.raises(MetaError, match=r"check\(value, strict\) does not take the value as its"):
        rule.check("x")


def test_a_config_class_without_the_field_is_a_broken_rule(tmp_path: Path):
    code = "class check:\n    def __init__(self, retention: str = ''):\n        pass\n"
    rule = linked(tmp_path, code, {"field": "retention_time"})

    with pytest.raises(MetaError, match=r"does not take the value as retention_time="):
        rule.check("15d")


def test_a_moved_function_is_a_broken_rule(tmp_path: Path):
    rule = linked(tmp_path, "def renamed(value):\n    pass\n", {})

    with pytest.raises(MetaError, match=r"rules.py has no function 'check'"):
        rule.check("x")
