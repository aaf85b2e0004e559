"""Engine snapshots to the JSON of api.md. Times are ISO 8601 in Beijing time (+08:00)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from workflow.audit import event_json as event_json
from workflow.clock import SHANGHAI
from workflow.definition.schema import ProcessDefinition
from workflow.extensions.actions_common import required_for
from workflow.people import PersonView
from workflow.people import family_warnings
from workflow.types import Approvals
from workflow.types import AttachmentView
from workflow.types import CaseSnapshot
from workflow.types import RecusalView
from workflow.types import VerifyReport


def iso(at: datetime | None) -> str | None:
    return at.astimezone(SHANGHAI).isoformat() if at is not None else None


def case_json(c: CaseSnapshot) -> dict[str, Any]:
    return {
        "id": c.id, "definition": c.definition, "definition_version": c.definition_version,
        "definition_title": c.definition_title, "title": c.title, "state": c.state,
        "state_label": c.state_label, "final": c.final, "version": c.version, "subject_id": c.subject_id,
        "data": c.data, "created_by": c.created_by, "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at), "state_entered_at": iso(c.state_entered_at), "due_at": iso(c.due_at),
        "overdue": c.overdue,
        "links": [{"case_id": link.case_id, "definition": link.definition, "relation": link.relation,
                   "state": link.state, "state_label": link.state_label} for link in c.links],
        "available_events": list(c.available_events), "recused": list(c.recused),
        "holders": list(c.holders), "warnings": list(c.warnings),
    }


def approvals_json(a: Approvals) -> dict[str, Any]:
    return {"required": a.required, "given": a.given, "approvers": list(a.approvers),
            "awaited": list(a.awaited)}


def attachment_json(a: AttachmentView) -> dict[str, Any]:
    return {"id": a.id, "filename": a.filename, "sha256": a.sha256, "size": a.size,
            "content_type": a.content_type, "uploaded_by": a.uploaded_by, "created_at": iso(a.created_at)}


def recusal_json(r: RecusalView) -> dict[str, Any]:
    return {"username": r.username, "reason": r.reason, "recorded_by": r.recorded_by,
            "created_at": iso(r.created_at)}


def person_json(p: PersonView) -> dict[str, Any]:
    out = {**p.as_dict(), "created_at": iso(p.created_at), "updated_at": iso(p.updated_at)}
    if not p.partial:
        out["kinship_warnings"] = family_warnings(p.profile.get("family"))
    return out


def verify_json(r: VerifyReport) -> dict[str, Any]:
    return {"ok": r.ok, "cases": r.cases, "events": r.events, "people": r.people,
            "problems": [{"case_id": p.case_id, "seq": p.seq, "problem": p.problem, "person_id": p.person_id}
                         for p in r.problems]}


def definition_summary(d: ProcessDefinition) -> dict[str, Any]:
    return {"key": d.key, "version": d.version, "title": d.title, "description": d.description}


def definition_json(d: ProcessDefinition) -> dict[str, Any]:
    events = []
    for t in d.transitions:
        rule = t.approvals
        approvals = None if rule is not None and rule.members_field else (rule.count or 1 if rule else 1)
        events.append({
            "name": t.trigger, "label": t.label, "from": list(t.sources), "to": t.dest,
            "roles": list(t.roles),
            "fields": [f.to_api() for f in t.fields], "approvals": approvals,
            "approvals_members": rule.members_field if rule is not None else None,
            "kind": t.kind, "confirm": t.confirm, "help": t.help, "actors": t.actors_field,
            "distinct_from": list(t.distinct_from), "once_per_actor": t.once_per_actor,
            "sealed_while": list(t.sealed_while),
            "when": {name: list(values) for name, values in t.when},
        })
    return {
        **definition_summary(d),
        "start": {"roles": list(d.start.roles), "subject": d.start.subject,
                  "fields": start_fields(d)},
        "states": [{"name": s.name, "label": s.label, "initial": s.initial, "final": s.final,
                    "deadline_working_days": s.deadline_working_days, "deadline_days": s.deadline_days,
                    "deadline_months": s.deadline_months, "help": s.help} for s in d.states],
        "events": events,
        "documents": [{"name": doc.name, "title": doc.title} for doc in d.documents],
    }


def start_fields(d: ProcessDefinition) -> list[dict[str, Any]]:
    """The start fields; one that only some starters must fill carries ``required_for`` (their roles)."""
    conditional = required_for(d.start)
    out = []
    for f in d.start.fields:
        item = f.to_api()
        if f.name in conditional and not f.required:
            item["required_for"] = conditional[f.name]
        out.append(item)
    return out
