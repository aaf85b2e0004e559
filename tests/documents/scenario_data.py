"""The people and users of the document scenarios, and the helpers every scenario uses."""

from __future__ import annotations

from typing import Any

from workflow import Actor
from workflow import Engine

USERS: dict[str, tuple[str, list[str], str]] = {
    "off": ("张明", ["officer"], "市委组织部干部一科"),
    "off2": ("陈静", ["officer"], "市委组织部干部一科"),
    "rev1": ("李建国", ["reviewer"], "市委组织部"),
    "rev2": ("王卫东", ["reviewer"], "市委组织部"),
    "rec": ("赵志刚", ["recommender"], "市发展改革委"),
    "p1": ("孙丽", ["panelist"], "市委组织部"),
    "p2": ("周强", ["panelist"], "市纪委监委"),
    "p3": ("吴敏", ["panelist"], "市委组织部"),
    "p4": ("郑浩", ["panelist"], "市人社局"),
    "p5": ("冯雪", ["panelist"], "市委组织部"),
    "i1": ("刘洋", ["inspector"], "市委组织部干部二科"),
    "i2": ("黄磊", ["inspector"], "市委组织部干部二科"),
    "aud": ("钱审", ["auditor"], "市委组织部监督科"),
}

PERSON: dict[str, Any] = {
    "name": "林文博",
    "gender": "男",
    "birth_date": "1978-03-15",
    "ethnicity": "汉族",
    "native_place": "浙江宁波",
    "birthplace": "浙江宁波",
    "party_join_date": "2001-06-20",
    "work_start_date": "2000-07-01",
    "rank_level": "township_chief",
    "rank_since": "2018-06-01",
    "post_since": "2018-06-01",
    "grassroots_months": 48,
    "health": "健康",
    "professional_title": "高级经济师",
    "specialty": "财政管理、预算绩效",
    "edu_fulltime_level": "大学",
    "edu_fulltime_degree": "经济学学士",
    "edu_fulltime_school": "浙江大学经济学院财政学专业",
    "edu_inservice_level": "研究生",
    "edu_inservice_degree": "经济学硕士",
    "edu_inservice_school": "中共浙江省委党校经济学专业",
    "unit": "市财政局",
    "current_post": "市财政局预算处处长",
    "proposed_post": "市财政局副局长",
    "proposed_removal": "市财政局预算处处长",
    "rewards_punishments": "2019年度被评为全市优秀共产党员；2022年记三等功一次。",
    "appointment_reason": "工作需要",
    "political_status": "中共党员",
    "id_number": "33020319780315001X",
    "resume": [
        {"start": "1996-09", "end": "2000-07", "text": "浙江大学经济学院财政学专业学习"},
        {"start": "2000-07", "end": "2006-03", "text": "市财政局预算处科员"},
        {
            "start": "2006-03",
            "end": "2012-05",
            "text": "市财政局预算处副主任科员、主任科员"
            "（其间：2008.09--2011.07在中共浙江省委党校经济学专业在职研究生学习）",
        },
        {"start": "2012-05", "end": "2018-01", "text": "市财政局预算处副处长"},
        {"start": "2018-01", "end": "", "text": "市财政局预算处处长"},
    ],
    "family": [
        {
            "relation": "妻子",
            "name": "何晓燕",
            "birth_date": "1980-05",
            "political_status": "中共党员",
            "work": "市第一人民医院主治医师",
        },
        {
            "relation": "儿子",
            "name": "林子涵",
            "birth_date": "2008-09",
            "political_status": "共青团员",
            "work": "市第二中学学生",
        },
        {
            "relation": "父亲",
            "name": "林国栋",
            "birth_date": "1950-02",
            "political_status": "群众",
            "work": "已退休",
        },
        {
            "relation": "母亲",
            "name": "陈秀英",
            "birth_date": "1952-11",
            "political_status": "群众",
            "work": "已退休",
        },
    ],
    "annual_assessments": [
        {"year": 2023, "grade": "优秀"},
        {"year": 2024, "grade": "称职"},
        {"year": 2025, "grade": "优秀"},
    ],
}

LONG = "该同志政治立场坚定，认真学习贯彻党的创新理论，坚决执行上级决策部署，工作中敢于担当、善于攻坚。"


def add_users(engine: Engine) -> dict[str, Actor]:
    out = {}
    for username, (name, roles, unit) in USERS.items():
        if engine.users.find(username) is None:
            engine.users.add(username, roles, "x", name=name, unit=unit)
        out[username] = engine.users.get(username).actor()
    return out


def fire(
    engine: Engine,
    case_id: int,
    event: str,
    actor: Actor,
    data: dict[str, Any] | None = None,
    comment: str = "",
) -> None:
    engine.fire(case_id, event, actor, data or {}, comment=comment)
