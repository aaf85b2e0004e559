"""日常考察, 专项考察 and 综合评定 (procedures.md §3, §4, §6)."""

from __future__ import annotations

from typing import Any

import pytest

from workflow import Actor
from workflow import CaseNotFound
from workflow import Engine
from workflow import PermissionDenied
from workflow import ValidationFailed

from .helpers import Walk
from .helpers import history
from .helpers import person
from .helpers import staff


def record(day: str, kind: str = "谈心谈话") -> dict[str, Any]:
    return {"record_kind": kind, "record_date": day, "record_content": "了解近期思想和工作情况，主动谈及工作中的困难。"}


FILE = {"evaluation": "工作扎实，担当作为。", "tags": ["担当作为"], "grade": "好"}


def daily(engine: Engine, a: dict[str, Actor], pid: int, records: int = 3) -> Walk:
    walk = Walk(engine, engine.start_case("daily_inspection", a["off"], title="日常考察", subject_id=pid,
                                          data={"period": "2026年度", "observers": ["i1"]}))
    for i in range(records):
        walk.fire("record", a["i1"] if i % 2 else a["off"], record(f"2026-0{i + 1}-15"))
    return walk


# --- 日常考察 -----------------------------------------------------------------------------------------


def test_daily_main_path_with_exact_history(engine: Engine) -> None:
    a = staff(engine)
    walk = daily(engine, a, person(engine, a["off"]))
    walk.fire("analyze", a["off"], {"analysis_text": "三次了解情况表明该同志工作积极主动，作风扎实。"})
    walk.fire("file", a["rev"], FILE)
    assert walk.case().state == "filed"
    assert history(engine, walk.case_id) == [
        ("start", None, "open", "off"),
        ("record", "open", "open", "off"),
        ("record", "open", "open", "i1"),
        ("record", "open", "open", "off"),
        ("analyze", "open", "analysis", "off"),
        ("file", "analysis", "filed", "rev"),
    ]
    assert len(walk.case().data["records"]) == 3


def test_daily_analysis_needs_three_records(engine: Engine) -> None:
    """日常考察记实不少于3条方可分析研判（《党政领导干部考核工作条例》平时考核；条数为地方做法）: 2 refused, 3 pass."""
    a = staff(engine)
    walk = daily(engine, a, person(engine, a["off"]), records=2)
    assert "analyze" not in walk.case(a["off"]).available_events
    assert "现有2条" in walk.refused("analyze", a["off"], {"analysis_text": "分析意见分析意见分析意见分析意见分析意见"})
    walk.fire("record", a["off"], record("2026-05-15", "列席会议"))
    walk.fire("analyze", a["off"], {"analysis_text": "分析意见分析意见分析意见分析意见分析意见"})
    assert walk.state() == "analysis"


def test_daily_record_date_cannot_be_in_the_future(engine: Engine) -> None:
    a = staff(engine)
    walk = daily(engine, a, person(engine, a["off"]), records=0)
    with pytest.raises(ValidationFailed) as info:
        engine.fire(walk.case_id, "record", a["off"], record("2026-11-26"), walk.case().version)
    assert "不得晚于今天" in info.value.fields["record_date"]


# --- 专项考察 -----------------------------------------------------------------------------------------

TEAM = {"team": ["i1", "i2"], "team_leader": "i1", "plan": "围绕防汛救灾任务开展专项考察。"}
REPORT = {"report_text": "该同志在防汛救灾中靠前指挥、连续奋战，组织转移群众3200余人，" * 2,
          "performance_tags": ["担当作为"], "conclusion_grade": "好", "suggestion": "建议优先使用"}


def special(engine: Engine, a: dict[str, Actor], pid: int) -> Walk:
    return Walk(engine, engine.start_case("special_inspection", a["off"], title="防汛救灾专项考察", subject_id=pid,
                                          data={"inspection_trigger": "急难险重任务",
                                                "trigger_detail": "2026年汛期防汛救灾"}))


def test_special_main_path_with_exact_history(engine: Engine) -> None:
    a = staff(engine)
    walk = special(engine, a, person(engine, a["off"]))
    walk.fire("form_team", a["off"], TEAM)
    walk.fire("begin", a["off"], {"began_on": "2026-08-03"})
    walk.fire("record", a["i2"], {"finding_kind": "个别谈话", "finding_date": "2026-08-04",
                                  "finding_content": "同乡镇干部群众谈话12人，普遍反映靠前指挥。"})
    walk.fire("draft_report", a["i1"], REPORT)
    waiting = walk.fire("sign_report", a["i1"])
    assert waiting.waiting is not None and waiting.waiting.awaited == ("i2",)
    assert waiting.case.state == "signing"
    walk.fire("sign_report", a["i2"])
    walk.fire("return", a["rev"], {"return_reason": "请补充与基层干部谈话情况"})
    walk.fire("draft_report", a["i1"], REPORT)
    walk.fire("sign_report", a["i2"])
    walk.fire("sign_report", a["i1"])
    walk.fire("approve", a["rev"], {"approve_opinion": "同意"})
    assert walk.case().state == "concluded"
    assert history(engine, walk.case_id) == [
        ("start", None, "initiated", "off"),
        ("form_team", "initiated", "team_formed", "off"),
        ("begin", "team_formed", "investigating", "off"),
        ("record", "investigating", "investigating", "i2"),
        ("draft_report", "investigating", "signing", "i1"),
        ("sign_report", "signing", "signing", "i1"),
        ("sign_report", "signing", "reported", "i2"),
        ("return", "reported", "investigating", "rev"),
        ("draft_report", "investigating", "signing", "i1"),
        ("sign_report", "signing", "signing", "i2"),
        ("sign_report", "signing", "reported", "i1"),
        ("approve", "reported", "concluded", "rev"),
    ]


def test_special_team_of_two_passes_one_is_refused(engine: Engine) -> None:
    """专项考察组不少于2人（参照《党政领导干部选拔任用工作条例》第三十三条）."""
    a = staff(engine)
    walk = special(engine, a, person(engine, a["off"]))
    assert "实际1人" in walk.refused("form_team", a["off"], {**TEAM, "team": ["i1"]})
    assert walk.fire("form_team", a["off"], TEAM).case.state == "team_formed"


def test_special_report_only_by_team_members(engine: Engine) -> None:
    a = staff(engine)
    walk = special(engine, a, person(engine, a["off"]))
    walk.fire("form_team", a["off"], TEAM)
    walk.fire("begin", a["off"], {"began_on": "2026-08-03"})
    with pytest.raises(CaseNotFound):  # an inspector off the team does not see the inspection at all
        engine.fire(walk.case_id, "record", a["i3"], {"finding_kind": "其他", "finding_date": "2026-08-04",
                                                      "finding_content": "非考察组成员不能记录"}, walk.case().version)


def test_special_recused_member_blocks_begin(engine: Engine) -> None:
    """回避（《党政领导干部选拔任用工作条例》第五十三条）: a member recused after forming blocks the start."""
    a = staff(engine)
    walk = special(engine, a, person(engine, a["off"]))
    walk.fire("form_team", a["off"], TEAM)
    engine.add_recusal(walk.case_id, "i2", "与考察对象系堂兄弟", a["off"])
    assert "i2已回避本案件" in walk.refused("begin", a["off"], {"began_on": "2026-08-03"})
    walk.fire("adjust_team", a["off"], {"team": ["i1", "i3"], "team_leader": "i1", "adjust_reason": "i2回避"})
    assert walk.fire("begin", a["off"], {"began_on": "2026-08-03"}).case.state == "investigating"


# --- 综合评定 -----------------------------------------------------------------------------------------

RATING = {"grade": "优秀", "profile": "政治坚定、勇于担当、善于攻坚的复合型干部。", "strengths": "统筹能力强",
          "weaknesses": "基层经历偏少"}


def test_comprehensive_links_concluded_inspections_and_needs_two_reviewers(engine: Engine) -> None:
    a = staff(engine)
    pid = person(engine, a["off"], grades={2023: "称职", 2024: "优秀", 2025: "优秀", 2022: "称职"})
    filed = daily(engine, a, pid)
    filed.fire("analyze", a["off"], {"analysis_text": "分析意见分析意见分析意见分析意见分析意见"})
    filed.fire("file", a["rev"], FILE)
    still_open = daily(engine, a, pid, records=1)
    walk = Walk(engine, engine.start_case("comprehensive_evaluation", a["off"], title="李明同志综合评定",
                                          subject_id=pid, data={"evaluation_purpose": "2026年度综合评定"}))
    walk.fire("link", a["off"])
    case = walk.case()
    assert [link.case_id for link in case.links] == [filed.case_id]
    assert still_open.case_id not in case.data["inspection_case_ids"]
    assert case.data["annual_grades"] == [{"year": 2025, "grade": "优秀"}, {"year": 2024, "grade": "优秀"},
                                          {"year": 2023, "grade": "称职"}]
    walk.fire("evaluate", a["off"], {"analysis": "日常考察与年度考核结果相互印证，一贯表现好。"})
    walk.fire("draft_rating", a["off"], RATING)
    first = walk.fire("rate", a["rev"], {"rating_opinion": "同意"})
    assert first.waiting is not None and first.waiting.required == 2 and first.case.state == "evaluating"
    with pytest.raises(PermissionDenied):
        engine.fire(walk.case_id, "rate", a["rev"], {}, walk.case().version)
    assert "已有1人签署" in walk.refused("draft_rating", a["off"], RATING)
    walk.fire("rate", a["rev2"], {"rating_opinion": "同意"})
    assert walk.case().state == "rated"
    assert history(engine, walk.case_id) == [
        ("start", None, "collecting", "off"),
        ("link", "collecting", "collecting", "off"),
        ("evaluate", "collecting", "evaluating", "off"),
        ("draft_rating", "evaluating", "evaluating", "off"),
        ("rate", "evaluating", "evaluating", "rev"),
        ("rate", "evaluating", "rated", "rev2"),
    ]


def test_comprehensive_evaluate_needs_a_concluded_inspection(engine: Engine) -> None:
    """综合评定须关联至少一项已办结的考察（《党政领导干部选拔任用工作条例》第二十八条 与一贯表现相互印证）."""
    a = staff(engine)
    pid = person(engine, a["off"])
    daily(engine, a, pid, records=3)  # open, not filed: does not count
    walk = Walk(engine, engine.start_case("comprehensive_evaluation", a["off"], title="综合评定", subject_id=pid))
    walk.fire("link", a["off"])
    analysis = {"analysis": "综合分析综合分析综合分析综合分析综合分析"}
    assert "尚无关联案件" in walk.refused("evaluate", a["off"], analysis)
    other = special(engine, a, pid)
    other.fire("form_team", a["off"], TEAM)
    other.fire("begin", a["off"], {"began_on": "2026-08-03"})
    other.fire("record", a["i1"], {"finding_kind": "实地走访", "finding_date": "2026-08-05",
                                   "finding_content": "实地查看堤防加固现场，询问群众意见。"})
    other.fire("draft_report", a["i1"], REPORT)
    other.fire("sign_report", a["i1"])
    other.fire("sign_report", a["i2"])
    other.fire("approve", a["rev"])
    walk.fire("link", a["off"])
    walk.fire("evaluate", a["off"], {"analysis": "综合分析综合分析综合分析综合分析综合分析"})
    assert walk.state() == "evaluating"
