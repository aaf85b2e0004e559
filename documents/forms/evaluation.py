"""Form of 综合评定 (comprehensive_evaluation): 干部综合评定表."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..filters import cn_date
from ..present import BLANK
from ..present import instant
from .inputs import Form
from .inputs import FormInputs
from .inputs import base_context
from .person import PERSON_FACTS
from .person import person_facts


def comprehensive_evaluation_form(inputs: FormInputs) -> dict[str, Any]:
    """干部综合评定表: the linked inspections, annual grades, analysis, rating and each approval."""
    person = inputs.subject_or_fail()
    linked = [
        {
            "id": c.id,
            "definition": c.definition_title,
            "title": c.title,
            "state": c.state_label,
            "updated": cn_date(c.updated_at),
        }
        for c in inputs.linked
    ]
    grades = [
        {"year": g.get("year", ""), "grade": g.get("grade", "")}
        for g in inputs.get("annual_grades", [])
        if isinstance(g, Mapping)
    ]
    approvals = [
        {
            "name": inputs.name_of(e.actor),
            "at": instant(e.at.isoformat(), seconds=False),
            "opinion": str(e.data.get("rating_opinion", "")) or "同意",
        }
        for e in inputs.events_of("rate")
    ]
    return {
        **base_context(inputs, "干部综合评定表"),
        "p": person_facts(person, inputs.today),
        "purpose": str(inputs.get("evaluation_purpose")) or BLANK,
        "linked": linked,
        "grades": grades,
        "analysis": str(inputs.get("analysis")),
        "grade": str(inputs.get("grade")),
        "profile": str(inputs.get("profile")),
        "strengths": str(inputs.get("strengths")),
        "weaknesses": str(inputs.get("weaknesses")),
        "approvals": approvals,
        "rated": inputs.case.state == "rated",
    }


FORMS = (
    Form("comprehensive_evaluation_form", "干部综合评定表", "comprehensive_evaluation_form.html", "1",
         comprehensive_evaluation_form,
         fields=("evaluation_purpose", "annual_grades", "analysis", "grade", "profile", "strengths", "weaknesses",
                 "rating_opinion"), events=("rate",), person=PERSON_FACTS),
)
