"""Holders (当前办理人): who can move a case forward now, state by state of the `review` procedure.

A holder may fire a forward event (撤回/撤销 alone is not holding), has not signed the state's
会签, is not recused and may see the case; the inbox (待办) lists exactly the cases one holds.
"""

from __future__ import annotations

from workflow import CaseQuery
from workflow import Engine

from .helpers import SUBMIT
from .helpers import actors
from .helpers import new_case
from .helpers import to_state


def holders(engine: Engine, case_id: int) -> set[str]:
    return set(engine.get_case(case_id).holders)


def in_todo(engine: Engine, username: str, case_id: int) -> bool:
    actor = engine.users.get(username).actor()
    return case_id in [c.id for c in engine.todo(actor, 1, 200)[0]]


def test_holders_in_each_state(test_engine: Engine) -> None:
    a = actors(test_engine)
    officers = {"off", "off2", "both"}
    expected = {
        "draft": officers,                       # submit (withdraw alone would not be holding)
        "submitted": officers | {"rev"},         # to_meeting; the reviewers' return ("both" may too)
        "meeting": {"rev", "both"},              # decide and return; officers only look on
        "scoring": {"p1", "p2"},                 # the panel named on the case, not p3
        "signing": {"i1", "i2"},                 # the team's 会签
    }
    for state, who in expected.items():
        case = to_state(test_engine, a, state)
        assert holders(test_engine, case.id) == who, state
        for username in a:
            assert in_todo(test_engine, username, case.id) == (username in who), (state, username)


def test_names_and_final_cases(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "meeting")
    snap = test_engine.get_case(case.id, a["off"])
    assert dict(zip(snap.holders, snap.holder_names, strict=True)) == {"both": "both", "rev": "rev"}
    done = test_engine.fire(case.id, "return", a["rev"], {"return_reason": "材料不全"}, case.version).case
    assert done.state == "draft" and set(done.holders) == {"off", "off2", "both"}
    gone = test_engine.fire(done.id, "withdraw", a["off"], {"reason": "不再办理"}, done.version).case
    assert gone.final and gone.holders == ()


def test_scoring_moves_to_the_officers_when_the_panel_has_scored(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "scoring")
    case = test_engine.fire(case.id, "score", a["p1"], {"score": 80}, case.version).case
    assert set(case.holders) == {"p2"}
    case = test_engine.fire(case.id, "score", a["p2"], {"score": 70}, case.version).case
    assert set(case.holders) == {"off", "off2", "both"}  # close_scoring: every member has scored


def test_a_signer_no_longer_holds_and_finds_the_case_done(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "signing")
    assert in_todo(test_engine, "i1", case.id)
    result = test_engine.fire(case.id, "sign", a["i1"], {}, case.version)
    assert result.waiting is not None
    assert set(result.case.holders) == {"i2"}
    assert not in_todo(test_engine, "i1", case.id) and in_todo(test_engine, "i2", case.id)
    done, _ = test_engine.list_cases(CaseQuery(acted_by="i1"), a["i1"])
    assert case.id in [c.id for c in done]  # 已办


def test_recused_users_never_hold(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    test_engine.add_recusal(case.id, "off2", "与考察对象有亲属关系", a["off"])
    assert holders(test_engine, case.id) == {"off", "both"}
    assert not in_todo(test_engine, "off2", case.id)
    case = test_engine.fire(case.id, "submit", a["off"], SUBMIT, test_engine.get_case(case.id).version).case
    test_engine.add_recusal(case.id, "rev", "与考察对象有亲属关系", a["off"])
    assert set(test_engine.get_case(case.id).holders) == {"off", "both"}


def test_inactive_users_do_not_hold(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    test_engine.users.update("off2", active=False)
    assert holders(test_engine, case.id) == {"off", "both"}
