"""Forms of 容错纠错 (error_tolerance_review): 容错纠错申请表, 容错纠错认定书, 告知书."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..filters import cn_date
from .inputs import Form
from .inputs import FormInputs
from .inputs import base_context
from .person import PERSON_FACTS
from .person import person_facts
from .rules import guard_params
from .rules import quorum_for

FACTORS = (
    ("factor_motive", "动机态度"),
    ("factor_conditions", "客观条件"),
    ("factor_procedure", "程序方法"),
    ("factor_nature", "性质程度"),
    ("factor_consequence", "后果影响"),
    ("factor_recovery", "挽回损失"),
)
# Every negative-list flag of any version (the form prints those the case's version checks, from
# its negative_list_clear guard, with the guard's labels).
NEGATIVE = (
    "political_discipline",
    "eight_point_rules",
    "self_interest",
    "intentional",
    "defied_prohibition",
    "arbitrary_decision",
    "falsification",
    "major_loss",
    "repeat_offence",
    "misconduct",
)
OUTCOME_TEXT = {
    "免责": "予以容错免责，不作负面评价，不影响考核考评、评先评优和选拔任用",
    "从轻": "予以从轻处理",
    "减轻": "予以减轻处理",
    "不予容错": "不予容错",
}



def appeal_period(inputs: FormInputs) -> str:
    """The appeal window as the case's version checks it: “1个月” (within_months) or “15日” (within_days)."""
    months = guard_params(inputs.definition, "appeal", "within_months")
    if months:
        return f"{months['months']}个月"
    days = guard_params(inputs.definition, "appeal", "within_days")
    if days:
        return f"{days['max']}日"
    raise ValueError("流程定义的申诉事件没有申诉期限规则")


def negative_flags(inputs: FormInputs, trigger: str) -> list[dict[str, Any]]:
    """The negative list the decision was checked against: each flag with its label and value."""
    rule = guard_params(inputs.definition, trigger, "negative_list_clear")
    if rule is None:
        raise ValueError("流程定义的认定事件没有负面清单规则")
    labels = rule.get("labels") or {}
    return [{"label": str(labels.get(k) or inputs.label(k).removeprefix("负面清单：")),
             "value": bool(inputs.get(k, False))} for k in rule["flags"]]


def tolerance_application(inputs: FormInputs) -> dict[str, Any]:
    """容错纠错申请表: who applies, the matter, the dates and the reasons; unit opinion boxes."""
    person = inputs.subject_or_fail()
    applied = inputs.last_event("apply")
    if applied is None:
        raise ValueError("尚未提出申请")
    window = guard_params(inputs.definition, "apply", "within_working_days")
    return {
        **base_context(inputs, "容错纠错申请表"),
        "p": person_facts(person, inputs.today),
        "applicant": inputs.shown("applicant"),
        "applicant_name": str(inputs.get("applicant_name")),
        "matter": str(inputs.get("accountability_matter")),
        "notice_date": cn_date(inputs.get("accountability_notice_date")),
        "application_date": cn_date(inputs.get("application_date")),
        "reason": str(inputs.get("application_reason")),
        "window": window["max"] if window else 5,
        "recorded_by": inputs.name_of(applied.actor),
        "issued_on": cn_date(inputs.get("application_date")),
    }


def _decision(inputs: FormInputs) -> tuple[str, Mapping[str, Any]]:
    """(trigger, data) of the decision in force: the last ``determine`` or ``review``."""
    ev = inputs.last_event("determine", "review")
    if ev is None or ev.event is None:
        raise ValueError("尚未作出认定")
    return ev.event, ev.data


def tolerance_decision(inputs: FormInputs) -> dict[str, Any]:
    """容错纠错认定书: the matter, the six factors, the negative list, the collective decision."""
    person = inputs.subject_or_fail()
    trigger, data = _decision(inputs)
    q = quorum_for(inputs.definition, trigger, data)
    if q is None:
        raise ValueError("流程定义的认定事件没有到会和表决规则")
    outcome = str(data.get("outcome", ""))
    flags = negative_flags(inputs, trigger)
    reviewed = trigger == "review"
    return {
        **base_context(inputs, "容错纠错认定书"),
        "p": person_facts(person, inputs.today),
        "doc_no": f"容认〔{inputs.today.year}〕{inputs.case.id}号",
        "applicant_name": str(inputs.get("applicant_name")),
        "application_date": cn_date(inputs.get("application_date")),
        "matter": str(inputs.get("accountability_matter")),
        "factors": [{"label": label, "text": str(inputs.get(key))} for key, label in FACTORS],
        "distinctions": str(inputs.get("three_distinctions")),
        "statement": str(inputs.get("statement")),
        "flags": flags,
        "any_flag": any(f["value"] for f in flags),
        "outcome": outcome,
        "outcome_text": OUTCOME_TEXT.get(outcome, outcome),
        "body": str(data.get("decision_body", "")),
        "meeting_date": cn_date(data.get("decision_meeting_date")),
        "q": q,
        "influence": (
            f"{cn_date(data.get('influence_start'))}至{cn_date(data.get('influence_end'))}"
            if data.get("influence_start")
            else ""
        ),
        "reason": str(data.get("review_reason" if reviewed else "determination_reason", "")),
        "reviewed": reviewed,
        "review_conclusion": str(data.get("review_conclusion", "")),
        "appeal_period": appeal_period(inputs),
        "issued_on": cn_date(data.get("review_date") if reviewed else data.get("decision_meeting_date")),
    }


def notification_letter(inputs: FormInputs) -> dict[str, Any]:
    """告知书: the decision in force, told in writing to the person, with the right to appeal."""
    person = inputs.subject_or_fail()
    trigger, data = _decision(inputs)
    notified = inputs.last_event("notify")
    if notified is None:
        raise ValueError("尚未书面告知")
    outcome = str(data.get("outcome", ""))
    return {
        **base_context(inputs, "容错纠错认定结果告知书"),
        "name": person.name,
        "matter": str(inputs.get("accountability_matter")).rstrip("。；;.，, "),
        "body": str(data.get("decision_body", "")),
        "meeting_date": cn_date(data.get("decision_meeting_date")),
        "outcome": outcome,
        "outcome_text": OUTCOME_TEXT.get(outcome, outcome),
        "influence": (
            f"{cn_date(data.get('influence_start'))}至{cn_date(data.get('influence_end'))}"
            if data.get("influence_start")
            else ""
        ),
        "reviewed": trigger == "review",
        "appeal_period": appeal_period(inputs),
        "method": inputs.shown("notify_method"),
        "persons": str(inputs.get("notified_persons")),
        "notified_on": cn_date(inputs.get("notified_on")),
        "issued_on": cn_date(inputs.get("notified_on")),
    }


_DECISION = ("outcome", "decision_body", "decision_meeting_date", "influence_start", "influence_end",
             "members_total", "members_present", "votes_for", "determination_reason", "review_reason",
             "review_conclusion", "review_date")
FORMS = (
    Form("tolerance_application", "容错纠错申请表", "tolerance_application.html", "1", tolerance_application,
         fields=("applicant", "applicant_name", "accountability_matter", "accountability_notice_date",
                 "application_date", "application_reason"), events=("apply",), person=PERSON_FACTS),
    Form("tolerance_decision", "容错纠错认定书", "tolerance_decision.html", "2", tolerance_decision,
         fields=("applicant_name", "application_date", "accountability_matter", *(k for k, _ in FACTORS),
                 "three_distinctions", "statement", *NEGATIVE, *_DECISION),
         events=("determine", "review", "appeal"), person=PERSON_FACTS),
    Form("notification_letter", "告知书", "notification_letter.html", "2", notification_letter,
         fields=("accountability_matter", "notify_method", "notified_persons", "notified_on", *_DECISION),
         events=("determine", "review", "notify", "appeal"), person=("name",)),
)
