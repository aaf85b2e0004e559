"""The case-history PDF: every event, the state diagram with the path taken, the verification.

The case, its events (sealed for the reader as on the page), its head and the
chain's verification come from ``engine.case_record``, read on one snapshot, so
they always agree. The PDF is logged in the document log with its SHA-256: an
auditor reading a case never changes it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from workflow import Actor
from workflow import Engine
from workflow.definition.schema import ProcessDefinition
from workflow.people import PersonView
from workflow.queries.casepage import CaseRecord

from . import present
from .archival import HISTORY_FILE
from .archival import Archive
from .archival import history_json
from .filters import cn_datetime
from .handout import watermark_for
from .history_parts import ONE_PIECE_EVENTS
from .history_parts import PART_EVENTS
from .history_parts import WHOLE
from .history_parts import render_in_parts
from .history_parts import spans
from .issue import issuer
from .present import name_lookup
from .present import with_people
from .renderer import PdfMeta
from .renderer import marked
from .renderer import render_pdf
from .signing import sign
from .watermark import Watermark

log = logging.getLogger(__name__)
NAME = "case_history"
TITLE = "案件全程记录"
TEMPLATE = "case_history.html"
VERSION = "1"
OPERATOR = "命令行导出"


def diagram(definition: ProcessDefinition, current: str, taken: list[tuple[str, str]]) -> str:
    """The state diagram SVG with the path taken (documents.diagram, drawn by Graphviz).

    Without Graphviz the history still renders (it is the auditors' record): the
    diagram is left out with a logged error, and the path taken is printed as text anyway.
    """
    from .diagram import definition_svg

    try:
        return definition_svg(definition, current=current, taken=taken)
    except Exception:  # graphviz missing or failing must not hide a case's history
        log.exception("state diagram of %s could not be drawn", definition.key)
        return ""


def history_context(record: CaseRecord, names: dict[str, str], role_label: Callable[[str], str],
                    rendered_by: str) -> dict[str, Any]:
    """The template context of ``case_history.html``."""
    d = record.definition
    case = record.case
    events = record.events
    return {
        "doc_title": f"案件全程记录：{case.title}",
        "case": {
            "id": case.id, "title": case.title,
            "status": case.state_label if case.final else f"{case.state_label}（办理中）",
            "created_at": cn_datetime(case.created_at), "created_by": names.get(case.created_by, case.created_by),
            "subject": _subject(record.subject),
        },
        "definition": {"title": d.title, "version": d.version, "hash": d.content_hash},
        "events": [_event(row) for row in present.event_rows(d, events, names, role_label)],
        "events_total": len(events),
        "part": WHOLE,
        "diagram_svg": diagram(d, case.state, present.taken_moves(events)),
        "path": present.path_text(d, events),
        "verify": {
            "ok": record.report.ok,
            "problems": [{"seq": p.seq if p.seq is not None else present.BLANK, "problem": p.problem}
                         for p in record.report.problems],
            "events": record.report.events, "head_seq": record.head_seq, "head_hash": record.head_hash,
        },
        "rendered_at": cn_datetime(record.read_at),
        "rendered_by": rendered_by,
    }


def _subject(p: PersonView | None) -> str:
    if p is None:
        return present.BLANK
    return f"{p.name}（{p.unit}{p.current_post}）" if (p.unit or p.current_post) else p.name


def _event(row: present.EventRow) -> dict[str, Any]:
    e = row.event
    return {
        "seq": e.seq, "at": cn_datetime(e.at), "label": row.title, "actor": row.actor, "role": row.role,
        "move": row.moved, "rows": [{"label": r.label, "value": _text(r)} for r in row.rows],
        "comment": e.comment, "hash": e.hash, "prev_hash": e.prev_hash,
    }


def _text(r: present.Row) -> str:
    if r.table is None:
        return r.text
    header, body = r.table
    return " ／ ".join("；".join(f"{h}：{v}" for h, v in zip(header, line, strict=True)) for line in body) or r.text


def history_pdf(engine: Engine, case_id: int, actor: Actor | None, mark: Watermark | None = None,
                *, part_events: int | None = None, progress: Callable[[int, int], None] | None = None
                ) -> tuple[bytes, CaseRecord]:
    """Render the case-history PDF for ``actor`` (watermarked with ``mark``, PDF/A with its events
    embedded, signed) without logging it: in parts of PART_EVENTS events when it has more than
    ONE_PIECE_EVENTS, or of ``part_events`` when it has more than that (documents.history_parts;
    ``progress(done, total)`` follows the parts).

    ``actor`` None is the instance's operator at the command line.
    """
    record = engine.case_record(case_id, actor)
    names = with_people({u.username: u.name or u.username for u in engine.users.all()},
                        name_lookup(engine.people, actor), record.case.data, *(e.data for e in record.events))
    context = history_context(record, names, engine.policy.role_label, actor.display if actor else OPERATOR)
    meta = PdfMeta(
        title=f"案件{case_id}全程记录：{record.case.title}",
        created=record.read_at,
        subject=f"{record.definition.title}；末端哈希 {record.head_hash}",
        keywords=("cadreflow", f"case:{case_id}", f"head:{record.head_hash}"),
        archive=Archive(case_id, NAME, VERSION, issuer(engine, record.case.org_id)),
        attachments=((HISTORY_FILE, history_json(case_id, record.events, record.head_seq, record.head_hash),
                      "本案件的历史记录（含各事件哈希与末端）"),),
    )
    size = PART_EVENTS if part_events is None else part_events
    if len(record.events) <= (ONE_PIECE_EVENTS if part_events is None else part_events):
        return sign(render_pdf(TEMPLATE, context, meta, mark), engine.settings), record
    context, meta = marked(context, meta, mark)
    return sign(render_in_parts(TEMPLATE, context, meta, size, progress), engine.settings), record


def render_history(engine: Engine, case_id: int, actor: Actor, address: str = "", *, detail: str = "",
                   progress: Callable[[int, int], None] | None = None) -> bytes:
    """Render the case-history PDF for ``actor`` (registered, watermarked) and log its SHA-256 (never a
    history event). ``progress(done, total)`` follows its steps, a part of a long history each (a
    background job shows them)."""
    step = progress or (lambda done, total: None)
    record = engine.case_record(case_id, actor)  # 404 before anything is registered for a case the reader may not see
    count = len(record.events)
    total = 2 + (len(spans(count, PART_EVENTS)) + 1 if count > ONE_PIECE_EVENTS else 1)  # the parts, their numbering
    mark = watermark_for(engine, actor, "download", "history_pdf", case_id, detail=detail, address=address)
    step(1, total)
    pdf, _ = history_pdf(engine, case_id, actor, mark, progress=lambda done, parts: step(1 + done, total))
    step(total - 1, total)
    engine.record_document(case_id, NAME, TITLE, VERSION, hashlib.sha256(pdf).hexdigest(), actor)
    step(total, total)
    return pdf
