"""Forms of 署名推荐 and 集体面谈: 领导干部署名推荐表, 受理登记回执, 集体面谈记录表."""

from __future__ import annotations

from typing import Any

from ..filters import cn_date
from ..present import instant
from .inputs import Form
from .inputs import FormInputs
from .inputs import base_context
from .person import PERSON_FACTS
from .person import person_facts

MERITS = (
    ("merit_virtue", "德"),
    ("merit_ability", "能"),
    ("merit_diligence", "勤"),
    ("merit_performance", "绩"),
)



def signed_recommendation_form(inputs: FormInputs) -> dict[str, Any]:
    """领导干部署名推荐表 (domain-reference §7.1): recommender, candidate, 德能勤绩廉, pledge, signature."""
    person = inputs.subject_or_fail()
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
        "signed_at": instant(submitted.at.isoformat()),
        "registration_no": str(inputs.get("registration_no")) or "（待登记）",
    }


def registration_receipt(inputs: FormInputs) -> dict[str, Any]:
    """受理登记回执: the registration number and dates, for the recommender."""
    person = inputs.subject_or_fail()
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


FORMS = (
    Form("signed_recommendation_form", "领导干部署名推荐表", "signed_recommendation_form.html", "1",
         signed_recommendation_form,
         fields=("recommender", "recommender_post", "relationship", "acquaintance", "direction", "target_post",
                 *(key for key, _ in MERITS), "typical_examples", "shortcomings", "integrity_status", "pledge",
                 "registration_no"),
         events=("submit",), person=PERSON_FACTS),
    Form("registration_receipt", "受理登记回执", "registration_receipt.html", "1", registration_receipt,
         fields=("registration_no", "recommender", "recommender_post", "direction", "target_post", "received_on"),
         events=("register", "submit"), person=("name", "unit", "current_post")),
)
