"""Scenario walks of the inspections: 日常考察, 专项考察, 任前考察, 综合评定."""

from __future__ import annotations

from typing import Any

from workflow import Actor
from workflow import Engine
from workflow.people import PersonView

from .scenario_data import LONG
from .scenario_data import fire


def daily_inspection(
    engine: Engine, a: dict[str, Actor], person: PersonView, records: int = 3, file: bool = True
) -> int:
    case = engine.start_case(
        "daily_inspection",
        a["off"],
        title=f"{person.name}同志日常考察",
        subject_id=person.id,
        data={"period": "2026年度", "observers": ["i1"]},
    )
    kinds = ("谈心谈话", "列席会议", "调研走访", "信访监测", "个人事项监测", "其他")
    for i in range(records):
        fire(
            engine,
            case.id,
            "record",
            a["off"] if i % 2 == 0 else a["i1"],
            {
                "record_kind": kinds[i % len(kinds)],
                "record_date": f"2026-11-{(i % 20) + 2:02d}",
                "record_content": f"第{i + 1}次记实：列席市财政局党组会议，"
                "该同志就预算执行情况作说明，数据准确、分析到位。",
            },
        )
    if file:
        fire(
            engine,
            case.id,
            "analyze",
            a["off"],
            {"analysis_text": "综合日常了解情况，该同志政治素质好，业务能力强，工作作风扎实，群众口碑较好。"},
        )
        fire(
            engine,
            case.id,
            "file",
            a["rev1"],
            {"evaluation": "日常表现好，可进一步使用。", "tags": ["担当作为"], "grade": "好"},
        )
    return case.id


def special_inspection(engine: Engine, a: dict[str, Actor], person: PersonView) -> int:
    case = engine.start_case(
        "special_inspection",
        a["off"],
        title=f"{person.name}同志专项考察",
        subject_id=person.id,
        data={
            "inspection_trigger": "重大项目",
            "trigger_detail": "2026年全市重大项目资金保障专项工作，该同志任资金保障组组长。",
        },
    )
    fire(
        engine,
        case.id,
        "form_team",
        a["off"],
        {
            "team": ["i1", "i2"],
            "team_leader": "i1",
            "plan": "通过个别谈话、查阅资料和实地走访了解其在项目资金保障中的表现。",
        },
    )
    fire(engine, case.id, "begin", a["off"], {"began_on": "2026-11-02"})
    fire(
        engine,
        case.id,
        "record",
        a["i1"],
        {
            "finding_kind": "个别谈话",
            "finding_date": "2026-11-03",
            "finding_content": "与项目单位负责人谈话8人次，普遍反映该同志协调及时、保障有力。",
        },
    )
    fire(
        engine,
        case.id,
        "record",
        a["i2"],
        {
            "finding_kind": "查阅资料",
            "finding_date": "2026-11-04",
            "finding_content": "查阅资金拨付台账，重大项目资金平均拨付时间由15天缩短至7天。",
        },
    )
    fire(
        engine,
        case.id,
        "draft_report",
        a["i1"],
        {
            "report_text": "经专项考察，林文博同志在全市重大项目资金保障工作中，主动担当、靠前协调，"
            "建立资金拨付绿色通道，保障了32个重大项目按期推进，表现突出。",
            "performance_tags": ["担当作为"],
            "conclusion_grade": "好",
            "suggestion": "建议在干部选拔任用中优先考虑。",
        },
    )
    fire(engine, case.id, "sign_report", a["i1"])
    fire(engine, case.id, "sign_report", a["i2"])
    fire(engine, case.id, "approve", a["rev1"], {"approve_opinion": "同意考察组意见。"})
    return case.id


def pre_appointment(
    engine: Engine,
    a: dict[str, Actor],
    person: PersonView,
    case_id: int | None = None,
    *,
    stop_after: str = "conclude",
) -> int:
    if case_id is None:
        case_id = engine.start_case(
            "pre_appointment_inspection",
            a["off"],
            title=f"{person.name}同志任前考察",
            subject_id=person.id,
            data={"proposed_post": "市财政局副局长"},
        ).id
    steps: list[tuple[str, str, dict[str, Any]]] = [
        (
            "form_team",
            "off",
            {
                "team": ["i1", "i2"],
                "team_leader": "i1",
                "plan_text": "考察组由干部二科2名同志组成，采取个别谈话、民主测评、查阅档案等方式进行。",
                "plan_consultation": "已征求市财政局党组主要负责同志意见。",
            },
        ),
        (
            "announce",
            "off",
            {
                "notice_date": "2026-10-19",
                "notice_scope": "市财政局机关全体干部",
                "notice_form": "书面通知",
                "supervision_phone": "0574-12380",
            },
        ),
        ("begin", "off", {"inspection_start_date": "2026-10-21"}),
        (
            "record_evaluation",
            "i1",
            {
                "evaluation_date": "2026-10-22",
                "talk_count": 36,
                "ballots_issued": 60,
                "ballots_returned": 58,
                "ballots_valid": 57,
                "votes_excellent": 41,
                "votes_competent": 14,
                "votes_basic": 2,
                "votes_incompetent": 0,
                "talk_summary": "个别谈话36人，普遍认为该同志政治素质好、业务精通。",
            },
        ),
        ("to_checks", "off", {}),
        (
            "record_checks",
            "off",
            {
                "archive_review": "通过",
                "archive_note": "“三龄两历”认定准确。",
                "personal_matters": "一致",
                "personal_matters_note": "查核结果一致。",
                "discipline_opinion": "无问题",
                "discipline_note": "市纪委监委回复无问题。",
                "petition_check": "无",
                "petition_note": "未收到信访举报。",
                "integrity_conclusion": "该同志能够严格遵守廉洁自律有关规定，未发现违反廉洁自律规定的问题。",
                "integrity_party_secretary": "周海涛",
                "integrity_discipline_secretary": "马宏伟",
            },
        ),
        (
            "material",
            "i1",
            {
                "material_text": LONG * 3 + "该同志熟悉财政业务，牵头完成预算绩效管理改革，"
                "推动全市项目支出绩效目标全覆盖，工作实绩突出。",
                "material_shortcomings": "有时工作要求急了一些，对年轻干部的传帮带还需加强。",
                "appointment_suggestion": "建议任市财政局副局长。",
            },
        ),
        ("sign_material", "i1", {}),
        ("sign_material", "i2", {}),
        (
            "feedback",
            "i1",
            {
                "feedback_date": "2026-10-28",
                "feedback_leader": "市财政局党组书记、局长周海涛",
                "feedback_opinion": "反馈了考察情况，周海涛同志表示无不同意见。",
            },
        ),
        ("report", "i1", {"report_date": "2026-10-29"}),
        (
            "conclude",
            "rev1",
            {
                "meeting_date": "2026-10-30",
                "conclusion": "fit",
                "meeting_opinion": "部务会研究同意考察组意见。",
            },
        ),
    ]
    for event, user, data in steps:
        fire(engine, case_id, event, a[user], data)
        if event == stop_after:
            break
    return case_id


def comprehensive(engine: Engine, a: dict[str, Actor], person: PersonView) -> int:
    case = engine.start_case(
        "comprehensive_evaluation",
        a["off"],
        title=f"{person.name}同志2026年度综合评定",
        subject_id=person.id,
        data={"evaluation_purpose": "2026年度综合评定"},
    )
    fire(engine, case.id, "link", a["off"])
    fire(
        engine,
        case.id,
        "evaluate",
        a["off"],
        {"analysis": "日常考察、专项考察和任前考察情况相互印证，近三年年度考核两次优秀，一贯表现好。"},
    )
    fire(
        engine,
        case.id,
        "draft_rating",
        a["off"],
        {
            "grade": "优秀",
            "profile": "政治坚定、业务精通、敢于担当的财政管理型干部，善于攻坚克难。",
            "strengths": "熟悉财政业务，改革攻坚能力强。",
            "weaknesses": "基层工作经历相对较少。",
        },
    )
    fire(engine, case.id, "rate", a["rev1"], {"rating_opinion": "同意。"})
    fire(engine, case.id, "rate", a["rev2"], {"rating_opinion": "同意评定为优秀。"})
    return case.id
