"""The one transition path: actor checks, field validation, guards, move, history, version."""

from __future__ import annotations

import pytest

from tests.pdfs import tiny_pdf
from workflow import Engine
from workflow import FixedClock
from workflow import GuardFailed
from workflow import PermissionDenied
from workflow import StaleVersion
from workflow import TransitionNotAllowed
from workflow import ValidationFailed
from workflow.errors import CaseNotFound

from .helpers import DECIDE
from .helpers import SUBMIT
from .helpers import actors
from .helpers import new_case
from .helpers import to_state


def unchanged(engine: Engine, case_id: int, version: int, events: int) -> None:
    case = engine.get_case(case_id)
    assert case.version == version
    assert len(engine.history(case_id)) == events


def test_start_records_case_started_with_the_definition_hash(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    assert (case.state, case.version, case.state_label) == ("draft", 1, "起草")
    [ev] = test_engine.history(case.id)
    assert (ev.type, ev.event, ev.from_state, ev.to_state, ev.actor, ev.role) == (
        "case_started", "start", None, "draft", "off", "officer")
    assert ev.data["definition_hash"] == test_engine.registry.get("review").content_hash
    assert ev.prev_hash == "0" * 64 and len(ev.hash) == 64


def test_start_validates_title_and_fields_all_at_once(test_engine: Engine) -> None:
    a = actors(test_engine)
    with pytest.raises(ValidationFailed) as err:
        test_engine.start_case("review", a["off"], title=" ", data={"summary": "x" * 101, "extra": 1})
    assert set(err.value.fields) == {"title", "summary", "extra"}
    assert "不得超过100个字" in err.value.fields["summary"]


@pytest.mark.parametrize("who", ["rev", "aud", "adm", "p1"])
def test_start_is_denied_to_other_roles(test_engine: Engine, who: str) -> None:
    a = actors(test_engine)
    with pytest.raises(PermissionDenied):
        test_engine.start_case("review", a[who], title="t", data={"summary": "s"})


def test_fire_moves_records_and_bumps_version(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    result = test_engine.fire(case.id, "submit", a["off"], SUBMIT, case.version, comment="请审查")
    assert result.completed and result.case.state == "submitted" and result.case.version == 2
    ev = test_engine.history(case.id)[-1]
    assert (ev.seq, ev.type, ev.event, ev.from_state, ev.to_state, ev.comment) == (
        2, "transition_fired", "submit", "draft", "submitted", "请审查")
    assert ev.data == {"panel": ["p1", "p2"], "team": ["i1", "i2"], "notice_date": "2026-11-20"}
    assert ev.prev_hash == test_engine.history(case.id)[0].hash
    assert result.case.data["summary"] == "摘要" and result.case.data["panel"] == ["p1", "p2"]


def test_field_validation_reports_every_field_and_changes_nothing(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    bad = {"panel": ["p1", "nobody", "i1"], "team": "i1", "notice_date": "2026-13-01", "x": 1}
    with pytest.raises(ValidationFailed) as err:
        test_engine.fire(case.id, "submit", a["off"], bad, case.version)
    fields = err.value.fields
    assert set(fields) == {"panel", "notice_date", "x"}
    assert "用户不存在或已停用：nobody" in fields["panel"]
    assert "YYYY-MM-DD" in fields["notice_date"]
    unchanged(test_engine, case.id, 1, 1)


def test_future_date_is_refused_where_it_records_the_past(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    with pytest.raises(ValidationFailed) as err:
        test_engine.fire(case.id, "submit", a["off"], {**SUBMIT, "notice_date": "2026-11-26"}, case.version)
    assert err.value.fields == {"notice_date": "通知日期：不得晚于今天（2026-11-25）"}


def test_user_field_checks_the_role(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    with pytest.raises(ValidationFailed) as err:
        test_engine.fire(case.id, "submit", a["off"], {**SUBMIT, "panel": ["p1", "i1"]}, case.version)
    assert "i1 不具备“面谈组成员”角色" in err.value.fields["panel"]


def test_guard_failure_names_rule_source_and_figure(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    with pytest.raises(GuardFailed) as err:
        test_engine.fire(case.id, "submit", a["off"], {**SUBMIT, "panel": ["p1"]}, case.version)
    assert err.value.failures == ["评分组不少于2人（《测试规则》第一条）：实际1人"]
    unchanged(test_engine, case.id, 1, 1)


def test_quorum_boundary_six_of_nine_passes_five_fails(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "meeting")
    with pytest.raises(GuardFailed) as err:
        test_engine.fire(case.id, "decide", a["rev"], {**DECIDE, "members_present": 5}, case.version)
    assert "实际到会5人，应到9人，不足三分之二" in err.value.message
    with pytest.raises(GuardFailed) as err:
        test_engine.fire(case.id, "decide", a["rev"], {**DECIDE, "votes_for": 4}, case.version)
    assert "同意4票，应到9人，未超过半数" in err.value.message
    assert test_engine.fire(case.id, "decide", a["rev"], DECIDE, case.version).case.state == "scoring"


def test_working_day_guard_counts_across_a_holiday(test_engine: Engine, clock: FixedClock) -> None:
    """2 working days after 2026-09-30 end on 2026-10-09 (National Day holiday 10-01..10-07)."""
    from datetime import UTC
    from datetime import datetime

    clock.set(datetime(2026, 9, 30, 2, 0, tzinfo=UTC))
    a = actors(test_engine)
    case = new_case(test_engine, a)
    case = test_engine.fire(case.id, "submit", a["off"], {**SUBMIT, "notice_date": "2026-09-30"}, case.version).case
    clock.set(datetime(2026, 10, 8, 2, 0, tzinfo=UTC))
    with pytest.raises(GuardFailed) as err:
        test_engine.fire(case.id, "to_meeting", a["off"], {}, case.version)
    assert "2026-09-30后满2个工作日为2026-10-09，今天是2026-10-08" in err.value.message
    clock.set(datetime(2026, 10, 9, 2, 0, tzinfo=UTC))
    assert test_engine.fire(case.id, "to_meeting", a["off"], {}, case.version).case.state == "meeting"


def test_event_not_allowed_from_this_state(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    with pytest.raises(TransitionNotAllowed, match="当前状态“起草”下不能执行“会议决定”"):
        test_engine.fire(case.id, "decide", a["rev"], DECIDE, case.version)
    with pytest.raises(TransitionNotAllowed, match="没有“to_approved”这一事件"):
        test_engine.fire(case.id, "to_approved", a["off"], {}, case.version)


def test_no_to_state_back_door() -> None:
    from workflow.definition.machine import CaseMachine
    from workflow.loading import load

    from ..conftest import TEST_DEFINITIONS

    m = CaseMachine(load(TEST_DEFINITIONS)[0].get("review"))
    assert not any(t.trigger.startswith("to_") and t.trigger != "to_meeting" for t in m.moves_from("draft"))
    assert not any(name.startswith("to_") and name != "to_meeting" for name in m.machine.events)
    with pytest.raises(TransitionNotAllowed):
        m.move("draft", "to_approved")
    assert m.move("draft", "submit").dest == "submitted"


def test_stale_version_is_a_conflict_and_changes_nothing(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    test_engine.fire(case.id, "submit", a["off"], SUBMIT, case.version)
    with pytest.raises(StaleVersion, match="该案件已被他人处理，请刷新后重试"):
        test_engine.fire(case.id, "withdraw", a["off"], {"reason": "重复"}, case.version)
    unchanged(test_engine, case.id, 2, 2)


def test_unknown_case(test_engine: Engine) -> None:
    a = actors(test_engine)
    with pytest.raises(CaseNotFound):
        test_engine.fire(999, "submit", a["off"], {}, 1)


@pytest.mark.parametrize(("who", "refusal"), [("rev", PermissionDenied), ("aud", PermissionDenied),
                                               ("p1", CaseNotFound), ("i1", CaseNotFound), ("adm", CaseNotFound)])
def test_role_is_checked(test_engine: Engine, who: str, refusal: type[Exception]) -> None:
    """Those who see the case but lack the role are refused (403); those who may not see it at all
    (a panelist or inspector the case does not name, an administrator) find no case (404)."""
    a = actors(test_engine)
    case = new_case(test_engine, a)
    with pytest.raises(refusal):
        test_engine.fire(case.id, "submit", a[who], SUBMIT, case.version)
    unchanged(test_engine, case.id, 1, 1)


def test_auditor_is_read_only_and_sees_no_events(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    with pytest.raises(PermissionDenied, match="只读"):
        test_engine.fire(case.id, "submit", a["aud"], SUBMIT, case.version)
    assert test_engine.get_case(case.id, a["aud"]).available_events == ()


def test_recused_user_loses_every_action_at_once(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    assert "submit" in test_engine.available_events(case.id, a["off"])
    test_engine.add_recusal(case.id, "off", "与对象系夫妻关系", a["off2"])
    with pytest.raises(CaseNotFound):  # recusal removes reading too
        test_engine.available_events(case.id, a["off"])
    with pytest.raises(CaseNotFound):
        test_engine.fire(case.id, "submit", a["off"], SUBMIT, test_engine.get_case(case.id).version)
    assert test_engine.history(case.id)[-1].type == "recusal_recorded"


def test_recused_user_cannot_be_put_on_a_panel(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    test_engine.add_recusal(case.id, "p2", "系对象的表兄", a["off"])
    with pytest.raises(PermissionDenied, match="p2 已回避本案件"):
        test_engine.fire(case.id, "submit", a["off"], SUBMIT, test_engine.get_case(case.id).version)


def test_separation_of_duties_even_with_both_roles(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    case = test_engine.fire(case.id, "submit", a["both"], SUBMIT, case.version).case
    case = test_engine.fire(case.id, "to_meeting", a["off"], {}, case.version).case
    with pytest.raises(PermissionDenied, match="职责分离"):
        test_engine.fire(case.id, "decide", a["both"], DECIDE, case.version)
    assert test_engine.fire(case.id, "decide", a["rev"], DECIDE, case.version).case.state == "scoring"


def test_named_actors_and_once_per_actor(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "scoring")
    with pytest.raises(CaseNotFound):  # a panelist off the panel does not see the interview at all
        test_engine.fire(case.id, "score", a["p3"], {"score": 80}, case.version)
    test_engine.users.update("off2", roles=["officer", "panelist"])
    with pytest.raises(PermissionDenied, match="只有本案件“评分组”所列人员"):  # sees it, is not named
        test_engine.fire(case.id, "score", test_engine.users.get("off2").actor(), {"score": 80}, case.version)
    case = test_engine.fire(case.id, "score", a["p1"], {"score": 80}, case.version).case
    with pytest.raises(PermissionDenied, match="每人只能办理一次"):
        test_engine.fire(case.id, "score", a["p1"], {"score": 81}, case.version)


def test_sealed_scores_are_hidden_from_other_panelists(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "scoring")
    test_engine.fire(case.id, "score", a["p1"], {"score": 91}, case.version)
    assert [e["score"] for e in test_engine.get_case(case.id, a["p1"]).data["scores"]] == [91]
    assert test_engine.get_case(case.id, a["p2"]).data["scores"] == []
    assert test_engine.get_case(case.id, a["p2"]).data["scores_count"] == 1
    assert [e["score"] for e in test_engine.get_case(case.id, a["aud"]).data["scores"]] == [91]
    other = test_engine.history(case.id, a["p2"])[-1]
    assert other.sealed and other.data == {}
    assert test_engine.history(case.id, a["p1"])[-1].data == {"score": 91}


def test_multi_approval_waits_for_every_member(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "signing")
    first = test_engine.fire(case.id, "sign", a["i1"], {}, case.version)
    assert first.waiting is not None and (first.waiting.required, first.waiting.given) == (2, 1)
    assert first.waiting.awaited == ("i2",) and first.case.state == "signing"
    with pytest.raises(PermissionDenied, match="每人只能签署一次"):
        test_engine.fire(case.id, "sign", a["i1"], {}, first.case.version)
    last = test_engine.fire(case.id, "sign", a["i2"], {}, first.case.version)
    assert last.completed and last.case.state == "approved" and last.case.final
    types = [(e.type, e.from_state, e.to_state) for e in test_engine.history(case.id)[-2:]]
    assert types == [("approval_recorded", "signing", "signing"), ("approval_recorded", "signing", "approved")]


def test_return_and_withdraw_are_events_like_any_other(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = to_state(test_engine, a, "meeting")
    case = test_engine.fire(case.id, "return", a["rev"], {"return_reason": "材料不全"}, case.version).case
    assert case.state == "draft"
    case = test_engine.fire(case.id, "withdraw", a["off"], {"reason": "不再办理"}, case.version).case
    assert case.state == "withdrawn" and case.final and case.available_events == ()
    with pytest.raises(TransitionNotAllowed):
        test_engine.fire(case.id, "submit", a["off"], SUBMIT, case.version)


def test_available_events_use_the_same_checks(test_engine: Engine) -> None:
    a = actors(test_engine)
    submit = {**SUBMIT, "notice_date": "2026-11-24"}  # 2 working days after it: 2026-11-26
    case = test_engine.fire(new_case(test_engine, a).id, "submit", a["off"], submit, 1).case
    allowed, blocked = test_engine.actions(case.id, a["off"])
    assert [x.event for x in allowed] == ["withdraw"]
    assert blocked and blocked[0][0] == "to_meeting" and "通知后满2个工作日" in blocked[0][1]
    assert test_engine.available_events(case.id, a["rev"]) == ["return"]
    assert test_engine.get_case(case.id).version == 2  # asking changed nothing


def test_deadline_in_working_days_and_overdue(test_engine: Engine, clock: FixedClock) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    assert case.due_at is not None
    assert case.due_at.isoformat() == "2026-12-02T15:59:59+00:00"  # 5 working days after Wed 11-25
    assert not case.overdue
    clock.advance(days=8)
    assert test_engine.get_case(case.id).overdue


def test_attachment_content_addressed_and_in_history(test_engine: Engine) -> None:
    a = actors(test_engine)
    case = new_case(test_engine, a)
    pdf = tiny_pdf("fire")
    view = test_engine.add_attachment(case.id, "../材料.pdf", pdf, a["off"])
    assert view.filename == "材料.pdf" and view.content_type == "application/pdf"
    stored, content = test_engine.attachment(case.id, view.id)
    assert content == pdf and stored.sha256 == view.sha256
    with pytest.raises(ValidationFailed):
        test_engine.add_attachment(case.id, "x.pdf", b"MZ\x90\x00 not a pdf", a["off"])
    assert test_engine.history(case.id)[-1].data["sha256"] == view.sha256
    assert test_engine.verify().ok


@pytest.mark.parametrize("who", ["aud", "p1", "i1"])
def test_people_are_recorded_only_by_business_roles_that_need_to(test_engine: Engine, who: str) -> None:
    a = actors(test_engine)
    with pytest.raises(PermissionDenied):
        test_engine.people.create({"name": "某人", "gender": "男", "birth_date": "1980-01-01"}, a[who])
    person = test_engine.people.create({"name": "某人", "gender": "男", "birth_date": "1980-01-01"}, a["off"])
    with pytest.raises(PermissionDenied):
        test_engine.people.add_mark(person.id, "influence_period", "诫勉", None, None, "", a[who])
