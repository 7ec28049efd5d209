"""Day-2 scenario files: parsed with positions, run against the engine, checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_simulate_engine import FakeRunner, consumer, provider, two_apps

from distro_builder.core import InputError
from distro_builder.simulate import Engine, check, read_scenario, run_step


def scenario_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return path


def test_a_scenario_runs_its_steps_and_meets_its_expectations(tmp_path: Path):
    path = scenario_file(
        tmp_path,
        "expect: {all: active}\n"
        "steps:\n"
        "  - remove-relation: [web:db, db]\n"
        "    expect: {web: {status: blocked, message: need db relation}}\n"
        "  - add-relation: [web, db]\n"
        "    expect: {web: active, db: active}\n"
        "  - config: {app: web, set: {x: 1}, unset: [y]}\n"
        "  - scale: {app: db, units: 2, leader: 1}\n"
        "    expect: {db: active}\n"
        "  - upgrade-charm: {app: web}\n"
        "    expect: {all: {message-contains: ''}}\n",
    )
    scenario = read_scenario(path)
    engine = Engine(two_apps(), FakeRunner({"db": provider, "web": consumer}))
    engine.deploy()
    assert check(engine, scenario.expect) == []
    for step in scenario.steps:
        run_step(engine, step)
        assert check(engine, step.expect) == [], step
    assert engine.units["db/1"].leader


def test_a_missed_expectation_is_reported_at_its_line(tmp_path: Path):
    path = scenario_file(
        tmp_path,
        "steps:\n  - remove-relation: [web:db, db]\n    expect:\n      web: active\n",
    )
    [step] = read_scenario(path).steps
    engine = Engine(two_apps(), FakeRunner({"db": provider, "web": consumer}))
    engine.deploy()
    run_step(engine, step)
    [mismatch] = check(engine, step.expect)
    assert mismatch.diagnostic().format() == (
        f"{path}:4:7: error: web/0: expected active, found blocked 'need db relation'"
    )


def test_every_malformed_step_is_reported_at_once(tmp_path: Path):
    path = scenario_file(
        tmp_path,
        "steps:\n"
        "  - scale: {app: db, units: zero}\n"
        "  - explode: now\n"
        "  - config: {app: web}\n"
        "    expect: {web: sleepy}\n",
    )
    with pytest.raises(InputError) as caught:
        read_scenario(path)
    lines = [d.format() for d in caught.value.diagnostics]
    assert lines == [
        f"{path}:2:5: error: scale: {{app: APP, units: N (at least 1), leader: N (optional)}}",
        f'{path}:3:5: error: unknown key "explode": use one of remove-relation, add-relation, '
        "config, scale, rotate-secret, upgrade-charm",
        f"{path}:3:5: error: a step has exactly one of remove-relation, add-relation, config, "
        "scale, rotate-secret, upgrade-charm",
        f"{path}:5:14: error: web: a status (active, blocked, maintenance, waiting, error, "
        "unknown) or {status, message, message-contains}",
    ]


def test_a_step_naming_an_unknown_application_is_an_input_error(tmp_path: Path):
    path = scenario_file(tmp_path, "steps:\n  - upgrade-charm: {app: nope}\n")
    [step] = read_scenario(path).steps
    engine = Engine(two_apps(), FakeRunner({"db": provider, "web": consumer}))
    engine.deploy()
    with pytest.raises(InputError) as caught:
        run_step(engine, step)
    assert 'no application "nope" in the distribution (db, web)' in str(caught.value)
