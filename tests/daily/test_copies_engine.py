"""抄送 in the engine: an event copies the case to named users, who may read it but not act on it;
only users the policy allows (need-to-know, not recused); recorded; they are told."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from workflow import Engine
from workflow.errors import CaseNotFound
from workflow.errors import PermissionDenied
from workflow.errors import ValidationFailed

from ..filesamples import PNG
from .helpers import DEFS


@pytest.fixture
def eng(make_engine: Any) -> Engine:
    e: Engine = make_engine(DEFS)
    e.orgs.add("xishan", "西山县委组织部")
    e.orgs.add("dongshan", "东山县委组织部")
    for username, roles, org in [("xo", ["officer"], "xishan"), ("xr1", ["reviewer"], "xishan"),
                                 ("xr2", ["reviewer"], "xishan"), ("i1", ["inspector"], "xishan"),
                                 ("xi", ["inspector"], "xishan"), ("up", ["reviewer"], None),
                                 ("dr", ["reviewer"], "dongshan"), ("adm", ["admin"], None)]:
        e.users.add(username, roles, "x", name=username.upper(), org=org)
    return e


def actor(e: Engine, username: str) -> Any:
    return e.users.get(username).actor()


def started(e: Engine) -> Any:
    return e.start_case("cosign", actor(e, "xo"), title="抄送测试", data={"summary": "摘要"})


def test_copied_users_read_the_case_but_do_not_act(eng: Engine) -> None:
    case = started(eng)
    up, xi = actor(eng, "up"), actor(eng, "xi")
    with pytest.raises(CaseNotFound):
        eng.get_case(case.id, up)
    res = eng.fire(case.id, "submit", actor(eng, "xo"), {"team": ["i1"]}, case.version, cc=["up", "xi"])
    history = eng.history(case.id, up)
    copied = history[-1]
    assert (copied.type, copied.actor, copied.data) == (
        "case_copied", "xo", {"users": ["up", "xi"], "names": ["UP", "XI"], "step": "提交"})
    assert history[-2].event == "submit"
    # Both read it now; neither acts on it (up would otherwise sign 审核同意 as a reviewer).
    assert eng.get_case(case.id, up).id == case.id and eng.get_case(case.id, xi).id == case.id
    assert eng.available_events(case.id, up) == []
    assert "up" not in res.case.holders and "up" not in eng.get_case(case.id).holders
    with pytest.raises(PermissionDenied, match="抄送"):
        eng.fire(case.id, "approve", up, {}, res.case.version)
    with pytest.raises(PermissionDenied, match="抄送"):
        eng.add_attachment(case.id, "a.png", PNG, up)
    assert case.id not in {c.id for c in eng.todo(up)[0]}
    # The 抄送 list and a notification.
    assert [(v.case.id, v.by) for v in eng.copies.copied_to(up)] == [(case.id, "xo")]
    items, unread = eng.notifications.list("up")
    assert unread == 1 and items[0].kind == "copied" and "抄送给您查阅" in items[0].text
    assert eng.verify().ok


@pytest.mark.parametrize(("who", "text"), [
    ("dr", "不在本案件所属组织或其上级组织"),
    ("adm", "不能查阅案件"),
    ("nobody", "用户不存在"),
    ("xo", "不能抄送给自己"),
])
def test_only_users_the_policy_allows_are_copied_and_a_refusal_changes_nothing(
        eng: Engine, who: str, text: str) -> None:
    case = started(eng)
    before = len(eng.history(case.id))
    with pytest.raises(ValidationFailed) as err:
        eng.fire(case.id, "submit", actor(eng, "xo"), {"team": ["i1"]}, case.version, cc=["xi", who])
    assert text in err.value.fields["cc"] and err.value.fields["cc"].startswith("抄送：")
    after = eng.get_case(case.id)
    assert (after.state, after.version, len(eng.history(case.id))) == ("draft", case.version, before)
    assert eng.copies.copied_to(actor(eng, "xi")) == []


def test_a_recused_user_is_not_copied_and_a_copy_ends_with_recusal(eng: Engine) -> None:
    case = started(eng)
    eng.add_recusal(case.id, "xi", "近亲属关系", actor(eng, "xo"))
    with pytest.raises(ValidationFailed) as err:
        eng.fire(case.id, "submit", actor(eng, "xo"), {"team": ["i1"]}, case.version, cc=["xi"])
    assert "已回避本案件" in err.value.fields["cc"]
    case = eng.fire(case.id, "submit", actor(eng, "xo"), {"team": ["i1"]}, case.version, cc=["up"]).case
    eng.add_recusal(case.id, "up", "近亲属关系", actor(eng, "xo"))
    assert eng.copies.copied_to(actor(eng, "up")) == []


def test_bad_cc_shapes(eng: Engine) -> None:
    case = started(eng)
    with pytest.raises(ValidationFailed) as err:
        eng.fire(case.id, "submit", actor(eng, "xo"), {"team": ["i1"]}, case.version, cc=[1, 2])  # type: ignore[list-item]
    assert err.value.fields["cc"] == "抄送：应为用户名列表"


def test_verify_reports_a_copy_added_without_its_event(eng: Engine) -> None:
    case = started(eng)
    eng.fire(case.id, "submit", actor(eng, "xo"), {"team": ["i1"]}, case.version, cc=["xi"])
    assert eng.verify().ok
    with eng.db.engine.begin() as conn:
        conn.execute(text("INSERT INTO case_copies (case_id, username, seq, copied_by, at) "
                          f"VALUES ({case.id}, 'up', 3, 'xo', '2026-11-25 02:00:00')"))
    report = eng.verify()
    assert [p.problem for p in report.problems] == ["抄送“up”未见于历史记录（抄送被添加）"]
    assert eng.get_case(case.id, actor(eng, "up")).id == case.id  # what the check is for
