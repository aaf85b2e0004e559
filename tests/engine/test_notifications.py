"""消息通知: a row for each trigger with its exact recipients, written with the event; reminders
idempotent; nobody who cannot see the case, or is recused, is told."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from workflow import Engine
from workflow import FixedClock
from workflow import NotFound
from workflow.clock import SHANGHAI
from workflow.persistence.tables import notices_t

from .helpers import SUBMIT
from .helpers import actors
from .helpers import new_case
from .helpers import to_state


def rows(engine: Engine, case_id: int | None = None) -> list[tuple[str, str, str]]:
    """(kind, username, text) of every notification, in the order written."""
    stmt = select(notices_t.c.kind, notices_t.c.username, notices_t.c.text).order_by(notices_t.c.id)
    if case_id is not None:
        stmt = stmt.where(notices_t.c.case_id == case_id)
    with engine.db.read() as conn:
        return [tuple(r) for r in conn.execute(stmt)]  # type: ignore[misc]


def recipients(engine: Engine, case_id: int, kind: str) -> list[str]:
    return sorted(u for k, u, _ in rows(engine, case_id) if k == kind)


def test_a_new_case_tells_its_holders_but_not_its_creator(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    assert sorted(case.holders) == ["both", "off", "off2"]
    assert recipients(test_engine, case.id, "todo") == ["both", "off2"]
    text = rows(test_engine, case.id)[0][2]
    assert text == "《测试案件》（测试审查流程）已到“起草”环节，请您办理。"


def test_an_event_tells_only_the_new_holders(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    before = len(rows(test_engine, case.id))
    after = test_engine.fire(case.id, "submit", a["off"], SUBMIT, case.version).case
    new = sorted(set(after.holders) - set(case.holders) - {"off"})
    assert new == ["rev"]  # the officers held 起草 already and hold 已提交 still
    assert [(k, u) for k, u, _ in rows(test_engine, case.id)[before:]] == [("todo", "rev")]


def test_a_return_tells_the_new_holders_and_the_creator_with_the_reason(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "meeting")  # held by rev and both; created by off
    assert sorted(case.holders) == ["both", "rev"]
    before = len(rows(test_engine, case.id))
    test_engine.fire(case.id, "return", a["rev"], {"return_reason": "材料不全，请补充"}, case.version)
    new = rows(test_engine, case.id)[before:]
    assert sorted((k, u) for k, u, _ in new) == [("returned", "off"), ("returned", "off2")]
    assert {t for _, _, t in new} == {"《测试案件》（测试审查流程）被rev退回至“起草”，退回理由：材料不全，请补充"}


def test_an_urge_tells_the_urged_holder(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "meeting")
    before = len(rows(test_engine, case.id))
    test_engine.urge(case.id, "rev", "请尽快审议", a["off"])
    assert rows(test_engine, case.id)[before:] == [
        ("urged", "rev", "off催您办理《测试案件》（测试审查流程）：请尽快审议")]


def test_a_refused_event_writes_no_notification(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    before = rows(test_engine)
    with pytest.raises(Exception, match="评分组"):
        test_engine.fire(case.id, "submit", a["off"], {**SUBMIT, "panel": ["p1"]}, case.version)
    assert rows(test_engine) == before


def test_nobody_who_cannot_see_the_case_is_told(test_engine: Engine) -> None:
    a = actors(test_engine)
    test_engine.orgs.add("east", "东湖区委组织部", None)
    test_engine.users.add("far", ["officer"], "x", name="far", org="east")  # an officer of another organization
    test_engine.users.add("farrev", ["reviewer"], "x", name="farrev", org="east")
    case = new_case(test_engine, a)
    test_engine.fire(case.id, "submit", a["off"], SUBMIT, case.version)
    assert {u for _, u, _ in rows(test_engine)} == {"both", "off2", "rev"}


def test_a_recused_user_is_told_nothing(test_engine: Engine, clock: FixedClock) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    test_engine.add_recusal(case.id, "off2", "近亲属", a["off"])
    case = test_engine.get_case(case.id)
    test_engine.fire(case.id, "submit", a["off"], SUBMIT, case.version)
    clock.set(datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI))
    case = test_engine.get_case(case.id)
    # Back to 起草 (a deadline): the officers get 退回 and then 逾期, off2 neither.
    test_engine.fire(case.id, "return", a["rev"], {"return_reason": "补充"}, case.version)
    clock.set(datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI))
    assert test_engine.run_reminders() > 0
    assert "off2" not in {u for k, u, _ in rows(test_engine, case.id) if k != "todo"}
    assert recipients(test_engine, case.id, "overdue") == ["both", "off"]


def test_reminders_are_idempotent(test_engine: Engine, clock: FixedClock) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)  # 起草: 5 working days from Wed 2026-11-25, due Wed 12-02
    assert case.due_at is not None and case.due_at.astimezone(SHANGHAI).date().isoformat() == "2026-12-02"
    assert test_engine.run_reminders() == 0                 # 12-02 is 5 working days away
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI))  # Fri: 3 working days on is Wed 12-02
    assert test_engine.run_reminders() == 3
    assert test_engine.run_reminders() == 0
    assert recipients(test_engine, case.id, "due_soon") == ["both", "off", "off2"]
    texts = {t for k, _, t in rows(test_engine, case.id) if k == "due_soon"}
    assert texts == {"《测试案件》的办理期限为2026年12月2日，请抓紧办理。"}
    clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI))
    assert test_engine.run_reminders() == 3
    assert test_engine.run_reminders() == 0
    assert recipients(test_engine, case.id, "overdue") == ["both", "off", "off2"]
    overdue = {t for k, _, t in rows(test_engine, case.id) if k == "overdue"}
    assert overdue == {"《测试案件》已超过办理期限，请尽快办理。"}


def test_a_closed_case_gets_no_reminder(test_engine: Engine, clock: FixedClock) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    test_engine.fire(case.id, "withdraw", a["off"], {"reason": "不再办理"}, case.version)
    clock.set(datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI))
    assert test_engine.run_reminders() == 0


def test_inbox_lists_marks_and_refuses_anothers(test_engine: Engine) -> None:
    a = actors(test_engine)
    new_case(test_engine, a)
    new_case(test_engine, a)
    items, unread = test_engine.notifications.list("off2")
    assert unread == 2 and [n.kind for n in items] == ["todo", "todo"] and items[0].id > items[1].id
    with pytest.raises(NotFound):
        test_engine.notifications.mark_read(items[0].id, "both")  # both's own are other rows
    test_engine.notifications.mark_read(items[0].id, "off2")
    test_engine.notifications.mark_read(items[0].id, "off2")  # again: no change
    assert test_engine.notifications.unread("off2") == 1
    assert [n.id for n in test_engine.notifications.list("off2", unread_only=True)[0]] == [items[1].id]
    assert test_engine.notifications.mark_all_read("off2") == 1
    assert test_engine.notifications.unread("off2") == 0 and test_engine.notifications.unread("both") == 2
