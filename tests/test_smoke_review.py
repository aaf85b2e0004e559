"""A first walk through the test definition (the full engine suite lives in tests/engine/)."""

from workflow import Engine
from workflow import FixedClock

from .conftest import add_users


def test_review_walk(test_engine: Engine, clock: FixedClock) -> None:
    a = add_users(test_engine, {"off": ["officer"], "rev": ["reviewer"], "p1": ["panelist"], "p2": ["panelist"],
                                "i1": ["inspector"]})
    case = test_engine.start_case("review", a["off"], title="测试", data={"summary": "s"})
    assert case.state == "draft"
    assert set(case.available_events) == {"submit", "withdraw"}
    r = test_engine.fire(case.id, "submit", a["off"], {"panel": ["p1", "p2"], "team": ["i1"],
                                                       "notice_date": "2026-11-20"}, case.version)
    assert r.case.state == "submitted"
    assert test_engine.verify().ok


def test_todo_lists_cases_the_actor_may_act_on(test_engine: Engine) -> None:
    a = add_users(test_engine, {"off": ["officer"], "rev": ["reviewer"]})
    case = test_engine.start_case("review", a["off"], title="待办测试", data={"summary": "s"})
    items, total = test_engine.todo(a["off"])
    assert [c.id for c in items] == [case.id] and total == 1
    assert test_engine.todo(a["rev"]) == ([], 0)
