"""`cadreflow demo` data: every procedure in several states, idempotent, verifiable."""

from __future__ import annotations

from collections import defaultdict

from werkzeug.security import check_password_hash

from web.demo import demo_users
from web.demo import load_demo
from web.demo.data import PEOPLE
from workflow import CaseQuery
from workflow import Engine

from .helpers import ROLES
from .helpers import history


def _snapshot(engine: Engine) -> tuple[int, int, int, int]:
    cases, total = engine.list_cases(CaseQuery(per_page=200))
    events = sum(len(engine.history(c.id)) for c in cases)
    return len(engine.users.all()), engine.people.search("", limit=200)[1], total, events


def test_demo_covers_every_procedure_and_is_idempotent(engine: Engine) -> None:
    summary = load_demo(engine)
    assert "demo12345" in summary and "\n" not in summary
    first = _snapshot(engine)
    assert first[:2] == (len(demo_users()), len(PEOPLE))
    again = load_demo(engine)
    assert "本次新增用户0个、干部0人、案件0件" in again
    assert _snapshot(engine) == first
    assert engine.verify().ok

    cases, _ = engine.list_cases(CaseQuery(per_page=200))
    states: dict[str, set[str]] = defaultdict(set)
    for c in cases:
        states[c.definition].add(c.state)
    assert set(states) == {d.key for d in engine.registry.latest()}
    assert all(len(s) >= 2 for s in states.values()), states


def test_demo_users_cover_every_role_with_the_documented_password(engine: Engine) -> None:
    load_demo(engine)
    users = engine.users.all()
    assert {r for u in users for r in u.roles} == set(ROLES)
    assert {"officer1", "reviewer1", "auditor1", "admin1", "recommender1", "panelist1", "inspector1"} <= {
        u.username for u in users}
    assert all(check_password_hash(u.password_hash, "demo12345") for u in users)


def test_demo_has_a_complete_selection_and_a_tolerance_case_through_appeal(engine: Engine) -> None:
    load_demo(engine)
    cases, _ = engine.list_cases(CaseQuery(definition="selection_appointment", state="appointed"))
    assert len(cases) == 1
    events = [h[0] for h in history(engine, cases[0].id)]
    assert events == ["start", "approve_plan", "recommend", "set_candidates", "start_inspection", "to_deliberation",
                      "decide", "publish_notice", "appoint", "confirm"]
    tolerance, _ = engine.list_cases(CaseQuery(definition="error_tolerance_review", state="closed"))
    steps = [h[0] for h in history(engine, tolerance[0].id)]
    assert "appeal" in steps and "review" in steps
    marks = engine.people.marks(tolerance[0].subject_id or 0)
    assert [m.kind for m in marks] == ["influence_period"]


def test_demo_people_carry_the_approval_form_facts(engine: Engine) -> None:
    load_demo(engine)
    people, _ = engine.people.search("", limit=200)
    for p in people:
        profile = p.profile
        assert profile["resume"] and profile["family"] and len(profile["annual_assessments"]) == 3
        assert profile["edu_fulltime_level"] and profile["rewards_punishments"]
