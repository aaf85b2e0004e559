# ruff: noqa: E501  (demo scripts are mostly Chinese data; ruff counts each character double)
"""The demo cases, one script per procedure (see web/demo/__init__.py). Every date is in the past."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .runner import Demo
from .runner import Step

LONG = "该同志政治立场坚定，理想信念坚定，工作思路清晰，敢于担当、善于攻坚，在重大项目推进中发挥了骨干作用，群众公认度高。"


def _recommendation(subject: str, post: str) -> dict[str, Any]:
    return {
        "recommender_post": "江州市发展和改革委员会党组书记、主任", "relationship": "上下级", "acquaintance": "很了解",
        "direction": "定向", "target_post": post,
        "merit_virtue": f"{subject}同志政治立场坚定，始终在思想上政治上行动上同党中央保持高度一致，品行端正。",
        "merit_ability": "综合协调和文字能力强，熟悉本领域政策法规。", "merit_diligence": "工作勤勉，经常加班加点，敢于啃硬骨头。",
        "merit_performance": "近三年牵头完成多项重点任务，成绩突出。",
        "typical_examples": "2025年牵头起草全市生态环境保护督察整改方案，按期完成整改任务47项，受到省督察组肯定。",
        "shortcomings": "基层一线工作经历相对较少，有时对下属要求过急。", "integrity_status": "未发现违反廉洁自律规定的问题。",
        "pledge": True,
    }


CHECKS_OK = {"check_basic": "符合", "check_education": "符合", "check_tenure": "符合", "check_disqualification": "符合"}


def signed_recommendations(d: Demo) -> None:
    # 干部科 opens each recommendation for its recommender (a cadre's record is not the recommender's to
    # see); the recommender then fills it in and signs it.
    if (cid := d.open("signed_recommendation", "王建设署名推荐赵丽同志", "赵丽", "officer1",
                      {"recommender": "recommender1"})):
        d.run(cid, [("submit", "recommender1", _recommendation("赵丽", "江州市生态环境局副局长")),
                    ("register", "officer1", {"received_on": "2026-03-10"}),
                    ("start_review", "officer1", {**CHECKS_OK, "review_notes": "经审查，符合提任副处级领导职务的资格条件。"}),
                    ("include", "reviewer1", {"decision_opinion": "同意纳入市生态环境局副局长人选范围。"})])
    if (cid := d.open("signed_recommendation", "李红梅署名推荐孙静同志", "孙静", "officer2",
                      {"recommender": "recommender2"})):
        d.run(cid, [("submit", "recommender2", {**_recommendation("孙静", "市委办公室副主任"),
                                                 "recommender_post": "江州市生态环境局党组书记、局长", "relationship": "其他",
                                                 "acquaintance": "比较了解"})])
    if (cid := d.open("signed_recommendation", "王建设署名推荐黄磊同志", "黄磊", "officer1",
                      {"recommender": "recommender1"})):
        d.run(cid, [("submit", "recommender1", {**_recommendation("黄磊", "南湖区副区长"), "relationship": "无工作关系",
                                                 "acquaintance": "一般了解"}),
                    ("register", "officer1", {"received_on": "2026-06-02"}),
                    ("start_review", "officer2", {**CHECKS_OK, "check_tenure": "不符合", "check_disqualification": "不符合",
                                                  "review_notes": "任现职不满两年；上年度考核为基本称职。"}),
                    ("not_include", "reviewer2", {"not_include_reason": "任职年限不符合，且上年度考核为基本称职，不得列为考察对象。"})])
    d.open("signed_recommendation", "李红梅署名推荐何婷同志", "何婷", "officer2", {"recommender": "recommender2"})


def _panel_plan(panel: list[str], when: str) -> dict[str, Any]:
    return {"panel": panel, "chair": panel[0], "recorder": "officer2", "interview_time": when, "place": "市委组织部三楼会议室",
            "duration_minutes": 60, "outline": "1. 对拟任岗位的认识和工作思路；2. 近三年最有代表性的工作实绩；3. 自身主要缺点和不足。"}


def _scores(values: list[int], comment: str) -> dict[str, Any]:
    keys = ("score_political", "score_capability", "score_commitment", "score_conduct", "score_integrity")
    return {**dict(zip(keys, values, strict=True)), "score_comment": comment}


def interviews(d: Demo) -> None:
    panel = ["panelist1", "panelist2", "panelist3", "panelist4", "panelist5"]
    if (cid := d.open("collective_interview", "赵丽同志集体面谈", "赵丽", data={"purpose": "市生态环境局副局长人选考察"})):
        marks = [[95, 92, 93, 94, 96], [90, 88, 91, 90, 92], [88, 86, 90, 87, 91], [92, 90, 92, 91, 93], [80, 82, 85, 84, 88]]
        steps: list[Step] = [("schedule", "officer1", _panel_plan(panel, "2026-04-15T09:00:00+08:00")),
                             ("begin_interview", "officer1", {"held_at": "2026-04-15T09:00:00+08:00"})]
        steps += [("score", p, _scores(m, "回答问题思路清晰，举例具体，对岗位认识到位。")) for p, m in zip(panel, marks, strict=True)]
        steps += [("close_scoring", "officer1", {}),
                  ("record_minutes", "officer2", {"minutes_text": "2026年4月15日上午，面谈组5名成员与赵丽同志集体面谈约60分钟。"
                                                                  "面谈对象围绕岗位认识、工作实绩和不足作了回答，面谈组成员逐一发表意见。",
                                                  "conclusion": "面谈结论为好，建议作为考察对象。", "problems": "对基层执法工作了解不够深入。"}),
                  ("approve", "reviewer1", {"approve_opinion": "同意面谈结论。"})]
        d.run(cid, steps)
    if (cid := d.open("collective_interview", "何婷同志集体面谈", "何婷", data={"purpose": "市商务局副局长人选考察"})):
        d.run(cid, [("schedule", "officer1", _panel_plan(["panelist1", "panelist2", "panelist3"], "2026-11-24T14:30:00+08:00")),
                    ("begin_interview", "officer1", {"held_at": "2026-11-24T14:30:00+08:00"}),
                    ("score", "panelist1", _scores([88, 90, 86, 87, 90], "外贸业务熟悉，表达流畅。")),
                    ("score", "panelist2", _scores([85, 87, 84, 86, 88], "思路开阔，基层经验略少。"))])
    if (cid := d.open("collective_interview", "黄磊同志集体面谈", "黄磊", data={"purpose": "南湖区副区长人选考察"})):
        d.run(cid, [("schedule", "officer2", _panel_plan(["panelist3", "panelist4", "panelist5"], "2026-12-02T09:00:00+08:00"))])


def _record(kind: str, day: str, text: str) -> Step:
    return ("record", "officer1", {"record_kind": kind, "record_date": day, "record_content": text})


def daily(d: Demo) -> None:
    if (cid := d.open("daily_inspection", "赵丽同志2026年度日常考察", "赵丽",
                      data={"period": "2026年度", "observers": ["inspector1"]})):
        d.run(cid, [_record("谈心谈话", "2026-01-20", "围绕年度工作打算谈心，该同志思路清晰，对存在不足认识深刻。"),
                    _record("列席会议", "2026-03-12", "列席市生态环境局党组会，该同志汇报督察整改工作条理清楚、数据翔实。"),
                    ("record", "inspector1", {"record_kind": "调研走访", "record_date": "2026-05-08",
                                              "record_content": "走访局机关处室和基层站所，干部普遍反映该同志作风务实、协调能力强。"}),
                    _record("个人事项监测", "2026-06-30", "2026年个人有关事项报告随机抽查结果一致。"),
                    ("analyze", "officer1", {"analysis_text": "四次日常了解情况相互印证：该同志政治素质好，工作实绩突出，作风扎实，群众公认度高。"}),
                    ("file", "reviewer1", {"evaluation": "日常表现好，可作为进一步使用的人选。", "tags": ["担当作为"], "grade": "好"})])
    if (cid := d.open("daily_inspection", "孙静同志2026年度日常考察", "孙静", "officer2", {"period": "2026年度"})):
        d.run(cid, [_record("谈心谈话", "2026-09-18", "该同志反映文稿任务重，主动提出加强科室梯队建设的想法。"),
                    _record("信访监测", "2026-10-30", "经查询，未收到反映该同志的信访举报。")])


SPECIAL_TEAM = {"team": ["inspector1", "inspector2"], "team_leader": "inspector1"}


def special(d: Demo) -> None:
    if (cid := d.open("special_inspection", "刘洋同志防汛抢险专项考察", "刘洋",
                      data={"inspection_trigger": "急难险重任务", "trigger_detail": "2026年7月特大暴雨防汛抢险和灾后交通设施抢修"})):
        d.run(cid, [("form_team", "officer1", {**SPECIAL_TEAM, "plan": "通过个别谈话、实地走访、查阅资料了解其在防汛抢险中的表现。"}),
                    ("begin", "officer1", {"began_on": "2026-08-10"}),
                    ("record", "inspector2", {"finding_kind": "个别谈话", "finding_date": "2026-08-11",
                                              "finding_content": "与交通运输局班子成员和抢修一线人员谈话15人，普遍反映其连续一周驻守抢修现场。"}),
                    ("record", "inspector1", {"finding_kind": "实地走访", "finding_date": "2026-08-12",
                                              "finding_content": "实地查看G235线水毁路段抢修情况，72小时内恢复通行。"}),
                    ("draft_report", "inspector1", {"report_text": "刘洋同志在防汛抢险中靠前指挥，" + LONG, "performance_tags": ["担当作为"],
                                                    "conclusion_grade": "好", "suggestion": "建议在干部选拔任用中优先考虑。"}),
                    ("sign_report", "inspector1", {}), ("sign_report", "inspector2", {}),
                    ("approve", "reviewer1", {"approve_opinion": "同意考察组意见，记入干部档案。"})])
    if (cid := d.open("special_inspection", "陈强同志巡视整改专项考察", "陈强",
                      data={"inspection_trigger": "巡视整改", "trigger_detail": "东湖区落实市委巡察反馈问题整改"})):
        d.run(cid, [("form_team", "officer2", {"team": ["inspector2", "inspector3"], "team_leader": "inspector2",
                                               "plan": "了解其牵头负责的巡察整改任务落实情况。"}),
                    ("begin", "officer2", {"began_on": "2026-11-02"}),
                    ("record", "inspector3", {"finding_kind": "查阅资料", "finding_date": "2026-11-05",
                                              "finding_content": "查阅整改台账，牵头的12项整改任务已完成10项。"}),
                    ("draft_report", "inspector2", {"report_text": "陈强同志牵头巡察整改，" + LONG, "performance_tags": ["担当作为"],
                                                    "conclusion_grade": "较好"}),
                    ("sign_report", "inspector2", {})])


def _inspection(notice: str, begin: str, rest: tuple[str, str, str, str]) -> list[Step]:
    evaluation, feedback, report, concluded = rest
    return [("form_team", "officer1", {"team": ["inspector1", "inspector2"], "team_leader": "inspector1",
                                       "plan_text": "通过个别谈话、民主测评、实地走访、查阅档案等方式全面考察。"}),
            ("announce", "officer1", {"notice_date": notice, "notice_scope": "考察对象所在单位", "notice_form": "张贴公告",
                                      "supervision_phone": "0519-12380"}),
            ("begin", "officer1", {"inspection_start_date": begin}),
            ("record_evaluation", "inspector2", {"evaluation_date": evaluation, "talk_count": 32, "ballots_issued": 40,
                                                 "ballots_returned": 40, "ballots_valid": 39, "votes_excellent": 31,
                                                 "votes_competent": 8, "votes_basic": 0, "votes_incompetent": 0,
                                                 "talk_summary": "谈话对象普遍认为该同志政治素质好、业务能力强。"}),
            ("to_checks", "officer1", {}),
            ("record_checks", "officer1", {"archive_review": "通过", "personal_matters": "一致", "discipline_opinion": "无问题",
                                           "petition_check": "无", "integrity_conclusion": "该同志严格遵守廉洁自律规定，未发现问题。",
                                           "integrity_party_secretary": "王建设", "integrity_discipline_secretary": "刘正"}),
            ("material", "inspector1", {"material_text": LONG * 4, "material_shortcomings": "基层一线工作经历相对较少，抓工作有时节奏偏急。",
                                        "appointment_suggestion": "建议任拟任职务。"}),
            ("sign_material", "inspector1", {}), ("sign_material", "inspector2", {}),
            ("feedback", "inspector1", {"feedback_date": feedback, "feedback_leader": "所在单位党组书记",
                                        "feedback_opinion": "同意考察组意见。"}),
            ("report", "inspector1", {"report_date": report}),
            ("conclude", "reviewer1", {"meeting_date": concluded, "conclusion": "fit",
                                       "meeting_opinion": "部务会研究同意考察组意见，提交市委常委会讨论。"})]


def _selection(post: str, unit: str, post_kind: str = "appoint", move_kind: str = "promotion",
               rank: str = "county_deputy") -> dict[str, Any]:
    reason = "领导班子副职空缺1名，根据工作需要和班子结构提出。" if move_kind == "promotion" else "根据干部交流工作安排和班子结构需要提出。"
    return {"target_post": post, "target_unit": unit, "selection_method": "个别提拔" if move_kind == "promotion" else "交流任职",
            "selection_reason": reason, "post_kind": post_kind, "move_kind": move_kind, "exceptional": "none",
            "target_rank": rank}


def _motion(d: Demo, name: str, approved: str, recommended: str, decided: str, other: str = "刘洋") -> list[Step]:
    votes = [{"person_id": d.people[name], "votes": 35}, {"person_id": d.people[other], "votes": 6}]
    rounds = {"recommendation_date": recommended, "posts": 1, "participants_expected": 45, "participants_present": 42,
              "candidates": votes}
    return [("approve_plan", "reviewer2", {"plan_summary": "职位1名；在本系统范围内个别提拔；经谈话调研推荐和会议推荐产生人选。",
                                           "plan_approved_on": approved, "reported_to_leaders": True}),
            ("recommend", "officer1", {**rounds, "method": "talks"}),
            ("recommend", "officer1", {**rounds, "method": "meeting", "ballots_valid": 41}),
            ("set_candidates", "reviewer2", {"candidates_decided_on": decided, "candidate_mode": "等额考察",
                                             "candidate_basis": "推荐得票集中，日常表现和年度考核好，人岗相适。"})]


def _decide(meeting: str, consulted: str) -> list[Step]:
    return [("consult", "officer1", {"consulted_on": consulted, "consulted_with": "市委书记、市长、市委副书记、组织部部长",
                                     "consult_opinion": "同意提交市委常委会讨论。"}),
            ("decide", "reviewer3", {"meeting_date": meeting, "meeting_body": "中共江州市委常委会会议", "members_total": 11,
                                     "members_present": 10, "members_recused": 0, "votes_for": 10, "votes_against": 0,
                                     "votes_postpone": 0, "decision_record": "常委逐一发表意见，书记最后表态，一致同意。"})]


def _notice(start: str, end: str) -> Step:
    return ("publish_notice", "officer1", {"notice_start": start, "notice_end": end, "notice_scope": "江州日报、江州组工网",
                                           "notice_phone": "0519-12380", "notice_mailbox": "jzzgw@example.cn",
                                           "notice_address": "江州市人民路1号市委组织部干部监督科"})


def _inspected(d: Demo, cid: int, start: str, checks: str, dates: tuple[str, str, str, str]) -> None:
    d.run(cid, [("start_inspection", "officer1", {})])
    d.run(d.child(cid, "inspection_case_id"), _inspection(start, checks, dates))
    d.run(cid, [("to_deliberation", "officer1", {})])


def selections(d: Demo) -> None:
    """One case per path: 提拔 with 试用期 (李明), 提拔 in 公示 (王芳), 平级交流 (钱伟), an elected post
    (陈强 elected, 周涛 at 民主推荐), a 人大任命 post (马骏, at 动议), and a 差额考察 (赵丽, 孙静)."""
    if (cid := d.open("selection_appointment", "李明同志拟任市发展和改革委员会副主任", "李明",
                      data=_selection("江州市发展和改革委员会副主任", "江州市发展和改革委员会"))):
        d.run(cid, _motion(d, "李明", "2025-06-10", "2025-06-20", "2025-07-01"))
        _inspected(d, cid, "2025-07-04", "2025-07-07", ("2025-07-09", "2025-07-18", "2025-07-21", "2025-07-24"))
        d.run(cid, [*_decide("2025-07-28", "2025-07-25"), _notice("2025-07-29", "2025-08-04"),
                    ("appoint", "officer1", {"notice_result": "无反映", "appointment_date": "2025-08-06",
                                             "appointment_doc_no": "江委〔2025〕86号", "appointment_talk": "2025年8月7日由市委组织部副部长任职谈话。"}),
                    ("confirm", "reviewer3", {"probation_assessment": "胜任", "assessed_on": "2026-08-06",
                                              "assessment_summary": "试用期满考核，民主测评称职以上票占97%，考核胜任。"})])
    if (cid := d.open("selection_appointment", "王芳同志拟任市财政局副局长", "王芳",
                      data=_selection("江州市财政局副局长", "江州市财政局"))):
        d.run(cid, _motion(d, "王芳", "2026-09-01", "2026-09-15", "2026-09-25"))
        _inspected(d, cid, "2026-10-09", "2026-10-12", ("2026-10-14", "2026-10-23", "2026-10-26", "2026-10-30"))
        d.run(cid, [*_decide("2026-11-16", "2026-11-12"), _notice("2026-11-23", "2026-11-27")])
    if (cid := d.open("selection_appointment", "钱伟同志交流任市文化广电和旅游局副局长", "钱伟",
                      data=_selection("江州市文化广电和旅游局副局长", "江州市文化广电和旅游局", move_kind="transfer"))):
        d.run(cid, _motion(d, "钱伟", "2026-05-06", "2026-05-15", "2026-05-25"))
        _inspected(d, cid, "2026-06-01", "2026-06-03", ("2026-06-05", "2026-06-12", "2026-06-15", "2026-06-18"))
        d.run(cid, [*_decide("2026-06-26", "2026-06-23"),
                    ("appoint", "officer1", {"appointment_date": "2026-06-29", "appointment_doc_no": "江委〔2026〕61号",
                                             "appointment_talk": "2026年6月30日由市委组织部部长任职谈话。"})])
    if (cid := d.open("selection_appointment", "陈强同志拟任东湖区委副书记", "陈强",
                      data=_selection("中共江州市东湖区委副书记", "中共江州市东湖区委员会", "elect", "transfer"))):
        d.run(cid, _motion(d, "陈强", "2026-08-03", "2026-08-12", "2026-08-20"))
        _inspected(d, cid, "2026-08-24", "2026-08-26", ("2026-08-28", "2026-09-04", "2026-09-08", "2026-09-11"))
        d.run(cid, [*_decide("2026-09-18", "2026-09-15"),
                    ("nominate", "officer1", {"nomination_date": "2026-09-21", "nomination_to": "中共东湖区委员会全体会议",
                                              "nomination_doc_no": "江委组〔2026〕44号"}),
                    ("elect", "officer1", {"election_date": "2026-09-25", "election_body": "中共东湖区委第五届委员会第九次全体会议",
                                           "electors": 35, "electors_present": 33, "election_votes": 32})])
    # 周涛 is within an 影响期 (容错纠错 从轻, 诫勉): 确定考察对象 is refused until it ends.
    if (cid := d.open("selection_appointment", "周涛同志拟任西山县委副书记", "周涛",
                      data=_selection("中共西山县委副书记", "中共江州市西山县委员会", "elect", "transfer"))):
        d.run(cid, _motion(d, "周涛", "2026-10-08", "2026-10-15", "2026-10-20")[:3])
    d.open("selection_appointment", "马骏同志拟任市水利局局长", "马骏",
           data=_selection("江州市水利局局长", "江州市水利局", "npc_appoint", rank="county_chief"))
    multi_candidates(d)


def multi_candidates(d: Demo) -> None:
    """差额考察 (赵丽 and 孙静 for one post): both inspected, 孙静 concluded 暂缓任用; the case waits at
    讨论决定, where the 表决人选 is chosen among those concluded 可以任用."""
    if not (cid := d.open("selection_appointment", "市生态环境局副局长人选（差额考察）", "赵丽",
                          data=_selection("江州市生态环境局副局长", "江州市生态环境局"))):
        return
    d.run(cid, _motion(d, "赵丽", "2026-09-07", "2026-09-21", "2026-10-09", other="孙静")[:3])
    listed = [{"person_id": d.people[name]} for name in ("赵丽", "孙静")]
    d.run(cid, [("set_candidates", "reviewer2", {"candidates_decided_on": "2026-10-09", "candidate_mode": "差额考察",
                                                 "inspection_candidates": listed,
                                                 "candidate_basis": "两人推荐得票居前，均符合任职资格，按1:2差额考察。"}),
                ("start_inspection", "officer1", {})])
    for child, conclusion in zip(d.engine.get_case(cid).data["inspection_case_ids"], ("fit", "postpone"), strict=True):
        steps = _inspection("2026-10-12", "2026-10-14", ("2026-10-16", "2026-10-23", "2026-10-26", "2026-10-29"))
        event, who, data = steps[-1]
        d.run(child, [*steps[:-1], (event, who, {**data, "conclusion": conclusion})])
    d.run(cid, [("to_deliberation", "officer1", {}), _decide("2026-11-20", "2026-11-18")[0]])


def pre_inspection(d: Demo) -> None:
    if (cid := d.open("pre_appointment_inspection", "郑华同志任前考察", "郑华", data={"proposed_post": "江州市住房和城乡建设局局长"})):
        steps = _inspection("2026-06-01", "2026-06-03", ("2026-06-05", "", "", ""))[:5]
        steps += [("record_checks", "officer1", {"archive_review": "通过", "personal_matters": "瞒报",
                                                 "personal_matters_note": "未报告配偶名下房产2套。"}),
                  ("terminate", "officer1", {"terminate_reason": "个人有关事项报告查核认定为瞒报，依规终止考察。"})]
        d.run(cid, steps)


def comprehensive(d: Demo) -> None:
    if (cid := d.open("comprehensive_evaluation", "赵丽同志综合评定", "赵丽", data={"evaluation_purpose": "2026年度综合分析研判"})):
        d.run(cid, [("link", "officer1", {}),
                    ("evaluate", "officer1", {"analysis": "日常考察记实4条与近三年年度考核结果相互印证，一贯表现好。"}),
                    ("draft_rating", "officer1", {"grade": "优秀", "profile": "政治坚定、担当务实、善于统筹的复合型年轻干部。",
                                                  "strengths": "统筹协调能力强，敢于攻坚。", "weaknesses": "基层执法工作经历偏少。"}),
                    ("rate", "reviewer1", {"rating_opinion": "同意"}), ("rate", "reviewer2", {"rating_opinion": "同意"})])
    if (cid := d.open("comprehensive_evaluation", "刘洋同志综合评定", "刘洋", "officer2", {"evaluation_purpose": "后备干部综合研判"})):
        d.run(cid, [("link", "officer2", {})])


FACTORS = {"factor_motive": "为抢抓省级产业扶持政策窗口期，推动项目尽快落地", "factor_conditions": "政策申报期仅剩10天，上级对先行开工无明确禁止",
           "factor_procedure": "经县政府常务会议集体研究，事后补办用地手续", "factor_nature": "属程序性失误，情节较轻",
           "factor_consequence": "项目已按期投产，未造成国有资产损失", "factor_recovery": "已全部补办手续并缴纳相关费用",
           "three_distinctions": "属于推动发展中的无意过失，未谋取私利，不是明知故犯。", "statement": "本人对程序瑕疵负有责任，请求组织容错。"}


def _determine(outcome: str, meeting: str, key: str = "determination_reason") -> dict[str, Any]:
    return {"outcome": outcome, "decision_body": "中共西山县委常委会", "decision_meeting_date": meeting, "members_total": 11,
            "members_present": 10, "votes_for": 9, "influence_start": "2026-04-10", "influence_end": "2027-04-09",
            "measure_kind": "诫勉", key: "存在程序瑕疵但出于公心、未谋取私利，符合从轻处理情形。"}


def tolerance(d: Demo) -> None:
    if (cid := d.open("error_tolerance_review", "周涛同志容错纠错申请", "周涛",
                      data={"accountability_matter": "西山县产业园项目未批先建问题"})):
        d.run(cid, [("apply", "officer1", {"applicant": "本人", "applicant_name": "周涛", "accountability_notice_date": "2026-03-02",
                                           "application_date": "2026-03-05", "application_reason": "项目先行开工系为抢抓政策窗口期，出于公心，请求组织按照三个区分开来予以容错。"}),
                    ("accept", "reviewer1", {"accepted_on": "2026-03-09"}), ("investigate", "officer1", FACTORS),
                    ("determine", "reviewer2", _determine("从轻", "2026-04-10")),
                    ("notify", "officer1", {"notified_on": "2026-04-13", "notify_method": "当面送达", "notified_persons": "周涛及西山县人民政府"}),
                    ("appeal", "officer1", {"appeal_date": "2026-04-20", "appeal_reason": "本人认为已及时补办手续，应予免责。"}),
                    ("review", "reviewer3", {**_determine("从轻", "2026-05-12", "review_reason"), "review_conclusion": "维持原认定",
                                             "review_date": "2026-05-12"}),
                    ("notify", "officer1", {"notified_on": "2026-05-13", "notify_method": "当面送达", "notified_persons": "周涛"}),
                    ("correct", "officer1", {"rectification_plan": "全面梳理县内在建项目审批手续，建立重大项目审批前置审查机制。",
                                             "rectification_deadline": "2026-08-31", "followup_arrangement": "整改期内每季度回访一次。"}),
                    ("follow_up", "officer1", {"followup_date": "2026-06-15", "followup_content": "已完成38个在建项目手续排查，建立审批台账。"}),
                    ("follow_up", "officer1", {"followup_date": "2026-09-15", "followup_content": "前置审查机制运行良好，该同志工作状态积极。"}),
                    ("close", "officer1", {"close_summary": "整改措施全部落实，从轻处理影响期至2027年4月9日。"})])
    if (cid := d.open("error_tolerance_review", "吴敏同志容错纠错申请", "吴敏", "officer2",
                      {"accountability_matter": "课后服务试点经费使用不规范问题"})):
        d.run(cid, [("apply", "officer2", {"applicant": "所在单位", "applicant_name": "江州市教育局", "accountability_notice_date": "2026-10-22",
                                           "application_date": "2026-10-26", "application_reason": "课后服务试点为全省首批改革探索，经费使用规定尚不明确。"}),
                    ("accept", "reviewer1", {"accepted_on": "2026-10-28"}),
                    ("investigate", "officer2", {**FACTORS, "factor_motive": "推进课后服务改革试点",
                                                 "factor_conditions": "省级经费管理办法尚未出台"})])
    if (cid := d.open("error_tolerance_review", "马骏同志容错纠错申请", "马骏", data={"accountability_matter": "河道整治工程延期问题"})):
        d.run(cid, [("apply", "officer1", {"applicant": "本人", "applicant_name": "马骏", "accountability_notice_date": "2026-08-03",
                                           "application_date": "2026-08-05", "application_reason": "工程延期系汛期提前、连续强降雨等客观原因所致，本人已尽到职责。"}),
                    ("refuse", "reviewer2", {"refuse_reason": "工程延期的主要原因是前期工作不实，不属于改革创新中的失误，不予受理。"})])


SCRIPTS: list[Callable[[Demo], None]] = [signed_recommendations, interviews, daily, special, pre_inspection, tolerance,
                                          selections, comprehensive]
