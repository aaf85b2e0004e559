"""Shared set-up for the ballot tests: a 任前考察 case in 考察中, a 选拔任用 case in 民主推荐."""

from __future__ import annotations

from typing import Any

from ..api.conftest import ApiClient
from ..procedures.helpers import inspection_steps

RECOMMEND = {"method": "meeting", "recommendation_date": "2026-11-20", "posts": 1}


def investigating(api: ApiClient) -> tuple[int, int]:
    """(case id, subject id) of a pre_appointment_inspection case in ``investigating``."""
    person = api.person()
    eng = api.engine
    case = eng.start_case("pre_appointment_inspection", api.actor("officer"), title="任前考察", subject_id=person)
    for event, who, data in inspection_steps()[:3]:
        case = eng.fire(case.id, event, api.actor(who), data, case.version).case
    assert case.state == "investigating"
    return case.id, person


def in_recommendation(api: ApiClient) -> tuple[int, int]:
    person = api.person()
    eng = api.engine
    case = eng.start_case("selection_appointment", api.actor("officer"), title="选拔任用", subject_id=person,
                          data={"target_post": "副局长", "target_unit": "某县财政局", "selection_method": "个别提拔",
                                "selection_reason": "工作需要", "post_kind": "appoint", "move_kind": "promotion",
                                "exceptional": "none", "target_rank": "county_deputy"})
    case = eng.fire(case.id, "approve_plan", api.actor("reviewer"),
                    {"plan_summary": "方案", "plan_approved_on": "2026-11-10", "reported_to_leaders": True},
                    case.version).case
    assert case.state == "recommendation"
    return case.id, person


def evaluation_ballot(subject: int, voters: int = 5) -> dict[str, Any]:
    return {"kind": "evaluation", "title": "张三同志民主测评", "voters": voters,
            "items": [{"key": "zs", "label": "张三", "person_id": subject}]}


def recommendation_ballot(subject: int, voters: int = 6) -> dict[str, Any]:
    return {"kind": "recommendation", "title": "副局长人选会议推荐", "voters": voters,
            "items": [{"key": "post", "label": "副局长", "max_choices": 1,
                       "options": [{"label": "张三", "person_id": subject}, "李四", "王五"]}]}
