"""Builder-side charm rules: value constraints, the single-unit flag and the in-repo rules file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from distro_builder.check import (
    RULES_FILE,
    CharmIndex,
    CharmRules,
    MetaError,
    PythonCheck,
    parse_charm_rules,
)

ROOT = Path(__file__).resolve().parent.parent
LOG_LEVEL_RULE = {"python": "charms/_libs/charms/osm_libs/v0/status.py:normalise_log_level"}


def rule(spec: dict[str, object], root: Path = ROOT):
    return parse_charm_rules({"options": {"x": spec}}, "rules.yaml", root).options["x"]


@pytest.mark.parametrize(
    ("spec", "good", "bad", "message"),
    [
        (
            {"one-of": ["path", "subdomain"]},
            "path",
            "host",
            'must be one of path, subdomain, got "host"',
        ),
        (
            {"pattern": "[0-9]+[smhd]", "hint": "a duration such as 15d"},
            "15d",
            "15 days",
            'must be a duration such as 15d, got "15 days"',
        ),
        ({"min": 60, "allow": [-1]}, -1, 30, "must be at least 60 (or -1), got 30"),
        ({"min": 1, "max": 7}, 7, 8, "must be at least 1 and at most 7, got 8"),
        ({"max": 0.5}, 0.25, 1.5, "must be at most 0.5, got 1.5"),
        (
            {"uri": ["mysql"]},
            "mysql://u:p@db:3306/pol",
            "http://db",
            'must be a URI (mysql://...), got "http://db"',
        ),
        (
            LOG_LEVEL_RULE,
            "debug",
            "LOUD",
            "invalid log-level 'LOUD': use one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL",
        ),
    ],
)
def test_each_rule_kind_accepts_good_values_and_explains_bad_ones(spec, good, bad, message):
    checked = rule(spec)

    assert checked.check(good) is None
    assert checked.check(bad) == message


def test_a_uri_rule_treats_empty_as_unset_and_never_shows_the_password():
    checked = rule({"uri": ["mysql"]})

    assert checked.check("") is None
    assert checked.check("postgres://pol:hunter2@db/pol") == (
        'must be a URI (mysql://...), got "postgres://pol:***@db/pol"'
    )


def test_a_python_rule_can_reuse_a_config_dataclass_field_and_skip_empty(tmp_path):
    (tmp_path / "config.py").write_text(
        "from dataclasses import dataclass\n"
        "@dataclass(frozen=True)\n"
        "class Config:\n"
        "    colour: str = 'red'\n"
        "    def __post_init__(self):\n"
        "        if self.colour not in ('red', 'blue'):\n"
        "            raise ValueError(f'invalid colour {self.colour!r}')\n"
    )
    checked = rule(
        {"python": "config.py:Config", "field": "colour", "empty-ok": True}, root=tmp_path
    )

    assert [checked.check(value) for value in ("blue", "", "green")] == [
        None,
        None,
        "invalid colour 'green'",
    ]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"options": {"x": {"regex": "a"}}},
            "no rule (use python, one-of, pattern, uri, min/max)",
        ),
        ({"options": {"x": {"one-of": []}}}, "one-of must be a non-empty list"),
        ({"options": {"x": {"pattern": "("}}}, "invalid pattern"),
        ({"options": {"x": {"uri": "mysql"}}}, "uri must be a list of schemes"),
        ({"options": {"x": {"min": "sixty"}}}, "options.x.min must be a number"),
        ({"options": {"x": {"min": 1, "allow": -1}}}, "allow must be a list of values"),
        ({"single-unit": "yes"}, '"single-unit" must be true or false'),
        ({"scale": 1}, "unknown rule keys: scale"),
        ({"options": {"x": {"python": "status.py"}}}, "must be 'path/to/file.py:function'"),
        ({"options": {"x": {"python": "../../etc/x.py:f"}}}, "is outside the repository"),
        (
            {"options": {"x": {"python": "absent.py:f"}}},
            "python rule file absent.py does not exist",
        ),
    ],
)
def test_malformed_rules_are_refused(spec, message):
    with pytest.raises(MetaError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_charm_rules(spec, "rules.yaml", ROOT)


def test_a_python_rule_that_imports_ops_is_refused_before_it_runs(tmp_path):
    (tmp_path / "config.py").write_text(
        "import sys\nsys.modules['__ran__'] = sys\ndef check(v):\n    import ops.pebble\n"
    )
    checked = rule({"python": "config.py:check"}, root=tmp_path)

    with pytest.raises(MetaError, match="imports ops, which the builder never loads"):
        checked.check("value")
    assert "__ran__" not in sys.modules


def test_a_python_rule_loads_its_file_only_when_a_value_is_checked(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "__loaded__", None)
    (tmp_path / "config.py").write_text("import sys\nsys.modules['__loaded__'] = sys\n")
    checked = rule({"python": "config.py:nope"}, root=tmp_path)

    assert sys.modules["__loaded__"] is None
    with pytest.raises(MetaError, match=r"rules.options.x: config.py has no function 'nope'"):
        checked.check("value")
    assert sys.modules["__loaded__"] is sys


def test_no_rules_means_nothing_declared():
    assert parse_charm_rules(None, "rules.yaml", ROOT) == CharmRules()


def test_the_repository_rules_file_loads_for_every_charm_it_names():
    declared = yaml.safe_load(RULES_FILE.read_text())
    index = CharmIndex(ROOT)
    present = [name for name in declared if (ROOT / "charms" / name / "charmcraft.yaml").is_file()]

    metas = [index.find(name) for name in present]
    python_rules = [
        rule
        for meta in metas
        if meta is not None
        for rule in meta.rules.options.values()
        if isinstance(rule, PythonCheck)
    ]

    assert present, "the rules file names charms of this repository"
    assert all(meta is not None and meta.rules.options for meta in metas)
    assert python_rules
    assert all(callable(rule.reference.load()) for rule in python_rules)


def test_log_level_rule_is_the_charms_own_shared_validation():
    index = CharmIndex(ROOT)
    meta = index.find("osm-nbi")
    if meta is None:
        pytest.skip("osm-nbi has not landed yet")

    assert meta.rules.options["log-level"].check("warn") is None
    assert "use one of TRACE" in str(meta.rules.options["log-level"].check("verbose"))


def test_prometheus_is_declared_single_unit():
    meta = CharmIndex(ROOT).find("osm-prometheus")
    if meta is None:
        pytest.skip("osm-prometheus has not landed yet")

    assert meta.rules.single_unit is True


@pytest.mark.parametrize(
    "line",
    ["import ops", "import os, ops.pebble", "from ops import x", "    from ops.pebble import y"],
)
def test_every_way_of_importing_ops_refuses_a_rule_file(tmp_path, line):
    (tmp_path / "config.py").write_text(f"def check(v):\n    pass\n{line}\n")
    with pytest.raises(MetaError, match="imports ops, which the builder never loads"):
        rule({"python": "config.py:check"}, root=tmp_path).check("value")


@pytest.mark.parametrize("line", ["import opsx", "from operator import x", "from opsec import z"])
def test_modules_whose_names_start_like_ops_are_not_ops(tmp_path, line):
    # inside a function that never runs: only the text search is under test
    (tmp_path / "config.py").write_text(
        f"def unused():\n    {line}\ndef check(v):\n    return None\n"
    )
    rule({"python": "config.py:check"}, root=tmp_path).check("value")
