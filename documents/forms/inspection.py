"""Forms of the four kinds of inspection and of 综合评定.

日常考察记实表, 专项考察报告, 考察预告, 干部考察材料, 民主测评结果统计表, 干部综合评定表.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..filters import cn_date
from ..filters import percent
from ..present import BLANK
from ..present import instant
from .inputs import Form
from .inputs import FormInputs
from .inputs import base_context
from .person import PERSON_FACTS
from .person import annual_line
from .person import person_facts
from .rules import guard_params

VOTES = (
    ("votes_excellent", "优秀"),
    ("votes_competent", "称职"),
    ("votes_basic", "基本称职"),
    ("votes_incompetent", "不称职"),
)
CHECKS = (
    ("archive_review", "archive_note", "干部人事档案审核（凡提必审）"),
    ("personal_matters", "personal_matters_note", "个人有关事项报告查核（凡提必核）"),
    ("discipline_opinion", "discipline_note", "纪检监察机关党风廉政意见（凡提必听）"),
    ("petition_check", "petition_note", "信访举报核查（凡提必查）"),
)



def _entries(inputs: FormInputs, key: str) -> list[Mapping[str, Any]]:
    return [e for e in inputs.get(key, []) if isinstance(e, Mapping)]


def _signatures(inputs: FormInputs, trigger: str) -> list[dict[str, str]]:
    """The signatures of the last completed round of a multi-approval event, in order.

    A round starts when the case entered the event's source state (a withdrawal or a
    return to that state voids earlier signatures, as the engine counts them).
    """
    events = list(inputs.events)
    last = next(
        (
            i
            for i in range(len(events) - 1, -1, -1)
            if events[i].event == trigger
            and events[i].type == "approval_recorded"
            and events[i].from_state != events[i].to_state
        ),
        None,
    )
    if last is None:
        return []
    source = events[last].from_state
    found = []
    for e in reversed(events[: last + 1]):
        if e.to_state == source and e.from_state != source:
            break
        if e.event == trigger and e.type == "approval_recorded":
            found.append(
                {"name": inputs.name_of(e.actor), "at": instant(e.at.isoformat(), seconds=False)}
            )
    return list(reversed(found))


def _signed_on(inputs: FormInputs, trigger: str) -> str:
    """The day the last signature of ``trigger`` completed it (today if it has not)."""
    done = [e for e in inputs.events_of(trigger) if e.from_state != e.to_state]
    return cn_date(done[-1].at if done else inputs.today)


def daily_inspection_record(inputs: FormInputs) -> dict[str, Any]:
    """日常考察记实表: each record (date, way, content, by whom), the analysis and the evaluation."""
    person = inputs.subject_or_fail()
    records = [
        {
            "no": i,
            "date": cn_date(e.get("record_date")),
            "kind": str(e.get("record_kind", "")),
            "content": str(e.get("record_content", "")),
            "by": inputs.name_of(str(e.get("by", ""))),
        }
        for i, e in enumerate(_entries(inputs, "records"), start=1)
    ]
    filed = inputs.last_event("file")
    return {
        **base_context(inputs, "日常考察记实表"),
        "p": person_facts(person, inputs.today),
        "period": str(inputs.get("period")) or BLANK,
        "records": records,
        "analysis": str(inputs.get("analysis_text")),
        "evaluation": str(inputs.get("evaluation")),
        "tags": inputs.shown("tags") if inputs.get("tags") else "",
        "grade": str(inputs.get("grade")),
        "filed_by": inputs.name_of(filed.actor) if filed else "",
        "filed_on": cn_date(filed.at) if filed else "",
    }


def special_inspection_report(inputs: FormInputs) -> dict[str, Any]:
    """专项考察报告: the task, the team, what was found, the report, every member's signature."""
    person = inputs.subject_or_fail()
    findings = [
        {
            "date": cn_date(e.get("finding_date")),
            "kind": str(e.get("finding_kind", "")),
            "content": str(e.get("finding_content", "")),
            "by": inputs.name_of(str(e.get("by", ""))),
        }
        for e in _entries(inputs, "findings")
    ]
    return {
        **base_context(inputs, f"关于{person.name}同志的专项考察报告"),
        "p": person_facts(person, inputs.today),
        "trigger": inputs.shown("inspection_trigger"),
        "detail": str(inputs.get("trigger_detail")),
        "team": inputs.shown("team"),
        "leader": inputs.name_of(str(inputs.get("team_leader"))),
        "plan": str(inputs.get("plan")),
        "began_on": cn_date(inputs.get("began_on")),
        "findings": findings,
        "report": str(inputs.get("report_text")),
        "tags": inputs.shown("performance_tags"),
        "grade": str(inputs.get("conclusion_grade")),
        "suggestion": str(inputs.get("suggestion")),
        "signatures": _signatures(inputs, "sign_report"),
        "approve_opinion": str(inputs.get("approve_opinion")),
        "issued_on": _signed_on(inputs, "sign_report"),
    }


def inspection_notice(inputs: FormInputs) -> dict[str, Any]:
    """考察预告: who is inspected for which post, the team, the period and the channels."""
    person = inputs.subject_or_fail()
    gap = guard_params(inputs.definition, "begin", "working_days_gap")
    proposed = str(inputs.get("proposed_post")) or str(person.profile.get("proposed_post") or "")
    return {
        **base_context(inputs, "干部考察预告"),
        "p": person_facts(person, inputs.today),
        "proposed_post": proposed or "拟提拔职务",
        "team": inputs.shown("team"),
        "leader": inputs.name_of(str(inputs.get("team_leader"))),
        "scope": str(inputs.get("notice_scope")),
        "form": str(inputs.get("notice_form")),
        "phone": str(inputs.get("supervision_phone")),
        "gap": gap["min"] if gap else 1,
        "issued_on": cn_date(inputs.get("notice_date")),
    }


def inspection_material(inputs: FormInputs) -> dict[str, Any]:
    """干部考察材料 (domain-reference §7.2): ×××同志考察材料, signed by every team member."""
    person = inputs.subject_or_fail()
    p = person_facts(person, inputs.today)
    evaluation = _evaluation_figures(inputs.data)
    checks = [
        {"label": label, "value": inputs.shown(key), "note": str(inputs.get(note))}
        for key, note, label in CHECKS
    ]
    return {
        **base_context(inputs, f"{person.name}同志考察材料"),
        "p": p,
        "annual": annual_line(p["annual"]),
        "material": str(inputs.get("material_text")),
        "shortcomings": str(inputs.get("material_shortcomings")),
        "suggestion": str(inputs.get("appointment_suggestion")),
        "evaluation": evaluation,
        "talk_count": inputs.get("talk_count", 0),
        "talk_summary": str(inputs.get("talk_summary")),
        "checks": checks,
        "integrity": str(inputs.get("integrity_conclusion")),
        "party_secretary": str(inputs.get("integrity_party_secretary")),
        "discipline_secretary": str(inputs.get("integrity_discipline_secretary")),
        "signatures": _signatures(inputs, "sign_material"),
        "issued_on": _signed_on(inputs, "sign_material"),
    }


def _evaluation_figures(data: Mapping[str, Any]) -> dict[str, Any]:
    valid = int(data.get("ballots_valid") or 0)
    votes = [
        {"label": label, "count": int(data.get(key) or 0), "share": percent(data.get(key) or 0, valid)}
        for key, label in VOTES
    ]
    counts = [int(data.get(key) or 0) for key, _ in VOTES]
    good = counts[0] + counts[1]
    return {
        "date": cn_date(data.get("evaluation_date")),
        "issued": int(data.get("ballots_issued") or 0),
        "returned": int(data.get("ballots_returned") or 0),
        "valid": valid,
        "votes": votes,
        "good": good,
        "good_share": percent(good, valid),
        "excellent_share": percent(counts[0], valid),
    }


def democratic_evaluation_stats(inputs: FormInputs) -> dict[str, Any]:
    """民主测评结果统计表: ballots issued/returned/valid, each grade's count and share, each round."""
    person = inputs.subject_or_fail()
    rounds = []
    for e in inputs.events_of("record_evaluation"):
        figures = _evaluation_figures(e.data)
        figures["by"] = inputs.name_of(e.actor)
        figures["talk_count"] = e.data.get("talk_count", 0)
        ballot = e.data.get("evaluation_ballot")
        figures["box_hash"] = str(ballot.get("box_hash", "")) if isinstance(ballot, Mapping) else ""
        rounds.append(figures)
    if not rounds:
        raise ValueError("尚未录入民主测评结果")
    return {
        **base_context(inputs, "民主测评结果统计表"),
        "p": person_facts(person, inputs.today),
        "rounds": rounds,
        "latest": rounds[-1],
        "talk_summary": str(inputs.get("talk_summary")),
    }


_EVALUATION = ("evaluation_date", "ballots_issued", "ballots_returned", "ballots_valid", *(k for k, _ in VOTES))
FORMS = (
    Form("daily_inspection_record", "日常考察记实表", "daily_inspection_record.html", "1", daily_inspection_record,
         fields=("records", "period", "analysis_text", "evaluation", "tags", "grade"), events=("file",),
         person=PERSON_FACTS),
    Form("special_inspection_report", "专项考察报告", "special_inspection_report.html", "1",
         special_inspection_report,
         fields=("findings", "inspection_trigger", "trigger_detail", "team", "team_leader", "plan", "began_on",
                 "report_text", "performance_tags", "conclusion_grade", "suggestion", "approve_opinion"),
         events=("sign_report",), person=PERSON_FACTS),
    Form("inspection_notice", "考察预告", "inspection_notice.html", "1", inspection_notice,
         fields=("proposed_post", "team", "team_leader", "notice_scope", "notice_form", "supervision_phone",
                 "notice_date"), events=("begin",), person=PERSON_FACTS),
    Form("inspection_material", "干部考察材料", "inspection_material.html", "1", inspection_material,
         fields=("material_text", "material_shortcomings", "appointment_suggestion", *_EVALUATION, "talk_count",
                 "talk_summary", *(k for check in CHECKS for k in check[:2]), "integrity_conclusion",
                 "integrity_party_secretary", "integrity_discipline_secretary"),
         events=("sign_material",), person=PERSON_FACTS),
    Form("democratic_evaluation_stats", "民主测评结果统计表", "democratic_evaluation_stats.html", "2",
         democratic_evaluation_stats, fields=(*_EVALUATION, "talk_count", "talk_summary", "evaluation_ballot"),
         events=("record_evaluation",), person=PERSON_FACTS),
)
