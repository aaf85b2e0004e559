"""Forms of 署名推荐 and 集体面谈: 领导干部署名推荐表, 受理登记回执, 集体面谈记录表."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..filters import cn_date
from .common import BLANK
from .common import FormInputs
from .common import base_context
from .common import local_instant
from .person import person_facts

MERITS = (
    ("merit_virtue", "德"),
    ("merit_ability", "能"),
    ("merit_diligence", "勤"),
    ("merit_performance", "绩"),
)


def _subject(inputs: FormInputs) -> Any:
    if inputs.subject is None:
        raise ValueError(f"案件{inputs.case.id}没有所涉干部，不能生成此文书")
    return inputs.subject


def signed_recommendation_form(inputs: FormInputs) -> dict[str, Any]:
    """领导干部署名推荐表 (domain-reference §7.1): recommender, candidate, 德能勤绩廉, pledge, signature."""
    person = _subject(inputs)
    submitted = inputs.last_event("submit")
    if submitted is None:
        raise ValueError("推荐人尚未署名提交")
    recommender = str(inputs.get("recommender"))
    direction = inputs.shown("direction")
    return {
        **base_context(inputs, "领导干部署名推荐表"),
        "p": person_facts(person, inputs.today),
        "recommender": inputs.name_of(recommender),
        "recommender_post": str(inputs.get("recommender_post")),
        "relationship": inputs.shown("relationship"),
        "acquaintance": inputs.shown("acquaintance"),
        "direction": direction,
        "target_post": str(inputs.get("target_post")) or "（非定向）",
        "merits": [{"label": label, "text": str(inputs.get(key))} for key, label in MERITS],
        "examples": str(inputs.get("typical_examples")),
        "shortcomings": str(inputs.get("shortcomings")),
        "integrity": str(inputs.get("integrity_status")),
        "pledge": bool(inputs.get("pledge", False)),
        "signed_on": cn_date(submitted.at),
        "signed_at": local_instant(submitted.at.isoformat()),
        "registration_no": str(inputs.get("registration_no")) or "（待登记）",
    }


def registration_receipt(inputs: FormInputs) -> dict[str, Any]:
    """受理登记回执: the registration number and dates, for the recommender."""
    person = _subject(inputs)
    registered = inputs.last_event("register")
    submitted = inputs.last_event("submit")
    if registered is None or submitted is None:
        raise ValueError("尚未受理登记")
    return {
        **base_context(inputs, "受理登记回执"),
        "registration_no": str(inputs.get("registration_no")),
        "recommender": inputs.name_of(str(inputs.get("recommender"))),
        "recommender_post": str(inputs.get("recommender_post")),
        "candidate": person.name,
        "candidate_post": f"{person.unit}{person.current_post}"
        if not person.current_post.startswith(person.unit)
        else person.current_post,
        "direction": inputs.shown("direction"),
        "target_post": str(inputs.get("target_post")) or "（非定向）",
        "submitted_on": cn_date(submitted.at),
        "received_on": cn_date(inputs.get("received_on")),
        "registered_on": cn_date(registered.at),
        "registered_by": inputs.name_of(registered.actor),
        "issued_on": cn_date(registered.at),
    }


def interview_record(inputs: FormInputs) -> dict[str, Any]:
    """集体面谈记录表: the panel, each member's scores, the computed result, minutes and signatures."""
    person = _subject(inputs)
    dims = _dimensions(inputs)
    entries = [e for e in inputs.get("scores", []) if isinstance(e, Mapping)]
    panel = [str(u) for u in inputs.get("panel", [])]
    rows = []
    for e in entries:
        by = str(e.get("by", ""))
        rows.append(
            {
                "name": inputs.name_of(by),
                "scores": [_num(e.get(k)) for k, _ in dims],
                "comment": str(e.get("score_comment", "")),
                "total": _num(round(sum(float(e.get(k) or 0) for k, _ in dims) / len(dims), 2)),
            }
        )
    result = inputs.get("result_scores", {})
    return {
        **base_context(inputs, "集体面谈记录表"),
        "p": person_facts(person, inputs.today),
        "purpose": str(inputs.get("purpose")) or BLANK,
        "time": inputs.shown("held_at") if inputs.get("held_at") else inputs.shown("interview_time"),
        "place": str(inputs.get("place")),
        "duration": inputs.get("duration_minutes"),
        "chair": inputs.name_of(str(inputs.get("chair"))),
        "recorder": inputs.name_of(str(inputs.get("recorder"))),
        "panel": [inputs.name_of(u) for u in panel],
        "outline": str(inputs.get("outline")),
        "dims": [label for _, label in dims],
        "rows": rows,
        "result": [_num(result.get(k)) if isinstance(result, Mapping) else BLANK for k, _ in dims],
        "total": _num(inputs.get("result_total", None)),
        "grade": str(inputs.get("result_grade")) or BLANK,
        "scorers": inputs.get("result_scorers", len(entries)),
        "method": str(inputs.get("result_method")) or BLANK,
        "minutes": str(inputs.get("minutes_text")),
        "conclusion": str(inputs.get("conclusion")),
        "problems": str(inputs.get("problems")),
        "approved": str(inputs.get("approve_opinion")),
    }


def _dimensions(inputs: FormInputs) -> list[tuple[str, str]]:
    """The score fields of the ``score`` event, in form order, with their labels."""
    for t in inputs.definition.transitions_named("score"):
        return [(f.name, f.label) for f in t.fields if f.type in ("integer", "number")]
    return []


def _num(value: Any) -> str:
    if value is None or value == "":
        return BLANK
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)
