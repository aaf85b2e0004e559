"""`cadreflow demo` data: every procedure in several states, idempotent, verifiable."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from werkzeug.security import check_password_hash

from web.demo import demo_users
from web.demo import load_demo
from web.demo.data import PEOPLE
from web.demo.orgs import PEOPLE as DISTRICT_PEOPLE
from workflow import CaseQuery
from workflow import Engine

from ..web.helpers import login
from ..web.helpers import make_app
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
    assert first[:2] == (len(demo_users()), len(PEOPLE) + len(DISTRICT_PEOPLE))
    again = load_demo(engine)
    assert "本次新增组织0个、用户0个、干部0人、案件0件" in again
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
    paths = sorted([h[0] for h in history(engine, c.id)][-3:] for c in cases)
    head = ["start", "approve_plan", "recommend", "recommend", "set_candidates", "start_inspection",
            "to_deliberation", "consult", "decide"]
    # 提拔 with 试用期, and a 平级交流 appointed straight after the decision (no 公示, no 试用期)
    assert paths == [["consult", "decide", "appoint"], ["publish_notice", "appoint", "confirm"]]
    assert all([h[0] for h in history(engine, c.id)][:9] == head for c in cases)
    elected, _ = engine.list_cases(CaseQuery(definition="selection_appointment", state="elected"))
    assert [h[0] for h in history(engine, elected[0].id)][-2:] == ["nominate", "elect"]
    kinds = {c.data["post_kind"] for c in engine.list_cases(CaseQuery(definition="selection_appointment"))[0]}
    assert kinds == {"appoint", "elect", "npc_appoint"}
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


def test_demo_has_three_organizations_that_see_only_their_own(engine: Engine) -> None:
    """分级管理: the city with a district and a county under it; each department's users see their own
    cadres and cases, the city's auditor reads all three, the district never sees the county."""
    load_demo(engine)
    assert [(o.code, o.name) for o in engine.orgs.all()] == [
        ("root", "中共江州市委组织部"), ("donghu", "中共东湖区委组织部"), ("xishan", "中共西山县委组织部")]

    def seen(username: str) -> tuple[set[str], set[str]]:
        viewer = engine.users.get(username).actor()
        cases, _ = engine.list_cases(CaseQuery(per_page=200), viewer)
        people, _ = engine.people.search("", limit=200, viewer=viewer)
        return {c.title for c in cases}, {p.name for p in people}

    dh_cases, dh_people = seen("dh_officer1")
    xs_cases, xs_people = seen("xs_officer1")
    city_cases, city_people = seen("officer1")
    all_cases, all_people = seen("auditor1")
    assert dh_people == {"邹海峰", "苏婉清"} and xs_people == {"龙建军", "田雨萱"}
    assert dh_cases == {"邹海峰同志2026年度日常考察", "苏婉清同志2026年度日常考察"}
    assert len(xs_cases) == 2 and not dh_cases & xs_cases and not city_cases & (dh_cases | xs_cases)
    assert all_cases == city_cases | dh_cases | xs_cases and all_people == city_people | dh_people | xs_people
    assert seen("dh_auditor1") == (dh_cases, dh_people)


def test_demo_shows_a_kinship_recusal_and_a_posting_hint(engine: Engine) -> None:
    """亲属回避 (任用条例第五十三条): 马骏's 外甥 inspector3 is recused on each of his cases from its start;
    his selection to 江州市水利局 carries the 任职回避提示 (his brother leads there)."""
    load_demo(engine)
    cases, _ = engine.list_cases(CaseQuery(text="马骏同志", per_page=50))
    assert len(cases) >= 2
    for case in cases:
        assert [(r.username, r.reason) for r in engine.recusals(case.id)] == [("inspector3", "亲属回避（外甥）")]
    officer = engine.users.get("officer1").actor()
    selection = next(c for c in cases if c.definition == "selection_appointment")
    warnings = engine.get_case(selection.id, officer).warnings
    assert len(warnings) == 1 and "江州市水利局党组成员、总工程师" in warnings[0]
    assert engine.verify().ok


def test_demo_has_a_multi_candidate_selection_waiting_for_the_decision(engine: Engine) -> None:
    """差额考察: 赵丽 and 孙静, one 任前考察 each (孙静 暂缓任用); 讨论决定 can choose 赵丽 only."""
    load_demo(engine)
    cases, _ = engine.list_cases(CaseQuery(definition="selection_appointment", text="差额考察"))
    (case,) = cases
    assert case.state == "deliberation" and case.data["candidate_mode"] == "差额考察"
    inspections = [engine.get_case(i) for i in case.data["inspection_case_ids"]]
    names = [engine.people.get(c.subject_id or 0).name for c in inspections]
    assert names == ["赵丽", "孙静"] and [c.data["conclusion"] for c in inspections] == ["fit", "postpone"]
    assert "decide" in engine.get_case(case.id, engine.users.get("reviewer3").actor()).available_events


def test_the_decision_form_offers_the_inspected_candidates_only(engine: Engine, tmp_path: Path) -> None:
    """The 表决人选 select lists the 考察对象 (赵丽, 孙静), not every cadre the reviewer may read."""
    load_demo(engine)
    cases, _ = engine.list_cases(CaseQuery(definition="selection_appointment", text="差额考察"))
    client = make_app(engine, tmp_path).test_client()
    assert login(client, "reviewer3", "demo12345").status_code == 303
    page = client.get(f"/cases/{cases[0].id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="decide-chosen_id"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))
    assert labels[0] == "请选择" and [x.split("（")[0] for x in labels[1:]] == ["赵丽", "孙静"]
