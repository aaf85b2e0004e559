"""The steps of the selection spine (干部选拔任用) and its linked 任前考察, as data.

Each step is (who, event, values, state label after). The browser test fires them
through the pages; the README screenshot script fires some through the engine.
Dates are in the past: officers record steps after they happened.
"""

from __future__ import annotations

from typing import Any

Step = tuple[str, str, dict[str, Any], str]
SHORTCOMINGS = "统筹全局的经验尚需积累，对下属要求较急，有时耐心不够，需在实践中改进。"
MATERIAL = ("该同志政治立场坚定，坚决贯彻落实党中央决策部署；熟悉发展改革业务，统筹协调能力强；"
            "工作积极主动，敢于担当，在重点项目推进和审批制度改革中实绩突出；作风扎实，联系群众紧密；"
            "遵守廉洁自律规定，民主测评优秀率百分之七十以上，群众公认度高。")

START = {"target_post": "市发展改革委副主任", "target_unit": "市发展和改革委员会", "selection_method": "个别提拔",
         "selection_reason": "市发展改革委班子缺额一名副主任，经分析研判，拟从委内选拔。", "post_kind": "appoint",
         "move_kind": "promotion", "exceptional": "none", "target_rank": "county_deputy"}
# What 任用条例第八条 reads of the candidate: 正科 for over three years, work and grassroots years, education.
QUALIFIED = {"rank_level": "township_chief", "rank_since": "2020-01-01", "post_since": "2020-01-01",
             "work_start_date": "2003-07-01", "grassroots_months": 36, "edu_fulltime_level": "大学本科毕业"}
SUBJECT = "SUBJECT"  # stands for the case's person in a candidates table (for_subject)

BEFORE_INSPECTION: list[Step] = [
    ("reviewer", "approve_plan", {"plan_summary": "职位：副主任；条件：任正科满三年；范围：委内；方式：个别提拔。",
                                  "plan_approved_on": "2025-08-01", "reported_to_leaders": True}, "民主推荐"),
    ("officer", "recommend", {"method": "talks", "recommendation_date": "2025-08-04", "posts": 1,
                              "participants_expected": 30, "participants_present": 29,
                              "candidates": [{"person_id": SUBJECT, "votes": 22}]},
     "民主推荐"),
    ("officer", "recommend", {"method": "meeting", "recommendation_date": "2025-08-05", "posts": 1,
                              "participants_expected": 30, "participants_present": 28, "ballots_valid": 27,
                              "candidates": [{"person_id": SUBJECT, "votes": 20}]}, "民主推荐"),
    ("reviewer", "set_candidates", {"candidates_decided_on": "2025-08-08", "candidate_mode": "等额考察",
                                    "candidate_basis": "综合民主推荐、日常了解和年度考核情况确定。"}, "确定考察对象"),
    ("officer", "start_inspection", {}, "考察"),
]

INSPECTION: list[Step] = [
    ("officer", "form_team", {"team": ["i1", "i2"], "team_leader": "i1", "plan_text": "考察组二人，组长考察一。"},
     "组建考察组"),
    ("officer", "announce", {"notice_date": "2025-08-11", "notice_scope": "市发展改革委全体干部",
                             "notice_form": "张贴公告", "supervision_phone": "0000-12380"}, "考察预告"),
    ("officer", "begin", {"inspection_start_date": "2025-08-13"}, "考察中"),
    ("i1", "record_evaluation", {"evaluation_date": "2025-08-14", "talk_count": 20, "ballots_issued": 30,
                                 "ballots_returned": 29, "ballots_valid": 28, "votes_excellent": 20,
                                 "votes_competent": 8, "votes_basic": 0, "votes_incompetent": 0}, "考察中"),
    ("officer", "to_checks", {}, "凡提四必"),
    ("officer", "record_checks", {"archive_review": "通过", "personal_matters": "一致", "discipline_opinion": "无问题",
                                  "petition_check": "无", "integrity_conclusion": "廉洁自律情况良好。",
                                  "integrity_party_secretary": "张书记", "integrity_discipline_secretary": "李书记"},
     "凡提四必"),
    ("i1", "material", {"material_text": MATERIAL,
                        "material_shortcomings": SHORTCOMINGS,
                        "appointment_suggestion": "建议任市发展改革委副主任。"}, "考察材料"),
    ("i1", "sign_material", {}, "考察材料"),
    ("i2", "sign_material", {}, "反馈"),
    ("i1", "feedback", {"feedback_date": "2025-08-20", "feedback_leader": "市发展改革委主任",
                        "feedback_opinion": "同意考察组意见。"}, "反馈"),
    ("i1", "report", {"report_date": "2025-08-21"}, "部务会研究"),
    ("reviewer", "conclude", {"meeting_date": "2025-08-25", "conclusion": "fit",
                              "meeting_opinion": "同意。"}, "考察结束"),
]

AFTER_INSPECTION: list[Step] = [
    ("officer", "to_deliberation", {}, "讨论决定"),
    ("officer", "consult", {"consulted_on": "2025-08-28", "consulted_with": "书记、副书记、组织部部长",
                            "consult_opinion": "同意提交常委会讨论。"}, "讨论决定"),
    ("reviewer", "decide", {"meeting_date": "2025-09-01", "meeting_body": "市委常委会第25次会议",
                            "members_total": 9, "members_present": 8, "members_recused": 0, "votes_for": 7,
                            "votes_against": 1, "votes_postpone": 0,
                            "decision_record": "经充分讨论，无记名投票表决，同意7票。"}, "已决定"),
    ("officer", "publish_notice", {"notice_start": "2025-09-02", "notice_end": "2025-09-09",
                                   "notice_scope": "市管干部任前公示", "notice_phone": "0000-12380",
                                   "notice_address": "市委组织部干部监督科"}, "任前公示"),
    ("officer", "appoint", {"notice_result": "无反映", "appointment_date": "2025-09-10",
                            "appointment_doc_no": "市委〔2025〕88号"}, "任职（试用期）"),
    ("reviewer", "confirm", {"probation_assessment": "胜任", "assessed_on": "2026-09-15",
                             "assessment_summary": "试用期满考核胜任。"}, "正式任职"),
]


def for_subject(steps: list[Step], person_id: int) -> list[Step]:
    """The steps with SUBJECT in candidate tables replaced by the case's person."""
    def cell(v: Any) -> Any:
        return person_id if v == SUBJECT else v
    return [(who, event, {k: [{c: cell(x) for c, x in row.items()} for row in v] if isinstance(v, list)
                          and v and isinstance(v[0], dict) else v for k, v in values.items()}, state)
            for who, event, values, state in steps]
