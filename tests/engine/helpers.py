"""Shared steps for the engine tests on the small `review` definition."""

from __future__ import annotations

from workflow import Actor
from workflow import CaseSnapshot
from workflow import Engine

from ..conftest import add_users

USERS = {"off": ["officer"], "off2": ["officer"], "rev": ["reviewer"], "both": ["officer", "reviewer"],
         "p1": ["panelist"], "p2": ["panelist"], "p3": ["panelist"], "i1": ["inspector"], "i2": ["inspector"],
         "aud": ["auditor"], "adm": ["admin"]}
SUBMIT = {"panel": ["p1", "p2"], "team": ["i1", "i2"], "notice_date": "2026-11-20"}
DECIDE = {"members_total": 9, "members_present": 6, "votes_for": 5}


def actors(engine: Engine) -> dict[str, Actor]:
    return add_users(engine, USERS)


def new_case(engine: Engine, a: dict[str, Actor]) -> CaseSnapshot:
    return engine.start_case("review", a["off"], title="测试案件", data={"summary": "摘要"})


def to_state(engine: Engine, a: dict[str, Actor], state: str) -> CaseSnapshot:
    """Walk a fresh case to ``state`` along the main path (clock at 2026-11-25)."""
    case = new_case(engine, a)
    steps = [("submit", "off", SUBMIT), ("to_meeting", "off", {}), ("decide", "rev", DECIDE),
             ("score", "p1", {"score": 90}), ("score", "p2", {"score": 70}), ("close_scoring", "off", {})]
    for event, who, data in steps:
        if case.state == state:
            break
        case = engine.fire(case.id, event, a[who], data, case.version).case
    assert case.state == state
    return case
