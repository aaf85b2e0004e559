"""Forms of 干部选拔任用 (selection_appointment): 干部任免审批表, 讨论决定情况记录, 任前公示, 任职通知."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow.clock import SHANGHAI

from ..filters import cn_date
from .inputs import Form
from .inputs import FormInputs
from .inputs import base_context
from .person import PERSON_FACTS
from .person import annual_line
from .person import person_facts
from .rules import guard_params
from .rules import guard_rule
from .rules import quorum_for

FAMILY_ROWS = 7



def proposed_post(inputs: FormInputs) -> str:
    """拟任职务 from the case: unit + post (市财政局 + 副局长), or the post when it names its unit."""
    post = str(inputs.get("target_post"))
    unit = str(inputs.get("target_unit"))
    return post if not unit or post.startswith(unit) else f"{unit}{post}"


def age_on(inputs: FormInputs) -> date:
    """计算年龄时间, fixed per case: the date the officer set (``age_on``), else the decision's meeting
    date, else (before the decision) the day the case went to deliberation; never the print date."""
    for value in (inputs.get("age_on"), getattr(inputs.last_event("decide"), "data", {}).get("meeting_date")):
        if isinstance(value, str) and value:
            return date.fromisoformat(value[:10])
    sent = inputs.last_event("to_deliberation")
    moment = sent.at if sent is not None else inputs.case.created_at
    return moment.astimezone(SHANGHAI).date()


def appointment_approval_form(inputs: FormInputs) -> dict[str, Any]:
    """干部任免审批表: every field of domain-reference §5.4 in order, two pages."""
    person = inputs.subject_or_fail()
    on = age_on(inputs)
    p = person_facts(person, on, inputs.subject_photo)
    decided = inputs.last_event("decide")
    approval = ""
    approval_date = "    年  月  日"
    if decided is not None:
        approval = (
            f"经{decided.data.get('meeting_body', '')}研究，同意{p['name']}同志任{proposed_post(inputs)}。"
        )
        approval_date = cn_date(decided.data.get("meeting_date"))
    family = p["family"] + [None] * max(0, FAMILY_ROWS - len(p["family"]))
    return {
        **base_context(inputs, "干部任免审批表"),
        "p": p,
        "proposed_post": proposed_post(inputs),
        "proposed_removal": p["proposed_removal"],
        "annual_text": annual_line(p["annual"]),
        "reason": str(inputs.get("selection_reason")) or p["appointment_reason"],
        "reporting_unit": inputs.organization,
        "approval": approval,
        "approval_date": approval_date,
        "family": family,
        "filled_by": inputs.name_of(inputs.case.created_by),
        "age_on": cn_date(on),
    }


def decision_record(inputs: FormInputs) -> dict[str, Any]:
    """讨论决定情况记录: the meeting, attendance, each vote and the quorum computation."""
    person = inputs.subject_or_fail()
    ev = inputs.last_event("decide")
    if ev is None:
        raise ValueError("讨论决定尚未进行")
    data = ev.data
    q = quorum_for(inputs.definition, "decide", data)
    if q is None:
        raise ValueError("流程定义的讨论决定没有到会和表决规则")
    rule = guard_rule(inputs.definition, "decide", "quorum")
    voting = q["effective"]
    votes = [
        ("同意", int(data.get("votes_for", 0))),
        ("不同意", int(data.get("votes_against", 0))),
        ("缓议", int(data.get("votes_postpone", 0))),
    ]
    return {
        **base_context(inputs, "讨论决定情况记录"),
        "person": person_facts(person, inputs.today),
        "proposed_post": proposed_post(inputs),
        "meeting_body": str(data.get("meeting_body", "")),
        "meeting_date": cn_date(data.get("meeting_date")),
        "q": q,
        "voting": voting,
        "abstain": max(0, voting - sum(n for _, n in votes)),
        "votes": [{"label": label, "count": n} for label, n in votes],
        "absent": q["total"] - q["present"],
        "record": str(data.get("decision_record", "")),
        "rule": rule[0] if rule else "",
        "source": rule[1] if rule else "",
        "result": "通过" if q["passed"] else "未通过",
        "recorded_by": inputs.name_of(ev.actor),
        "recorded_at": cn_date(ev.at),
    }


def pre_appointment_notice(inputs: FormInputs) -> dict[str, Any]:
    """任前公示 (domain-reference §5.3): the decision, the detail line, the period and channels."""
    person = inputs.subject_or_fail()
    p = person_facts(person, inputs.today)
    params = guard_params(inputs.definition, "appoint", "working_days_span")
    detail = "，".join(
        x
        for x in (
            p["name"],
            p["gender"],
            p["ethnicity"],
            f"{p['birth']}生",
            f"{p['native_place']}人" if p["native_place"] else "",
            p["education"],
            f"{p['party_join']}入党" if p["party_join"] else "",
            f"{p['work_start']}参加工作" if p["work_start"] else "",
            f"现任{p['current_post']}",
        )
        if x
    )
    return {
        **base_context(inputs, "干部任前公示"),
        "p": p,
        "detail": detail,
        "proposed_post": proposed_post(inputs),
        "meeting_body": str(inputs.get("meeting_body")),
        "meeting_date": cn_date(inputs.get("meeting_date")),
        "notice_start": cn_date(inputs.get("notice_start")),
        "notice_end": cn_date(inputs.get("notice_end")),
        "min_days": params["min"] if params else 5,
        "scope": str(inputs.get("notice_scope")),
        "phone": str(inputs.get("notice_phone")),
        "mailbox": str(inputs.get("notice_mailbox")),
        "address": str(inputs.get("notice_address")),
        "probation": inputs.get("selection_method") not in ("交流任职",),
        "issued_on": cn_date(inputs.get("notice_start")),
    }


def appointment_notice(inputs: FormInputs) -> dict[str, Any]:
    """任职通知: 关于×××同志任职的通知, with the document number and the one-year probation."""
    person = inputs.subject_or_fail()
    months = guard_params(inputs.definition, "confirm", "months_elapsed")
    probation_months = int(months["months"]) if months else 12
    return {
        **base_context(inputs, f"关于{person.name}同志任职的通知"),
        "name": person.name,
        "doc_no": str(inputs.get("appointment_doc_no")),
        "addressee": f"{inputs.get('target_unit')}党组（党委）"
        if inputs.get("target_unit")
        else "各有关单位",
        "meeting_body": str(inputs.get("meeting_body")),
        "meeting_date": cn_date(inputs.get("meeting_date")),
        "proposed_post": proposed_post(inputs),
        "removal": str(person.profile.get("proposed_removal") or ""),
        "probation": "一年" if probation_months == 12 else f"{probation_months}个月",
        "issued_on": cn_date(inputs.get("appointment_date")),
    }


_PEOPLE = ("target_post", "target_unit")
_MEETING = ("meeting_body", "meeting_date")
FORMS = (
    Form("appointment_approval_form", "干部任免审批表", "appointment_approval_form.html", "2",
         appointment_approval_form, fields=(*_PEOPLE, *_MEETING, "selection_reason", "age_on"),
         events=("decide", "to_deliberation"), person=PERSON_FACTS),
    Form("decision_record", "讨论决定情况记录", "decision_record.html", "1", decision_record,
         fields=(*_PEOPLE, *_MEETING, "decision_record", "members_total", "members_present", "members_recused",
                 "votes_for", "votes_against", "votes_postpone"), events=("decide",), person=PERSON_FACTS),
    Form("pre_appointment_notice", "任前公示", "pre_appointment_notice.html", "1", pre_appointment_notice,
         fields=(*_PEOPLE, *_MEETING, "notice_start", "notice_end", "notice_scope", "notice_phone", "notice_mailbox",
                 "notice_address", "selection_method"), events=("appoint",), person=PERSON_FACTS),
    Form("appointment_notice", "任职通知", "appointment_notice.html", "1", appointment_notice,
         fields=(*_PEOPLE, *_MEETING, "appointment_date", "appointment_doc_no"), events=("confirm",),
         person=("name", "proposed_removal")),
)
