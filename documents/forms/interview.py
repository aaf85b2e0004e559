"""Form of 集体面谈 (collective_interview): 集体面谈记录表."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..present import BLANK
from .inputs import Form
from .inputs import FormInputs
from .inputs import base_context
from .person import PERSON_FACTS
from .person import person_facts


def interview_record(inputs: FormInputs) -> dict[str, Any]:
    """集体面谈记录表: the panel, each member's scores, the computed result, minutes and signatures."""
    person = inputs.subject_or_fail()
    dims = _dimensions(inputs)
    panel = [str(u) for u in inputs.get("panel", [])]
    # a panelist taken off the panel (调整面谈组) after scoring is not counted (result_method says so)
    entries = [e for e in inputs.get("scores", []) if isinstance(e, Mapping) and str(e.get("by", "")) in panel]
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


FORMS = (
    Form("interview_record", "集体面谈记录表", "interview_record.html", "1", interview_record,
         fields=("scores", "panel", "purpose", "held_at", "interview_time", "place", "duration_minutes", "chair",
                 "recorder", "outline", "result_scores", "result_total", "result_grade", "result_scorers",
                 "result_method", "minutes_text", "conclusion", "problems", "approve_opinion"),
         events=("score",), person=PERSON_FACTS),
)
