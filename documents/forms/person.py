"""The person part of a form: the 干部任免审批表 facts in print order (domain-reference §5.4).

Empty facts stay empty cells (a paper form leaves them blank); missing keys are
impossible, since every key is always set here. 现任职务 is printed with its unit
(``PersonView.post_with_unit``); the age is computed on the date the caller passes
(the case's 计算年龄时间, never the print date); the photo is a ``data:`` URL for the
照片 box, given only to forms that declare ``photo``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import date
from typing import Any

from workflow.codes import code_set
from workflow.people import PersonView

from ..filters import age
from ..filters import cn_date
from ..filters import dot_month
from ..filters import period_of

# Every person fact ``person_facts`` reads: a form that prints them declares them (Form.person).
PERSON_FACTS = ("name", "gender", "birth_date", "ethnicity", "native_place", "birthplace", "party_join_date",
                "work_start_date", "health", "professional_title", "specialty", "edu_fulltime_level",
                "edu_fulltime_degree", "edu_fulltime_school", "edu_inservice_level", "edu_inservice_degree",
                "edu_inservice_school", "unit", "current_post", "proposed_post", "proposed_removal",
                "rewards_punishments", "appointment_reason", "political_status", "resume", "family",
                "annual_assessments", "rank_level", "post_since", "photo")


def _t(profile: Mapping[str, Any], key: str) -> str:
    value = profile.get(key)
    return "" if value is None else str(value)


def photo_url(photo: tuple[str, bytes] | None) -> str:
    if photo is None:
        return ""
    return f"data:{photo[0]};base64,{base64.b64encode(photo[1]).decode('ascii')}"


def _rank(pr: Mapping[str, Any]) -> str:
    code = pr.get("rank_level")
    ranks = code_set("rank_level")
    return ranks.label(code) if isinstance(code, str) and code in ranks else _t(pr, "rank_level")


def person_facts(p: PersonView, on: date, photo: tuple[str, bytes] | None = None) -> dict[str, Any]:
    """Every person fact a form prints, already formatted; ``on`` is the 计算年龄时间."""
    pr = p.profile
    return {
        "name": p.name,
        "gender": p.gender,
        "birth": dot_month(p.birth_date),
        "birth_cn": cn_date(p.birth_date),
        "age": age(p.birth_date, on),
        "ethnicity": _t(pr, "ethnicity"),
        "native_place": _t(pr, "native_place"),
        "birthplace": _t(pr, "birthplace"),
        "party_join": dot_month(pr.get("party_join_date")),
        "work_start": dot_month(pr.get("work_start_date")),
        "health": _t(pr, "health"),
        "professional_title": _t(pr, "professional_title"),
        "specialty": _t(pr, "specialty"),
        "edu_fulltime_level": _t(pr, "edu_fulltime_level"),
        "edu_fulltime_degree": _t(pr, "edu_fulltime_degree"),
        "edu_fulltime_school": _t(pr, "edu_fulltime_school"),
        "edu_inservice_level": _t(pr, "edu_inservice_level"),
        "edu_inservice_degree": _t(pr, "edu_inservice_degree"),
        "edu_inservice_school": _t(pr, "edu_inservice_school"),
        "education": _education(pr),
        "unit": p.unit,
        "current_post": p.post_with_unit,
        "post_only": p.current_post,
        "rank_level": _rank(pr),
        "post_since": dot_month(pr.get("post_since")),
        "photo": photo_url(photo),
        "proposed_post": _t(pr, "proposed_post"),
        "proposed_removal": _t(pr, "proposed_removal"),
        "rewards_punishments": _t(pr, "rewards_punishments"),
        "appointment_reason": _t(pr, "appointment_reason"),
        "political_status": _t(pr, "political_status"),
        "resume": [{"period": period_of(r), "text": str(r.get("text", ""))} for r in pr.get("resume") or []],
        "family": [_family(f, on) for f in pr.get("family") or []],
        "annual": [
            {"year": int(a.get("year", 0)), "grade": str(a.get("grade", ""))}
            for a in sorted(pr.get("annual_assessments") or [], key=lambda a: int(a.get("year", 0)))
        ],
    }


def _education(pr: Mapping[str, Any]) -> str:
    """The highest education in one line, as in a 任前公示 detail line: 研究生学历、经济学硕士."""
    level = _t(pr, "edu_inservice_level") or _t(pr, "edu_fulltime_level")
    degree = _t(pr, "edu_inservice_degree") or _t(pr, "edu_fulltime_degree")
    parts = [f"{level}学历" if level else "", degree]
    return "、".join(x for x in parts if x)


def _family(f: Mapping[str, Any], on: date) -> dict[str, str]:
    birth = str(f.get("birth_date", "") or "")
    try:
        years = f"{age(birth, on)}" if birth else ""
    except ValueError:  # a birth text that is not a date: printed as written, no age
        years = ""
    return {
        "relation": str(f.get("relation", "")),
        "name": str(f.get("name", "")),
        "birth": dot_month(birth) if birth else "",
        "age": years,
        "political_status": str(f.get("political_status", "")),
        "work": str(f.get("work", "")),
    }


def annual_line(annual: list[dict[str, Any]], last: int = 3) -> str:
    """年度考核结果 of the last years: 2023年度优秀，2024年度称职，2025年度优秀."""
    return "，".join(f"{a['year']}年度{a['grade']}" for a in annual[-last:])
