"""干部选拔任用, the spine: 动议 to 正式任职 with its linked 任前考察 (procedures.md §8)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workflow import Actor
from workflow import Engine
from workflow import TransitionNotAllowed

from ..conftest import EngineFactory
from .helpers import Walk
from .helpers import conclude_inspection
from .helpers import history
from .helpers import inspection_steps
from .helpers import person
from .helpers import staff

PLAN = {"plan_summary": "市发展改革委副主任1名，个别提拔，在委机关范围内推荐。", "plan_approved_on": "2025-08-01",
        "reported_to_leaders": True}
TALKS = {"method": "talks", "recommendation_date": "2025-08-20", "posts": 1,
         "participants_expected": 30, "participants_present": 28, "subject_votes": 22, "subject_rank": 1}
RECOMMEND = {**TALKS, "method": "meeting", "ballots_valid": 27}
CANDIDATES = {"candidates_decided_on": "2025-09-01", "candidate_mode": "等额考察",
              "candidate_basis": "民主推荐得票集中，日常表现好，年度考核优秀，人岗相适。"}
CONSULT = {"consulted_on": "2025-09-25", "consulted_with": "书记、副书记、组织部部长",
           "consult_opinion": "同意提交常委会讨论。"}
DECIDE = {"meeting_date": "2025-09-28", "meeting_body": "市委常委会第25次会议", "members_total": 9,
          "members_present": 8, "members_recused": 0, "votes_for": 7, "votes_against": 1, "votes_postpone": 0,
          "decision_record": "逐一表态，书记最后表态。"}
NOTICE = {"notice_start": "2025-09-29", "notice_end": "2025-10-13", "notice_scope": "全市",
          "notice_phone": "0571-12380", "notice_address": "市委组织部干部监督科"}
APPOINT = {"notice_result": "无反映", "appointment_date": "2025-10-20", "appointment_doc_no": "市委〔2025〕112号"}
NOMINATE = {"notice_result": "无反映", "nomination_date": "2025-10-20", "nomination_to": "区党代表大会",
            "nomination_doc_no": "市委组〔2025〕30号"}
ELECT = {"election_date": "2025-10-28", "election_body": "中共东湖区委第五届委员会第一次全体会议", "electors": 35,
         "electors_present": 34, "election_votes": 33}
NPC = {"npc_session": "江州市第十六届人大常委会第二十次会议", "npc_date": "2025-10-29",
       "npc_doc_no": "江人常任〔2025〕8号"}
START = {"target_post": "市发展改革委副主任", "target_unit": "市发展和改革委员会", "selection_method": "个别提拔",
         "selection_reason": "班子副职空缺1名。", "post_kind": "appoint", "move_kind": "promotion",
         "exceptional": "none", "target_rank": "county_deputy"}
# 正科 since 2019-12 (任用条例第八条: 5 years' work, 2 years' grassroots, 3 years as 下级正职, 大专 or more)
QUALIFIED = {"rank_level": "township_chief", "rank_since": "2019-12-01", "post_since": "2019-12-01",
             "work_start_date": "2005-07-01", "grassroots_months": 40, "edu_fulltime_level": "大学本科毕业"}
CONFIRM = {"probation_assessment": "胜任", "assessed_on": "2026-10-20", "assessment_summary": "试用期满考核胜任"}


def opened(engine: Engine, start: dict[str, Any] | None = None, **person_kw: Any) -> tuple[Walk, dict[str, Actor]]:
    a = staff(engine)
    case = engine.start_case("selection_appointment", a["off"], title="李明同志拟任市发展改革委副主任",
                             subject_id=person(engine, a["off"], **{**QUALIFIED, **person_kw}),
                             data={**START, **(start or {})})
    return Walk(engine, case), a


def rows(walk: Walk, data: dict[str, Any]) -> dict[str, Any]:
    """A round's data with the case's person as its one candidate (``subject_votes`` their votes)."""
    out = {k: v for k, v in data.items() if k not in ("subject_votes", "subject_rank")}
    out.setdefault("candidates", [{"person_id": walk.case().subject_id, "votes": data["subject_votes"]}])
    return out


def recommend(walk: Walk, a: dict[str, Actor], data: dict[str, Any]) -> Any:
    return walk.fire("recommend", a["off"], rows(walk, data))


def both_rounds(walk: Walk, a: dict[str, Actor]) -> None:
    """To 民主推荐 with both rounds recorded (谈话调研推荐 and 会议推荐)."""
    drive(walk, a, "recommendation")
    recommend(walk, a, TALKS)
    recommend(walk, a, RECOMMEND)


def drive(walk: Walk, a: dict[str, Actor], target: str, *, decide: dict[str, Any] | None = None,
          notice: dict[str, Any] | None = None) -> None:
    """Walk the main path from wherever the case is until ``target``, concluding the linked inspection.

    With ``target`` public_notice the notice is published too.
    """
    while True:
        state, data = walk.state(), walk.case().data
        if state == target and (target != "recommendation" or not data.get("recommendations")) and (
                target != "deliberation" or "consulted_on" in data):
            return
        rounds = {r["method"] for r in data.get("recommendations") or []}
        kind = data["post_kind"]
        if state == "motion":
            walk.fire("approve_plan", a["rev"], PLAN)
        elif state == "recommendation":
            if "talks" not in rounds:
                recommend(walk, a, TALKS)
            elif "meeting" not in rounds:
                recommend(walk, a, RECOMMEND)
            else:
                walk.fire("set_candidates", a["rev"], CANDIDATES)
        elif state == "candidates":
            walk.fire("start_inspection", a["off"])
        elif state == "inspection":
            if walk.engine.get_case(data["inspection_case_id"]).state != "concluded":
                conclude_inspection(walk.engine, a, data["inspection_case_id"])
            walk.fire("to_deliberation", a["off"])
        elif state == "deliberation":
            if "consulted_on" not in data:
                walk.fire("consult", a["off"], CONSULT)
            else:
                walk.fire("decide", a["rev"], decide or DECIDE)
        elif state == "decided":
            if data["move_kind"] == "promotion":
                walk.fire("publish_notice", a["off"], notice or NOTICE)
            elif kind == "appoint":
                walk.fire("appoint", a["off"], {k: APPOINT[k] for k in ("appointment_date", "appointment_doc_no")})
            else:
                walk.fire("nominate", a["off"], {k: v for k, v in NOMINATE.items() if k != "notice_result"})
        elif state == "public_notice":
            walk.fire("appoint", a["off"], APPOINT) if kind == "appoint" else walk.fire("nominate", a["off"], NOMINATE)
        elif state == "nominated":
            walk.fire("elect", a["off"], ELECT) if kind == "elect" else walk.fire("npc_appoint", a["off"], NPC)
        elif state == "probation":
            walk.fire("confirm", a["rev"], CONFIRM)
        else:
            raise AssertionError(f"cannot drive from {state} to {target}")


def test_complete_selection_from_motion_to_appointment(engine: Engine, make_engine: EngineFactory,
                                                       db_url: str) -> None:
    walk, a = opened(engine)
    drive(walk, a, "inspection")
    case = walk.case()
    child = case.data["inspection_case_id"]
    assert [(link.case_id, link.definition, link.relation) for link in case.links] == [
        (child, "pre_appointment_inspection", "inspection")]
    assert engine.get_case(child).state == "plan" and engine.get_case(child).subject_id == case.subject_id
    assert "任前考察结束（或终止）后方可提交讨论决定" in walk.refused("to_deliberation", a["off"])
    fresh = make_engine(url=db_url)  # the rest runs on a second engine over the same database
    conclude_inspection(fresh, a, child)
    walk2 = Walk(fresh, fresh.get_case(walk.case_id))
    drive(walk2, a, "appointed")
    assert history(engine, walk.case_id) == [
        ("start", None, "motion", "off"),
        ("approve_plan", "motion", "recommendation", "rev"),
        ("recommend", "recommendation", "recommendation", "off"),
        ("recommend", "recommendation", "recommendation", "off"),
        ("set_candidates", "recommendation", "candidates", "rev"),
        ("start_inspection", "candidates", "inspection", "off"),
        ("to_deliberation", "inspection", "deliberation", "off"),
        ("consult", "deliberation", "deliberation", "off"),
        ("decide", "deliberation", "decided", "rev"),
        ("publish_notice", "decided", "public_notice", "off"),
        ("appoint", "public_notice", "probation", "off"),
        ("confirm", "probation", "appointed", "rev"),
    ]
    assert [h[0] for h in history(engine, child)] == ["start"] + [s[0] for s in inspection_steps()]
    assert engine.verify().ok


@pytest.mark.parametrize(("conclusion", "label"), [("fit", None), ("unfit", "不宜任用"), ("postpone", "暂缓任用")])
def test_deliberation_needs_the_inspection_to_conclude_fit(engine: Engine, conclusion: str, label: str | None) -> None:
    """The linked 任前考察's `conclusion` gates 讨论决定 (procedures.md Extensions §selection_appointment;
    《党政领导干部选拔任用工作条例》第五章（考察）、第六章（讨论决定））: fit 可以任用 passes; unfit 不宜任用 and
    postpone 暂缓任用 are refused with the conclusion named by its label."""
    walk, a = opened(engine)
    drive(walk, a, "inspection")
    child = walk.case().data["inspection_case_id"]
    steps = inspection_steps()
    event, who, data = steps[-1]
    child_walk = Walk(engine, engine.get_case(child))
    for step in steps[:-1]:
        child_walk.fire(step[0], a[step[1]], step[2])
    child_walk.fire(event, a[who], {**data, "conclusion": conclusion})
    if label is None:
        assert walk.fire("to_deliberation", a["off"], {}).case.state == "deliberation"
        return
    message = walk.refused("to_deliberation", a["off"])
    assert f"关联的任前考察结论为“{label}”，不得提交讨论决定" in message and conclusion not in message
    assert walk.state() == "inspection"


def test_plan_must_be_reported_to_the_principal_leaders(engine: Engine) -> None:
    """动议须向主要领导成员报告（《党政领导干部选拔任用工作条例》第三章）."""
    walk, a = opened(engine)
    assert "主要领导成员报告" in walk.refused("approve_plan", a["rev"], {**PLAN, "reported_to_leaders": False})


@pytest.mark.parametrize(("present", "ok"), [(20, True), (19, False)])
def test_recommendation_participation_two_thirds(engine: Engine, present: int, ok: bool) -> None:
    """民主推荐参加人数不少于应参加人数三分之二（任用条例民主推荐章及中组部答问）: 20 of 30 passes, 19 refused."""
    walk, a = opened(engine)
    drive(walk, a, "recommendation")
    data = {**RECOMMEND, "participants_present": present, "subject_votes": 15, "ballots_valid": present}
    if ok:
        rounds = recommend(walk, a, data).case.data["recommendations"]
        assert rounds[-1]["participants_present"] == present
    else:
        assert "实际19人，应有30人，不足三分之二（至少20人）" in walk.refused("recommend", a["off"], rows(walk, data))


@pytest.mark.parametrize(("decided_on", "ok"), [("2026-08-20", True), ("2026-08-21", False)])
def test_recommendation_valid_one_year(engine: Engine, decided_on: str, ok: bool) -> None:
    """民主推荐结果一年内有效（任用条例第四章；12371 问答）: 2025-08-20 → 2026-08-20 passes, 08-21 refused."""
    walk, a = opened(engine)
    drive(walk, a, "recommendation")
    recommend(walk, a, TALKS)
    recommend(walk, a, {**RECOMMEND, "recommendation_date": "2025-08-22"})
    data = {**CANDIDATES, "candidates_decided_on": decided_on}
    if ok:
        walk.fire("set_candidates", a["rev"], data)
    else:  # the older round (谈话调研推荐 on 08-20) decides
        assert "谈话调研推荐2025-08-20进行，有效期12个月至2026-08-20止，2026-08-21已超过" in walk.refused(
            "set_candidates", a["rev"], data)


@pytest.mark.parametrize(("ends_on", "ok"), [(date(2025, 8, 31), True), (date(2025, 9, 1), False)])
def test_influence_period_blocks_candidates(engine: Engine, ends_on: date, ok: bool) -> None:
    """影响期未满不得列为考察对象（任用条例第五章）: ending the day before passes, ending that day refused."""
    walk, a = opened(engine)
    engine.people.add_mark(walk.case().subject_id or 0, "influence_period", "诫勉", date(2025, 3, 1), ends_on,
                           "诫勉谈话", a["off"])
    both_rounds(walk, a)
    if ok:
        walk.fire("set_candidates", a["rev"], CANDIDATES)
    else:
        message = walk.refused("set_candidates", a["rev"], CANDIDATES)
        assert "影响期“诫勉”2025-03-01至2025-09-01" in message and "第五章" in message


def test_concealment_mark_blocks_candidates(engine: Engine) -> None:
    """有意瞒报个人有关事项的不得提拔（《领导干部个人有关事项报告查核结果处理办法》）."""
    walk, a = opened(engine)
    engine.people.add_mark(walk.case().subject_id or 0, "concealment", "瞒报房产", date(2024, 5, 1), None,
                           "查核认定瞒报", a["off"])
    both_rounds(walk, a)
    assert "个人有关事项瞒报“瞒报房产”2024-05-01（无截止日期）" in walk.refused("set_candidates", a["rev"], CANDIDATES)


@pytest.mark.parametrize(("grades", "decided_on", "blocked"), [
    ({2024: "基本称职", 2025: "称职"}, "2026-01-01", None),
    ({2024: "优秀", 2025: "基本称职"}, "2026-01-01", 2025),
    ({2024: "优秀", 2025: "不称职"}, "2026-01-01", 2025),
    # Decided on 31 Dec 2025, "last year" is 2024: a 2025 grade already on record does not count.
    ({2024: "称职", 2025: "不称职"}, "2025-12-31", None),
    ({2024: "基本称职", 2025: "优秀"}, "2025-12-31", 2024),
])
def test_last_annual_grade_basic_or_lower_blocks(engine: Engine, grades: dict[int, str], decided_on: str,
                                                 blocked: int | None) -> None:
    """上年度考核基本称职以下不得列为考察对象（任用条例第五章）: the grade of the year before the date of
    the decision (candidates_decided_on), not the newest one stored (param years: 1)."""
    walk, a = opened(engine, grades=grades)
    both_rounds(walk, a)
    data = {**CANDIDATES, "candidates_decided_on": decided_on}
    if blocked is None:
        walk.fire("set_candidates", a["rev"], data)
    else:
        assert f"{blocked}年度考核为“{grades[blocked]}”" in walk.refused("set_candidates", a["rev"], data)


@pytest.mark.parametrize("done", [(), ("talks",), ("meeting",)])
def test_candidates_need_both_recommendation_rounds(engine: Engine, done: tuple[str, ...]) -> None:
    """个别提拔参照换届：谈话调研推荐和会议推荐（任用条例第四章，第二十条）: with either round missing
    确定考察对象 is refused, naming the round; the inspection waits for 确定考察对象 (state)."""
    walk, a = opened(engine)
    drive(walk, a, "recommendation")
    for method in done:
        recommend(walk, a, TALKS if method == "talks" else RECOMMEND)
    message = walk.refused("set_candidates", a["rev"], CANDIDATES)
    missing = [label for m, label in (("talks", "谈话调研推荐"), ("meeting", "会议推荐")) if m not in done]
    assert "尚未录入" + "、".join(missing) in message
    with pytest.raises(TransitionNotAllowed, match="不能执行“启动任前考察”"):
        engine.fire(walk.case_id, "start_inspection", a["off"])


@pytest.mark.parametrize(("present", "recused", "votes", "figure"), [
    (6, 0, 5, None),
    (5, 0, 5, "实际到会5人，应到9人，不足三分之二"),
    (7, 2, 5, "实际到会5人（其中回避2人不计），应到9人，不足三分之二"),
    (6, 0, 4, "同意4票，应到9人，未超过半数"),
    (8, 2, 5, None),  # recused members never lower the thresholds: 6 of 9 entitled present, 5 > 9/2
    (8, 3, 5, "实际到会5人（其中回避3人不计），应到9人，不足三分之二"),
    (2, 3, 5, "其中回避3人，多于实际到会2人"),
])
def test_decision_quorum_and_threshold(engine: Engine, present: int, recused: int, votes: int,
                                       figure: str | None) -> None:
    """讨论决定: 到会 ≥ 三分之二 (recused not counted), 同意 > 应到会成员半数.

    《党政领导干部选拔任用工作条例》第四十七条.
    """
    walk, a = opened(engine)
    drive(walk, a, "deliberation")
    data = {**DECIDE, "members_present": present, "members_recused": recused, "votes_for": votes,
            "votes_against": 0, "votes_postpone": 0}
    if figure is None:
        assert walk.fire("decide", a["rev"], data).case.state == "decided"
    else:
        message = walk.refused("decide", a["rev"], data)
        assert f"（《党政领导干部选拔任用工作条例》第四十七条）：{figure}" in message


def test_vote_counts_cannot_exceed_voters(engine: Engine) -> None:
    walk, a = opened(engine)
    drive(walk, a, "deliberation")
    message = walk.refused("decide", a["rev"], {**DECIDE, "members_recused": 1, "votes_for": 7, "votes_against": 1})
    assert "合计8，超过上限8减去1" in message


def test_postpone_and_resume(engine: Engine) -> None:
    walk, a = opened(engine)
    drive(walk, a, "deliberation")
    walk.fire("postpone", a["rev"], {"postpone_reason": "意见分歧较大"})
    walk.fire("resume", a["off"], {"resume_note": "已补充考察情况"})
    walk.fire("decide", a["rev"], DECIDE)
    assert walk.state() == "decided"


@pytest.mark.parametrize(("notice_end", "ok"), [("2026-10-10", True), ("2026-10-09", False)])
def test_notice_five_working_days_across_national_day(engine: Engine, notice_end: str, ok: bool) -> None:
    """任前公示期不少于5个工作日（《党政领导干部选拔任用工作条例》第四十二条）.

    2026-09-29 (Tue) to 10-10 (the adjusted working Saturday) holds 5 working days: 09-29, 09-30, 10-08,
    10-09, 10-10. Ending on 10-09 gives 4 and is refused.
    """
    walk, a = opened(engine)
    drive(walk, a, "public_notice", decide={**DECIDE, "meeting_date": "2026-09-28"},
          notice={**NOTICE, "notice_start": "2026-09-29", "notice_end": notice_end})
    data = {**APPOINT, "appointment_date": "2026-10-12"}
    if ok:
        assert walk.fire("appoint", a["off"], data).case.state == "probation"
    else:
        message = walk.refused("appoint", a["off"], data)
        assert message == ("任前公示期不少于5个工作日（《党政领导干部选拔任用工作条例》第四十二条）："
                           "实际4个工作日（2026-09-29至2026-10-09）")


def test_notice_starts_after_the_decision_and_appointment_after_it_ends(engine: Engine) -> None:
    """公示在讨论决定之后、任职之前（第四十二条）."""
    walk, a = opened(engine)
    drive(walk, a, "deliberation")
    walk.fire("decide", a["rev"], DECIDE)
    assert "讨论决定之后" in walk.refused("publish_notice", a["off"], {**NOTICE, "notice_start": "2025-09-27"})
    walk.fire("publish_notice", a["off"], NOTICE)
    message = walk.refused("appoint", a["off"], {**APPOINT, "appointment_date": "2025-10-13"})
    assert "公示期满后方可发布任职通知" in message
    walk.fire("appoint", a["off"], {**APPOINT, "appointment_date": "2025-10-14"})


def test_substantiated_report_leads_to_not_appoint(engine: Engine) -> None:
    """公示反映问题经核查属实的不得任职（第四十二条）."""
    walk, a = opened(engine)
    drive(walk, a, "public_notice")
    assert "经核查属实" in walk.refused("appoint", a["off"], {**APPOINT, "notice_result": "反映问题经核查属实"})
    walk.fire("not_appoint", a["rev"], {"not_appoint_reason": "公示期间反映问题经核查属实"})
    assert walk.state() == "not_appointed"


@pytest.mark.parametrize(("assessed_on", "ok"), [("2026-10-20", True), ("2026-10-19", False)])
def test_probation_of_one_year(engine: Engine, assessed_on: str, ok: bool) -> None:
    """试用期一年，期满考核胜任的正式任职（《党政领导干部选拔任用工作条例》第四十三条）."""
    walk, a = opened(engine)
    drive(walk, a, "probation")
    data = {**CONFIRM, "assessed_on": assessed_on}
    if ok:
        assert walk.fire("confirm", a["rev"], data).case.state == "appointed"
    else:
        assert "满12个月为2026-10-20，实际为2026-10-19，尚未期满" in walk.refused("confirm", a["rev"], data)


def test_not_competent_means_dismissal_from_the_trial_post(engine: Engine) -> None:
    """试用期考核不胜任的免去试任职务（第四十三条）: confirm refused, dismiss_trial passes."""
    walk, a = opened(engine)
    drive(walk, a, "probation")
    data = {**CONFIRM, "probation_assessment": "不胜任"}
    assert "当前为“不胜任”" in walk.refused("confirm", a["rev"], data)
    assert "当前为“胜任”" in walk.refused("dismiss_trial", a["rev"], {**CONFIRM, "restored_post": "综合规划处处长"})
    walk.fire("dismiss_trial", a["rev"], {**data, "restored_post": "综合规划处处长（正处级）"})
    assert walk.state() == "not_appointed"


def test_withdraw_during_inspection(engine: Engine) -> None:
    walk, a = opened(engine)
    drive(walk, a, "inspection")
    walk.fire("withdraw", a["off"], {"withdraw_reason": "考察中发现不宜提拔的情形"})
    assert walk.state() == "withdrawn"
