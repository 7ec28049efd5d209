"""The simulator's Juju: hook order, databags and secrets carried, settling, day 2.

The charms here are small Python stand-ins behind the engine's `Runner` interface (the real
charms run in the end-to-end tests); they answer as the worker does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from distro_builder.simulate import (
    AppSpec,
    Deployment,
    EndpointSpec,
    Engine,
    Event,
    HookLoopError,
    ProvidedData,
    RelationSpec,
)
from distro_builder.simulate._engine import Unit

Behaviour = Callable[[str, int, dict[str, Any], dict[str, Any]], dict[str, Any]]


def answer(
    world: dict[str, Any],
    status: tuple[str, str] = ("active", ""),
    *,
    app: Mapping[int, dict[str, str]] | None = None,
    unit: Mapping[int, dict[str, str]] | None = None,
    secrets: list[dict[str, Any]] | None = None,
    tracked: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A worker's answer: the unit's databags are kept unless `app`/`unit` change them."""
    relations = {
        str(rel["id"]): {
            "app": (app or {}).get(rel["id"], rel["local_app_data"]),
            "unit": (unit or {}).get(rel["id"], rel["local_unit_data"]),
        }
        for rel in world["relations"]
    }
    owned = [s for s in world["secrets"] if s["owner"]]
    return {
        "unit_status": list(status),
        "app_status": ["unknown", ""] if world["leader"] else None,
        "relations": relations,
        "secrets": secrets
        if secrets is not None
        else [
            {
                "id": s["id"],
                "owner": s["owner"],
                "content": s["latest"],
                "label": s.get("label"),
                "grants": s.get("grants", {}),
            }
            for s in owned
        ],
        "tracked": tracked
        if tracked is not None
        else {s["id"]: s["tracked"] for s in world["secrets"] if not s["owner"]},
    }


class FakeRunner:
    """Runs each application's behaviour function; records every hook."""

    def __init__(self, behaviours: Mapping[str, Behaviour]) -> None:
        self.behaviours = behaviours
        self.log: list[tuple[str, str]] = []
        self.events: list[tuple[str, dict[str, Any]]] = []

    def run(self, jobs: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        answers: dict[str, list[dict[str, Any]]] = {}
        for app, app_jobs in jobs.items():
            for job in app_jobs:
                unit, event, world = job["unit"], job["event"], job["world"]
                self.log.append((f"{app}/{unit}", event["kind"]))
                self.events.append((f"{app}/{unit}", event))
                answers.setdefault(app, []).append(
                    self.behaviours[app](event["kind"], unit, event, world)
                )
        return answers


def relation_of(world: dict[str, Any], endpoint: str) -> dict[str, Any] | None:
    return next((r for r in world["relations"] if r["endpoint"] == endpoint), None)


def provider(kind: str, unit: int, event: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
    """Answers every request on `db` with its host in the app databag (leader only)."""
    rel = relation_of(world, "db")
    if rel is None or not world["leader"]:
        return answer(world)
    return answer(world, app={rel["id"]: {"host": "db-0"}})


def consumer(kind: str, unit: int, event: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
    """Active once the provider's host arrived; Blocked without the relation."""
    rel = relation_of(world, "db")
    if rel is None or kind == "relation-broken":
        return answer(world, ("blocked", "need db relation"))
    if "host" not in rel["remote_app_data"]:
        return answer(world, ("waiting", "waiting for db data"))
    return answer(world, ("active", ""))


def app(name: str, endpoints: dict[str, tuple[str, str]], units: int = 1) -> AppSpec:
    return AppSpec(
        name,
        f"charm-{name}",
        {ep: EndpointSpec(role, iface) for ep, (role, iface) in endpoints.items()},  # type: ignore[arg-type]
        units=units,
        charm_root=Path("/nonexistent") / name,
    )


def two_apps(units: int = 1) -> Deployment:
    return Deployment(
        {
            "db": app("db", {"db": ("provides", "sql")}, units),
            "web": app("web", {"db": ("requires", "sql")}, units),
        },
        (RelationSpec(("web", "db"), ("db", "db")),),
    )


def statuses(engine: Engine) -> dict[str, str]:
    return {u.name: u.workload_status for a in engine.report() for u in a.units}


def test_a_deployment_settles_with_data_carried_across():
    runner = FakeRunner({"db": provider, "web": consumer})
    engine = Engine(two_apps(), runner)
    engine.deploy()
    assert statuses(engine) == {"db/0": "active", "web/0": "active"}


def test_hooks_run_in_juju_order():
    """Relation hooks in the order of Juju's uniter (worker/uniter/relation/resolver.go).

    The provider's leader wrote its application databag in relation-created: Juju would run
    a relation-changed for it before the join, which ops.testing cannot dispatch without a
    remote unit; the relation-changed that always follows the join shows it instead.
    """
    runner = FakeRunner({"db": provider, "web": consumer})
    Engine(two_apps(), runner).deploy()
    web = [event for unit, event in runner.events if unit == "web/0"]
    kinds = [event["kind"] for event in web]
    assert kinds[:4] == ["install", "leader-elected", "config-changed", "start"]
    assert relation_hooks(web) == [
        ("relation-created", None, None),
        ("relation-joined", None, 0),
        ("relation-changed", None, 0),
    ]
    assert kinds[-1] == "update-status"


def relation_hooks(events: list[dict[str, Any]]) -> list[tuple[str, str | None, int | None]]:
    return [
        (event["kind"], event.get("remote_app"), event.get("remote_unit"))
        for event in events
        if event["kind"].startswith("relation-")
    ]


def provider_after_join(
    kind: str, unit: int, event: dict[str, Any], world: dict[str, Any]
) -> dict[str, Any]:
    """Answers on `db` once it has seen a requirer's unit (relation-changed), leader only."""
    rel = relation_of(world, "db")
    if rel is None or not world["leader"] or kind != "relation-changed":
        return answer(world)
    return answer(world, app={rel["id"]: {"host": "db-0"}})


def test_a_remote_application_databag_change_runs_before_the_pending_joins():
    runner = FakeRunner({"db": provider_after_join, "web": consumer})
    engine = Engine(two_apps(units=2), runner)
    engine.deploy()
    web = [event for unit, event in runner.events if unit == "web/0"]
    assert relation_hooks(web) == [
        ("relation-created", None, None),
        ("relation-joined", None, 0),
        ("relation-changed", None, 0),
        ("relation-changed", "db", None),  # db/0 answered: before db/1's join
        ("relation-joined", None, 1),
        ("relation-changed", None, 1),
    ]
    assert engine.counters.relation_changed_from[("web/0", 0, "db")] == 1
    assert set(statuses(engine).values()) == {"active"}


def test_an_application_databag_change_runs_before_pending_joins_and_folds_repeats():
    unit = Unit("web", 0)
    joined = Event("relation-joined", relation=1, remote_unit=1)
    for event in (
        Event("relation-changed", relation=1, remote_unit=0),  # follows a join that ran
        joined,
        Event("relation-changed", relation=1, remote_unit=1),
        Event("update-status"),
    ):
        unit.enqueue(event)
    app_changed = Event("relation-changed", relation=1, remote_app="db")
    unit.enqueue(app_changed)
    unit.enqueue(app_changed)
    assert list(unit.queue)[:3] == [
        Event("relation-changed", relation=1, remote_unit=0),
        app_changed,
        joined,
    ]
    assert list(unit.queue).count(app_changed) == 1


def test_only_the_leader_starts_with_leader_elected_and_every_pair_of_units_joins():
    runner = FakeRunner({"db": provider, "web": consumer})
    engine = Engine(two_apps(units=2), runner)
    engine.deploy()
    assert ("web/0", "leader-elected") in runner.log
    assert ("web/1", "leader-elected") not in runner.log
    joins = [unit for unit, kind in runner.log if kind == "relation-joined"]
    assert sorted(joins) == sorted(
        ["web/0", "web/0", "web/1", "web/1", "db/0", "db/0", "db/1", "db/1"]
    )
    assert set(statuses(engine).values()) == {"active"}


def test_removing_and_adding_a_relation_blocks_then_recovers():
    engine = Engine(two_apps(), FakeRunner({"db": provider, "web": consumer}))
    engine.deploy()
    relation = engine.find_relation(("web", "db"), ("db", None))
    assert relation is not None
    engine.remove_relation(relation)
    assert statuses(engine)["web/0"] == "blocked"
    engine.add_relation(RelationSpec(("web", "db"), ("db", "db")))
    assert statuses(engine)["web/0"] == "active"


def test_a_hook_that_raises_puts_the_unit_in_error_and_stops_its_hooks():
    def broken(
        kind: str, unit: int, event: dict[str, Any], world: dict[str, Any]
    ) -> dict[str, Any]:
        if kind == "config-changed":
            return {"error": {"hook": kind, "traceback": "Traceback...\nKeyError: 'x'\n"}}
        return consumer(kind, unit, event, world)

    runner = FakeRunner({"db": provider, "web": broken})
    engine = Engine(two_apps(), runner)
    engine.deploy()
    [web] = [a for a in engine.report() if a.name == "web"]
    assert web.units[0].workload_status == "error"
    assert web.units[0].message == 'hook failed: "config-changed"'
    assert "KeyError" in (web.units[0].traceback or "")
    assert [kind for unit, kind in runner.log if unit == "web/0"][-1] == "config-changed"


def test_a_hook_loop_is_reported_with_the_hooks_that_kept_firing():
    counter = iter(range(10**6))

    def chatty(
        kind: str, unit: int, event: dict[str, Any], world: dict[str, Any]
    ) -> dict[str, Any]:
        rel = relation_of(world, "db")
        data = {rel["id"]: {"n": str(next(counter))}} if rel else None
        return answer(world, app=data if world["leader"] else None)

    engine = Engine(two_apps(), FakeRunner({"db": chatty, "web": chatty}), max_rounds=50)
    with pytest.raises(HookLoopError) as caught:
        engine.deploy()
    assert "relation-changed" in str(caught.value)
    assert caught.value.repeating[0][1] > 1


def secret_provider(
    kind: str, unit: int, event: dict[str, Any], world: dict[str, Any]
) -> dict[str, Any]:
    """Shares a password through a secret granted to the relation; `rotate` makes a new one."""
    rel = relation_of(world, "db")
    if rel is None or not world["leader"]:
        return answer(world)
    owned = [s for s in world["secrets"] if s["owner"] == "app"]
    if not owned:
        secret = {"id": "secret:pw", "owner": "app", "content": {"password": "one"}, "label": None,
                  "grants": {str(rel["id"]): ["web"]}}  # fmt: skip
    else:
        content = owned[0]["latest"]
        if kind == "secret-rotate":
            content = {"password": "two"}
        secret = {"id": owned[0]["id"], "owner": "app", "content": content, "label": None,
                  "grants": owned[0]["grants"]}  # fmt: skip
    return answer(world, app={rel["id"]: {"secret": "secret:pw"}}, secrets=[secret])


def secret_consumer(
    kind: str, unit: int, event: dict[str, Any], world: dict[str, Any]
) -> dict[str, Any]:
    """Reads the password at its latest revision on secret-changed (tracks it)."""
    visible = {s["id"]: s for s in world["secrets"]}
    tracked = {}
    for secret_id, secret in visible.items():
        tracked[secret_id] = secret["latest"] if kind == "secret-changed" else secret["tracked"]
    password = next(iter(tracked.values()), {}).get("password", "")
    return answer(world, ("active", password), tracked=tracked)


def test_a_new_secret_revision_reaches_its_consumers_with_secret_changed():
    runner = FakeRunner({"db": secret_provider, "web": secret_consumer})
    engine = Engine(two_apps(units=2), runner)
    engine.deploy()
    assert {u.message for a in engine.report() if a.name == "web" for u in a.units} == {"one"}
    engine.units["db/0"].enqueue(Event("secret-rotate", secret="secret:pw"))
    engine.settle()
    assert {u.message for a in engine.report() if a.name == "web" for u in a.units} == {"two"}
    changed = [unit for unit, kind in runner.log if kind == "secret-changed"]
    assert sorted(changed) == ["web/0", "web/1"]


def test_scaling_adds_units_that_join_and_removes_units_that_depart():
    runner = FakeRunner({"db": provider, "web": consumer})
    engine = Engine(two_apps(), runner)
    engine.deploy()
    engine.scale("db", 3)
    assert sorted(u for u in engine.units if u.startswith("db/")) == ["db/0", "db/1", "db/2"]
    assert ("web/0", "relation-joined") in runner.log
    assert (
        sum(1 for unit, kind in runner.log if unit == "web/0" and kind == "relation-joined") == 3
    )
    engine.scale("db", 1)
    assert sorted(u for u in engine.units if u.startswith("db/")) == ["db/0"]
    assert (
        sum(1 for unit, kind in runner.log if unit == "web/0" and kind == "relation-departed") == 2
    )


def test_removing_the_leader_elects_another():
    runner = FakeRunner({"db": provider, "web": consumer})
    engine = Engine(two_apps(units=2), runner)
    engine.deploy()
    engine.scale("db", 2, leader=1)
    assert engine.units["db/1"].leader and not engine.units["db/0"].leader
    assert ("db/1", "leader-elected") in runner.log


def test_an_external_charm_takes_part_through_its_documented_data():
    deployment = Deployment(
        {
            "db": AppSpec(
                "db",
                "external-db",
                {"db": EndpointSpec("provides", "sql")},
                provided={"db": ProvidedData(app_data={"host": "external"})},
            ),
            "web": app("web", {"db": ("requires", "sql")}),
        },
        (RelationSpec(("web", "db"), ("db", "db")),),
    )
    runner = FakeRunner({"web": consumer})
    engine = Engine(deployment, runner)
    engine.deploy()
    assert statuses(engine)["web/0"] == "active"
    assert all(unit.startswith("web/") for unit, _ in runner.log)


def test_an_external_charm_without_documented_data_leaves_its_partners_waiting():
    deployment = Deployment(
        {
            "db": AppSpec("db", "external-db", {"db": EndpointSpec("provides", "sql")}),
            "web": app("web", {"db": ("requires", "sql")}),
        },
        (RelationSpec(("web", "db"), ("db", "db")),),
    )
    engine = Engine(deployment, FakeRunner({"web": consumer}))
    engine.deploy()
    [db, web] = engine.report()
    assert not db.simulated
    assert web.units[0].workload_status == "waiting"
