"""Cases of every procedure walked through the engine to the point where each form exists.

Shared by the document tests and bench/bench_documents.py. Dates are in October and
November 2026, before the test clock's "today" (2026-11-25, a Wednesday), and satisfy
every working-day rule of the definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from workflow import Actor
from workflow import Engine
from workflow.people import PersonView

from .scenario_data import LONG
from .scenario_data import PERSON
from .scenario_data import USERS
from .scenario_data import add_users
from .scenario_data import fire
from .scenario_inspection import comprehensive
from .scenario_inspection import daily_inspection
from .scenario_inspection import pre_appointment
from .scenario_inspection import special_inspection


@dataclass
class Demo:
    """The actors, the person and one case id per form."""

    actors: dict[str, Actor]
    person: PersonView
    cases: dict[str, int] = field(default_factory=dict)


def signed_recommendation(engine: Engine, a: dict[str, Actor], person: PersonView) -> int:
    case = engine.start_case(  # 干部科 opens it for the recommender, who may not see the cadre's record
        "signed_recommendation",
        a["off"],
        title=f"署名推荐{person.name}同志",
        subject_id=person.id,
        data={"recommender": "rec"},
    )
    fire(
        engine,
        case.id,
        "submit",
        a["rec"],
        {
            "recommender_post": "市发展改革委党组书记、主任",
            "relationship": "同事",
            "acquaintance": "很了解",
            "direction": "定向",
            "target_post": "市财政局副局长",
            "merit_virtue": LONG,
            "merit_ability": "统筹协调能力强，熟悉财政预算管理业务。",
            "merit_diligence": "工作勤勉，长期坚守预算编制一线。",
            "merit_performance": "牵头完成预算绩效管理改革，全市项目支出绩效目标覆盖率达到100%。",
            "typical_examples": "2024年牵头推进零基预算改革，压减一般性支出1.2亿元，相关做法被省财政厅推广。",
            "shortcomings": "有时工作要求急了一些，对年轻干部传帮带还需加强。",
            "integrity_status": "未发现违反廉洁自律规定的问题。",
            "pledge": True,
        },
    )
    fire(engine, case.id, "register", a["off"], {"received_on": "2026-11-10"})
    return case.id


def collective_interview(engine: Engine, a: dict[str, Actor], person: PersonView) -> int:
    case = engine.start_case(
        "collective_interview",
        a["off"],
        title=f"{person.name}同志集体面谈",
        subject_id=person.id,
        data={"purpose": "市财政局副局长人选任前考察"},
    )
    fire(
        engine,
        case.id,
        "schedule",
        a["off"],
        {
            "panel": ["p1", "p2", "p3", "p4", "p5"],
            "chair": "p1",
            "recorder": "off",
            "interview_time": "2026-11-20T09:30:00+08:00",
            "place": "市委组织部第三会议室",
            "duration_minutes": 60,
            "outline": "一、对拟任岗位的认识；二、近三年主要工作实绩；三、存在的不足和改进措施。",
        },
    )
    fire(engine, case.id, "begin_interview", a["off"], {"held_at": "2026-11-20T09:30:00+08:00"})
    scores = {
        "p1": (92, 90, 88, 91, 95),
        "p2": (85, 88, 90, 86, 93),
        "p3": (90, 92, 91, 89, 94),
        "p4": (78, 80, 82, 84, 90),
        "p5": (95, 94, 93, 92, 96),
    }
    dims = ("score_political", "score_capability", "score_commitment", "score_conduct", "score_integrity")
    for user, values in scores.items():
        fire(
            engine,
            case.id,
            "score",
            a[user],
            {
                **dict(zip(dims, values, strict=True)),
                "score_comment": "回答问题思路清晰，岗位认知到位。",
            },
        )
    fire(engine, case.id, "close_scoring", a["off"])
    fire(
        engine,
        case.id,
        "record_minutes",
        a["off"],
        {
            "minutes_text": "面谈组围绕岗位认知、工作实绩和不足与林文博同志进行了面谈，"
            "该同志回答问题思路清晰，"
            "对财政工作面临的形势和任务认识到位，提出的工作思路具有针对性和可操作性。",
            "conclusion": "面谈结论为好，建议作为市财政局副局长人选。",
            "problems": "对基层情况的了解还需进一步加强。",
        },
    )
    return case.id


def selection(engine: Engine, a: dict[str, Actor], person: PersonView) -> int:
    case = engine.start_case(
        "selection_appointment",
        a["off"],
        title=f"{person.name}同志任市财政局副局长",
        subject_id=person.id,
        data={
            "target_post": "副局长",
            "target_unit": "市财政局",
            "selection_method": "个别提拔",
            "selection_reason": "市财政局副局长职位空缺，根据领导班子建设需要提出人选。",
            "post_kind": "appoint",
            "move_kind": "promotion",
            "exceptional": "none",
            "target_rank": "county_deputy",
        },
    )
    fire(
        engine,
        case.id,
        "approve_plan",
        a["rev1"],
        {
            "plan_summary": "个别提拔市财政局副局长1名。",
            "plan_approved_on": "2026-10-12",
            "reported_to_leaders": True,
        },
    )
    for method in ("talks", "meeting"):
        fire(
            engine,
            case.id,
            "recommend",
            a["off"],
            {
                "method": method,
                "recommendation_date": "2026-10-14",
                "posts": 1,
                "participants_expected": 60,
                "participants_present": 57,
                "candidates": [{"person_id": person.id, "votes": 48}],
            },
        )
    fire(
        engine,
        case.id,
        "set_candidates",
        a["rev1"],
        {
            "candidates_decided_on": "2026-10-16",
            "candidate_mode": "等额考察",
            "candidate_basis": "综合民主推荐、日常了解和年度考核情况确定。",
        },
    )
    fire(engine, case.id, "start_inspection", a["off"])
    linked = engine.get_case(case.id, a["off"]).data["inspection_case_id"]
    pre_appointment(engine, a, person, linked)
    fire(engine, case.id, "to_deliberation", a["off"])
    fire(
        engine,
        case.id,
        "consult",
        a["off"],
        {"consulted_on": "2026-11-03", "consulted_with": "书记、副书记、组织部部长",
         "consult_opinion": "同意提交讨论。"},
    )
    fire(
        engine,
        case.id,
        "decide",
        a["rev1"],
        {
            "meeting_date": "2026-11-05",
            "meeting_body": "市委常委会第25次会议",
            "members_total": 11,
            "members_present": 10,
            "members_recused": 1,
            "votes_for": 8,
            "votes_against": 0,
            "votes_postpone": 1,
            "decision_record": "组织部汇报了考察情况，与会常委逐一发表意见，以无记名投票方式表决。",
        },
    )
    fire(
        engine,
        case.id,
        "publish_notice",
        a["off"],
        {
            "notice_start": "2026-11-09",
            "notice_end": "2026-11-13",
            "notice_scope": "全市",
            "notice_phone": "0574-12380",
            "notice_mailbox": "12380@example.gov.cn",
            "notice_address": "市行政中心1号楼市委组织部干部监督科",
        },
    )
    fire(
        engine,
        case.id,
        "appoint",
        a["off"],
        {
            "notice_result": "无反映",
            "appointment_date": "2026-11-16",
            "appointment_doc_no": "甬委干〔2026〕25号",
            "appointment_talk": "已进行任职谈话。",
        },
    )
    return case.id


def tolerance(engine: Engine, a: dict[str, Actor], person: PersonView) -> int:
    case = engine.start_case(
        "error_tolerance_review",
        a["off"],
        title=f"{person.name}同志容错纠错",
        subject_id=person.id,
        data={"accountability_matter": "2026年预算绩效改革试点中，部分项目资金调剂未及时报备。"},
    )
    fire(
        engine,
        case.id,
        "apply",
        a["off"],
        {
            "applicant": "所在单位",
            "applicant_name": "市财政局党组",
            "accountability_notice_date": "2026-11-02",
            "application_date": "2026-11-04",
            "application_reason": "资金调剂系为保障重大项目按期推进，"
            "属先行先试中的无意过失，已及时补办手续。",
        },
    )
    fire(engine, case.id, "accept", a["rev1"], {"accepted_on": "2026-11-05"})
    fire(
        engine,
        case.id,
        "investigate",
        a["off"],
        {
            "factor_motive": "为推动改革试点，出于公心。",
            "factor_conditions": "上级尚无明确限制性规定。",
            "factor_procedure": "经局党组集体研究。",
            "factor_nature": "程序瑕疵，情节轻微。",
            "factor_consequence": "未造成资金损失。",
            "factor_recovery": "已补办备案手续。",
            "three_distinctions": "属缺乏经验先行先试出现的失误，为推动发展的无意过失，未谋取私利。",
            "statement": "本人对未及时报备负有责任，已深刻反思。",
        },
    )
    fire(
        engine,
        case.id,
        "determine",
        a["rev1"],
        {
            "outcome": "从轻",
            "decision_body": "市委组织部部务会",
            "decision_meeting_date": "2026-11-12",
            "members_total": 9,
            "members_present": 8,
            "votes_for": 7,
            "influence_start": "2026-11-12",
            "influence_end": "2027-05-11",
            "measure_kind": "诫勉",
            "determination_reason": "符合容错情形，但程序上存在瑕疵，予以从轻处理。",
        },
    )
    fire(
        engine,
        case.id,
        "notify",
        a["off"],
        {
            "notified_on": "2026-11-16",
            "notify_method": "当面送达",
            "notified_persons": "林文博同志、市财政局党组",
        },
    )
    return case.id


def build(engine: Engine) -> Demo:
    """Every procedure walked for one person; ``cases`` maps each form name to its case."""
    a = add_users(engine)
    person = engine.people.create(PERSON, a["off"])
    demo = Demo(a, person)
    sr = signed_recommendation(engine, a, person)
    demo.cases.update(signed_recommendation_form=sr, registration_receipt=sr)
    demo.cases["interview_record"] = collective_interview(engine, a, person)
    demo.cases["daily_inspection_record"] = daily_inspection(engine, a, person)
    demo.cases["special_inspection_report"] = special_inspection(engine, a, person)
    sel = selection(engine, a, person)
    inspection = engine.get_case(sel, a["off"]).data["inspection_case_id"]
    for name in (
        "appointment_approval_form",
        "decision_record",
        "pre_appointment_notice",
        "appointment_notice",
        "recommendation_stats",
    ):
        demo.cases[name] = sel
    for name in ("inspection_notice", "democratic_evaluation_stats", "inspection_material"):
        demo.cases[name] = inspection
    demo.cases["comprehensive_evaluation_form"] = comprehensive(engine, a, person)
    tol = tolerance(engine, a, person)
    for name in ("tolerance_application", "tolerance_decision", "notification_letter"):
        demo.cases[name] = tol
    return demo


__all__ = ["LONG", "PERSON", "USERS", "Demo", "add_users", "build", "collective_interview", "comprehensive",
           "daily_inspection", "fire", "pre_appointment", "selection", "signed_recommendation", "special_inspection",
           "tolerance"]
