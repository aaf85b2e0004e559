"""The case-history context: every event with its data, the diagram, and the verification.

Auditors print this document and check it against the database, so it shows every
event (sealed scores included), every value with its label, each hash, and says
whether the chain verified when the PDF was made.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflow.definition.schema import ProcessDefinition
from workflow.people import PersonView
from workflow.types import CaseSnapshot
from workflow.types import EventView
from workflow.types import VerifyReport

from ..filters import cn_datetime
from .common import data_rows

EVENT_TYPES = {
    "case_started": "发起案件",
    "transition_fired": "办理",
    "approval_recorded": "签署",
    "action_recorded": "记录",
    "document_issued": "出具文书",
    "attachment_added": "添加附件",
    "recusal_recorded": "登记回避",
    "case_linked": "关联案件",
}


@dataclass(frozen=True)
class HistoryInputs:
    """Everything the case-history PDF shows, read by ``documents.history`` in one consistent pass."""

    case: CaseSnapshot
    definition: ProcessDefinition
    events: tuple[EventView, ...]
    subject: PersonView | None
    names: Mapping[str, str]
    report: VerifyReport
    head_seq: int
    head_hash: str
    rendered_at: datetime
    rendered_by: str
    diagram_svg: str


def taken_moves(events: tuple[EventView, ...]) -> tuple[tuple[str, str], ...]:
    """The (from, to) state moves of a case in order, for the diagram."""
    return tuple(
        (e.from_state, e.to_state) for e in events if e.from_state is not None and e.to_state is not None
    )


def build_history_context(h: HistoryInputs, role_label: Callable[[str], str]) -> dict[str, Any]:
    """The template context of ``case_history.html``."""
    d = h.definition
    case = h.case
    return {
        "doc_title": f"案件全程记录：{case.title}",
        "case": {
            "id": case.id,
            "title": case.title,
            "state_label": case.state_label,
            "final": "已办结" if case.final else "办理中",
            "created_at": cn_datetime(case.created_at),
            "created_by": h.names.get(case.created_by, case.created_by),
            "subject": _subject(h.subject),
        },
        "definition": {
            "title": d.title,
            "key": d.key,
            "version": d.version,
            "hash": d.content_hash,
        },
        "events": [_event(e, d, h.names, role_label) for e in h.events],
        "diagram_svg": h.diagram_svg,
        "path": path_text(d, h.events),
        "verify": {
            "ok": h.report.ok,
            "problems": [
                {"seq": p.seq if p.seq is not None else "—", "problem": p.problem} for p in h.report.problems
            ],
            "events": h.report.events,
            "head_seq": h.head_seq,
            "head_hash": h.head_hash,
        },
        "rendered_at": cn_datetime(h.rendered_at),
        "rendered_by": h.rendered_by,
    }


def path_text(d: ProcessDefinition, events: tuple[EventView, ...]) -> str:
    """The states the case went through, in order: 动议 → 民主推荐 → …"""
    states: list[str] = []
    for e in events:
        if e.to_state is not None and (not states or states[-1] != e.to_state):
            states.append(e.to_state)
    return " → ".join(d.state_label(s) for s in states)


def _subject(p: PersonView | None) -> str:
    if p is None:
        return "—"
    return f"{p.name}（{p.unit}{p.current_post}）" if (p.unit or p.current_post) else p.name


def _event(
    e: EventView, d: ProcessDefinition, names: Mapping[str, str], role_label: Callable[[str], str]
) -> dict[str, Any]:
    fields: tuple[Any, ...] = ()
    label = EVENT_TYPES.get(e.type, e.type)
    if e.type == "case_started":
        fields = d.start.fields
    elif e.event:
        named = d.transitions_named(e.event)
        if named:
            label = f"{label}：{named[0].label}"
            fields = named[0].fields
        else:
            label = f"{label}：{e.event}"
    move = ""
    if e.to_state is not None:
        before = d.state_label(e.from_state) if e.from_state else "（开始）"
        move = f"{before} → {d.state_label(e.to_state)}"
    actor = e.actor_name or names.get(e.actor, e.actor)
    return {
        "seq": e.seq,
        "at": cn_datetime(e.at),
        "label": label,
        "actor": f"{actor}（{e.actor}）" if actor != e.actor else e.actor,
        "role": role_label(e.role) if e.role else "—",
        "move": move,
        "rows": data_rows(e.data, d, names, fields),
        "comment": e.comment,
        "hash": e.hash,
        "prev_hash": e.prev_hash,
    }
