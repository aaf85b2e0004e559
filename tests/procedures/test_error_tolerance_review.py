"""容错纠错: application window, negative list, collective determination, appeal (procedures.md §7)."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

import pytest

from workflow import Actor
from workflow import CaseQuery
from workflow import Engine
from workflow import FixedClock
from workflow import ValidationFailed

from .helpers import Walk
from .helpers import history
from .helpers import person
from .helpers import staff

APPLY = {"applicant": "本人", "applicant_name": "张伟", "accountability_notice_date": "2026-09-30",
         "application_date": "2026-10-13",
         "application_reason": "项目审批中为抢抓政策窗口期先行先试，程序上存在瑕疵，未谋取私利。"}
FACTORS = {"factor_motive": "出于推动项目落地的公心", "factor_conditions": "政策窗口期短，上级无明确限制",
           "factor_procedure": "经局党组会集体研究", "factor_nature": "程序瑕疵，情节轻微",
           "factor_consequence": "未造成损失", "factor_recovery": "已补办手续",
           "three_distinctions": "属于缺乏经验、先行先试中出现的失误，不是明知故犯。", "statement": "本人如实说明情况"}
# The negative list of version 3 with the words each refusal names (激励意见 三个区分开来; local 负面清单).
FLAGS = {"political_discipline": "违反政治纪律和政治规矩", "eight_point_rules": "违反中央八项规定精神",
         "self_interest": "谋取私利或利益输送", "intentional": "明知故犯（主观故意）",
         "defied_prohibition": "违反上级明令禁止或法律法规禁止性规定", "arbitrary_decision": "个人专断（未经集体决策）",
         "falsification": "弄虚作假、隐瞒事实", "major_loss": "失职失责造成重大损失或恶劣影响",
         "repeat_offence": "纠错后重犯或拒不纠正", "misconduct": "不作为、乱作为"}
ORIGINAL = {"original_kind": "政务记过", "original_decided_on": "2026-09-28", "original_decided_by": "区监委"}
DETERMINE = {"outcome": "免责", "decision_body": "区委常委会", "decision_meeting_date": "2026-11-02",
             "members_total": 9, "members_present": 8, "votes_for": 7, "determination_reason": "符合容错情形"}


def opened(engine: Engine) -> tuple[Walk, dict[str, Actor]]:
    a = staff(engine)
    case = engine.start_case("error_tolerance_review", a["off"], title="张伟同志容错纠错",
                             subject_id=person(engine, a["off"], "张伟"),
                             data={"accountability_matter": "某产业园项目审批程序不规范问题"})
    return Walk(engine, case), a


def investigated(engine: Engine, flags: tuple[str, ...] = ()) -> tuple[Walk, dict[str, Actor]]:
    walk, a = opened(engine)
    walk.fire("apply", a["off"], APPLY)
    walk.fire("accept", a["rev"], {"accepted_on": "2026-10-14"})
    walk.fire("investigate", a["off"], {**FACTORS, **{f: True for f in flags}})
    return walk, a


def test_main_path_through_appeal_to_closed_with_exact_history(engine: Engine) -> None:
    walk, a = investigated(engine)
    walk.fire("determine", a["rev"], {**DETERMINE, "outcome": "从轻", "influence_start": "2026-11-02",
                                      "influence_end": "2027-05-01", "measure_kind": "诫勉"})
    walk.fire("notify", a["off"], {"notified_on": "2026-11-05", "notify_method": "当面送达",
                                   "notified_persons": "张伟"})
    walk.fire("appeal", a["off"], {"appeal_date": "2026-11-10", "appeal_reason": "本人认为应予免责"})
    review = {k: v for k, v in DETERMINE.items() if k != "determination_reason"}
    walk.fire("review", a["rev2"], {**review, "review_conclusion": "变更认定", "review_date": "2026-11-20",
                                    "review_reason": "经复核，符合免责情形", "decision_meeting_date": "2026-11-20"})
    walk.fire("notify", a["off"], {"notified_on": "2026-11-21", "notify_method": "当面送达",
                                   "notified_persons": "张伟"})
    walk.fire("correct", a["off"], {"rectification_plan": "补办审批手续，修订审批流程",
                                    "rectification_deadline": "2026-12-31",
                                    "followup_arrangement": "一个月后回访"})
    walk.fire("follow_up", a["off"], {"followup_date": "2026-11-25",
                                      "followup_content": "已补办全部手续，流程已修订。"})
    walk.fire("close", a["off"], {"close_summary": "整改到位"})
    case = walk.case()
    assert case.state == "closed" and case.data["outcome"] == "免责"
    # 免责 (after review) writes no negative mark on the person, nor a sanction
    assert engine.people.marks(case.subject_id or 0) == []
    assert engine.people.sanctions(case.subject_id or 0) == []
    assert history(engine, walk.case_id) == [
        ("start", None, "draft", "off"),
        ("apply", "draft", "applied", "off"),
        ("accept", "applied", "accepted", "rev"),
        ("investigate", "accepted", "investigating", "off"),
        ("determine", "investigating", "determined", "rev"),
        ("notify", "determined", "notified", "off"),
        ("appeal", "notified", "appealed", "off"),
        ("review", "appealed", "determined", "rev2"),
        ("notify", "determined", "notified", "off"),
        ("correct", "notified", "correcting", "off"),
        ("follow_up", "correcting", "correcting", "off"),
        ("close", "correcting", "closed", "off"),
    ]


@pytest.mark.parametrize(("applied_on", "ok"), [("2026-10-13", True), ("2026-10-14", False)])
def test_application_within_five_working_days_across_national_day(engine: Engine, applied_on: str,
                                                                  ok: bool) -> None:
    """容错申请须在被告知后5个工作日内提出（《关于进一步激励广大干部新时代新担当新作为的意见》；时限为地方通行做法）.

    Told on 2026-09-30; the holiday runs 10-01..07, 10-10 (Saturday) is a working day: the 5th working
    day after is 10-13, so 10-13 passes and 10-14 is refused.
    """
    walk, a = opened(engine)
    data = {**APPLY, "application_date": applied_on}
    if ok:
        assert walk.fire("apply", a["off"], data).case.state == "applied"
    else:
        message = walk.refused("apply", a["off"], data)
        assert "5个工作日内提出" in message and "已过6个工作日" in message


@pytest.mark.parametrize(("present", "votes", "figure"), [
    (6, 5, None), (5, 5, "实际到会5人，应到9人，不足三分之二"), (6, 4, "同意4票，应到9人，未超过半数"),
])
def test_collective_determination_quorum(engine: Engine, present: int, votes: int, figure: str | None) -> None:
    """Collective determination: present ≥ 2/3 and votes for > 1/2 of members (激励意见; 参照任用条例第四十七条)."""
    walk, a = investigated(engine)
    data = {**DETERMINE, "members_present": present, "votes_for": votes}
    if figure is None:
        assert walk.fire("determine", a["rev"], data).case.state == "determined"
    else:
        assert figure in walk.refused("determine", a["rev"], data)


@pytest.mark.parametrize("flag", FLAGS)
def test_negative_list_leaves_only_no_tolerance(engine: Engine, flag: str) -> None:
    """Any negative-list flag true (each of the ten, named in the refusal): 免责/从轻/减轻 refused, 不予容错 passes.

    《关于进一步激励广大干部新时代新担当新作为的意见》三个区分开来；《中国共产党问责条例》第十七条；
    地方容错纠错实施办法负面清单通行做法 (政治纪律和政治规矩, 中央八项规定精神, ...).
    """
    walk, a = investigated(engine, flags=(flag,))
    for outcome in ("免责", "从轻", "减轻"):
        extra: dict[str, Any] = {"influence_start": "2026-11-02", "influence_end": "2027-11-01", "measure_kind": "诫勉"}
        message = walk.refused("determine", a["rev"], {**DETERMINE, "outcome": outcome, **extra})
        assert f"负面清单情形（{FLAGS[flag]}），不能认定为“{outcome}”" in message
        assert "《中国共产党问责条例》第十七条" in message
    assert walk.fire("determine", a["rev"], {**DETERMINE, "outcome": "不予容错", **ORIGINAL}).case.state == "determined"


def test_no_flag_allows_exemption(engine: Engine) -> None:
    walk, a = investigated(engine)
    assert walk.fire("determine", a["rev"], DETERMINE).case.state == "determined"


def test_lighter_outcomes_need_an_influence_period(engine: Engine) -> None:
    walk, a = investigated(engine)
    with pytest.raises(ValidationFailed) as info:
        engine.fire(walk.case_id, "determine", a["rev"], {**DETERMINE, "outcome": "减轻"}, walk.case().version)
    assert set(info.value.fields) == {"influence_start", "influence_end", "measure_kind"}
    message = walk.refused("determine", a["rev"], {**DETERMINE, "outcome": "减轻", "influence_start": "2026-11-02",
                                                   "influence_end": "2026-11-01", "measure_kind": "诫勉"})
    assert "早于起始日期" in message


def notified(engine: Engine, outcome: str = "免责", on: str = "2026-11-05") -> tuple[Walk, dict[str, Actor]]:
    walk, a = investigated(engine)
    extra = {"influence_start": "2026-11-02", "influence_end": "2027-11-01", "measure_kind": "诫勉"} \
        if outcome in ("从轻", "减轻") else ORIGINAL if outcome == "不予容错" else {}
    walk.fire("determine", a["rev"], {**DETERMINE, "outcome": outcome, **extra})
    walk.fire("notify", a["off"], {"notified_on": on, "notify_method": "邮寄送达", "notified_persons": "张伟"})
    return walk, a


APPEAL_SOURCE = "参照《中国共产党问责条例》（2019年修订）申诉期限"


@pytest.mark.parametrize(("notified_on", "appeal_on", "ok"), [
    ("2026-11-05", "2026-12-05", True), ("2026-11-05", "2026-12-06", False),
    ("2027-01-31", "2027-02-28", True), ("2027-01-31", "2027-03-01", False),
])
def test_appeal_within_one_month(engine: Engine, clock: FixedClock, notified_on: str, appeal_on: str,
                                 ok: bool) -> None:
    """申诉须在收到告知之日起1个月内提出（calendar months: the corresponding day of the next month is the
    last day, the month's last day when it has none）: 11-05 -> 12-05 passes, 12-06 refused; 01-31 -> 02-28
    passes, 03-01 refused. 地方容错纠错实施办法通行做法，参照《中国共产党问责条例》（2019年修订）申诉期限
    (domain-reference §4.2: 1 month, tagged [U]); version 2 allowed 15 days (问责暂行规定2009)."""
    clock.set(datetime(2027, 3, 10, 2, 0, tzinfo=UTC))
    walk, a = notified(engine, on=notified_on)
    data = {"appeal_date": appeal_on, "appeal_reason": "不服认定"}
    if ok:
        assert walk.fire("appeal", a["off"], data).case.state == "appealed"
    else:
        message = walk.refused("appeal", a["off"], data)
        last = "2026-12-05" if notified_on == "2026-11-05" else "2027-02-28"
        assert f"{notified_on}起1个月至{last}止，实际为{appeal_on}，已超过" in message
        assert "1个月内提出" in message and APPEAL_SOURCE in message


@pytest.mark.parametrize(("entered", "last_on_time", "first_overdue"), [
    (datetime(2026, 11, 25, 2, 0, tzinfo=UTC), datetime(2026, 12, 25, 15, 0, tzinfo=UTC),
     datetime(2026, 12, 25, 16, 30, tzinfo=UTC)),
    (datetime(2027, 1, 31, 2, 0, tzinfo=UTC), datetime(2027, 2, 28, 15, 0, tzinfo=UTC),
     datetime(2027, 2, 28, 16, 30, tzinfo=UTC)),
])
def test_review_overdue_after_one_month(engine: Engine, clock: FixedClock, entered: datetime,
                                        last_on_time: datetime, first_overdue: datetime) -> None:
    """复核 within 1 month of the appeal (state deadline {months: 1}; 地方容错纠错实施办法通行做法，参照
    《中国共产党问责条例》（2019年修订）申诉处理期限): appealed 11-25, on time until 12-25 23:00 Beijing, overdue
    12-26 00:30; appealed 01-31, on time 02-28 23:00, overdue 03-01 00:30 (30 days would have run to 03-02)."""
    clock.set(entered)
    walk, a = notified(engine, on=entered.date().isoformat())
    walk.fire("appeal", a["off"], {"appeal_date": entered.date().isoformat(), "appeal_reason": "不服认定"})
    clock.set(last_on_time)
    assert not engine.get_case(walk.case_id).overdue
    clock.set(first_overdue)
    assert engine.get_case(walk.case_id).overdue
    items, total = engine.list_cases(CaseQuery(definition="error_tolerance_review", overdue=True))
    assert [c.id for c in items] == [walk.case_id] and total == 1


@pytest.mark.parametrize("outcome", ["从轻", "减轻"])
def test_lighter_outcome_writes_the_influence_period(engine: Engine, outcome: str) -> None:
    """从轻/减轻 keep their 影响期 on the person; 免责 writes nothing（domain-reference §11 rule 10）."""
    walk, a = notified(engine, outcome)
    walk.fire("correct", a["off"], {"rectification_plan": "整改", "rectification_deadline": "2026-12-31",
                                    "followup_arrangement": "回访"})
    marks = engine.people.marks(walk.case().subject_id or 0)
    assert [(m.kind, m.starts_on, m.ends_on) for m in marks] == [
        ("influence_period", date(2026, 11, 2), date(2027, 11, 1))]
    assert outcome in marks[0].label


def test_close_needs_a_follow_up(engine: Engine) -> None:
    """办结前须有跟踪回访记录（地方容错纠错实施办法通行做法）: 0 refused, 1 passes."""
    walk, a = notified(engine)
    walk.fire("correct", a["off"], {"rectification_plan": "整改", "rectification_deadline": "2026-12-31",
                                    "followup_arrangement": "回访"})
    assert "现有0条" in walk.refused("close", a["off"], {"close_summary": "整改到位"})
    walk.fire("follow_up", a["off"], {"followup_date": "2026-11-25", "followup_content": "整改措施已落实到位。"})
    assert walk.fire("close", a["off"], {"close_summary": "整改到位"}).case.state == "closed"


def test_refuse_and_withdraw_end_the_case(engine: Engine) -> None:
    walk, a = opened(engine)
    walk.fire("apply", a["off"], APPLY)
    walk.fire("refuse", a["rev"], {"refuse_reason": "不属于容错纠错适用范围"})
    assert walk.state() == "refused"
    walk2, a = opened(engine)
    walk2.fire("withdraw", a["off"], {"withdraw_reason": "本人撤回申请"})
    assert walk2.state() == "withdrawn"


@pytest.mark.parametrize(("outcome", "written"), [
    ("免责", []),
    ("从轻", [("诫勉", date(2026, 11, 2), "区委常委会", date(2027, 5, 2))]),
    ("减轻", [("诫勉", date(2026, 11, 2), "区委常委会", date(2027, 5, 2))]),
    ("不予容错", [("政务记过", date(2026, 9, 28), "区监委", date(2027, 9, 28))]),
])
def test_the_final_determination_writes_the_sanctions_register(engine: Engine, outcome: str,
                                                               written: list[tuple[str, date, str, date]]) -> None:
    """procedures.md Extensions §error_tolerance_review: at 纠错整改 the determination, final after any
    appeal, is registered: 从轻/减轻 the measure with its 影响期 (诫勉 6 months), 不予容错 the original
    accountability decision (政务记过 12 months), 免责 nothing; it shows on the person's record."""
    walk, a = notified(engine, outcome)
    subject = walk.case().subject_id or 0
    assert engine.people.sanctions(subject) == []  # nothing before the determination is final
    walk.fire("correct", a["off"], {"rectification_plan": "整改", "rectification_deadline": "2026-12-31",
                                    "followup_arrangement": "回访"})
    got = [(s.kind, s.decided_on, s.decided_by, s.effect_until) for s in engine.people.sanctions(subject)]
    assert got == written
    for s in engine.people.sanctions(subject):
        assert f"案件#{walk.case_id}" in s.reason and outcome in s.reason


def test_a_measure_outside_the_register_is_refused_at_determination(engine: Engine) -> None:
    walk, a = investigated(engine)
    message = walk.refused("determine", a["rev"], {**DETERMINE, "outcome": "从轻", "influence_start": "2026-11-02",
                                                   "influence_end": "2027-05-01", "measure_kind": "罚站"})
    assert "处理措施种类“罚站”不是处分、问责登记中的种类" in message and "诫勉" in message
    assert walk.state() == "investigating"


def test_a_review_that_changes_the_outcome_registers_only_the_final_determination(engine: Engine) -> None:
    """procedures.md Extensions §error_tolerance_review: the register follows the determination in force.
    从轻 (诫勉) at 认定, changed on 复核 to 不予容错: only the original decision (政务记过, 2026-09-28) is
    registered at 纠错整改, not the 诫勉 of the first determination."""
    walk, a = notified(engine, "从轻")
    walk.fire("appeal", a["off"], {"appeal_date": "2026-11-10", "appeal_reason": "不服认定"})
    review = {k: v for k, v in DETERMINE.items() if k != "determination_reason"}
    walk.fire("review", a["rev2"], {**review, **ORIGINAL, "outcome": "不予容错", "review_conclusion": "变更认定",
                                    "review_date": "2026-11-20", "review_reason": "经复核，存在明知故犯情形"})
    walk.fire("notify", a["off"], {"notified_on": "2026-11-21", "notify_method": "当面送达",
                                   "notified_persons": "张伟"})
    walk.fire("correct", a["off"], {"rectification_plan": "整改", "rectification_deadline": "2026-12-31",
                                    "followup_arrangement": "回访"})
    subject = walk.case().subject_id or 0
    got = [(s.kind, s.decided_on, s.decided_by) for s in engine.people.sanctions(subject)]
    assert got == [("政务记过", date(2026, 9, 28), "区监委")]
    assert engine.people.marks(subject) == []
