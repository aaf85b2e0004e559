"""The case-history PDF: every event, the state diagram with the path taken, the verification.

The PDF is logged in the document log with its SHA-256 (``in_history=False``): an
auditor reading a case never changes it. The events, the case head and the
verification are read so that they agree: if an event arrives while we read, we
read again.
"""

from __future__ import annotations

import hashlib
import logging

from workflow import Actor
from workflow import Engine
from workflow.definition.schema import ProcessDefinition
from workflow.verify import verify_case

from .catalog import HISTORY
from .context.history import HistoryInputs
from .context.history import build_history_context
from .context.history import taken_moves
from .gather import READER
from .gather import subject_of
from .gather import user_directory
from .renderer import PdfMeta
from .renderer import render_pdf

log = logging.getLogger(__name__)
ATTEMPTS = 3


def diagram(definition: ProcessDefinition, current: str, taken: tuple[tuple[str, str], ...]) -> str:
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


def history_inputs(engine: Engine, case_id: int, actor: Actor) -> HistoryInputs:
    """Read the case, its complete history, its head and its verification consistently."""
    engine.ensure_ready()
    for _ in range(ATTEMPTS):
        case = engine.get_case(case_id, READER)
        events = tuple(engine.history(case_id, READER))
        with engine.db.connect() as conn:
            row = engine.store.load_case(conn, case_id)
            report = verify_case(conn, engine.settings.head_key, engine.registry, case_id)
        if row.head_seq == len(events) == report.events and row.version == case.version:
            break
        log.info("case %s changed while its history was read; reading again", case_id)
    d = engine.registry.get(case.definition, case.definition_version)
    names, _ = user_directory(engine)
    return HistoryInputs(
        case=case,
        definition=d,
        events=events,
        subject=subject_of(engine, case),
        names=names,
        report=report,
        head_seq=row.head_seq,
        head_hash=row.head_hash,
        rendered_at=engine.now(),
        rendered_by=f"{actor.display}（{actor.username}）" if actor.name else actor.username,
        diagram_svg=diagram(d, case.state, taken_moves(events)),
    )


def history_pdf(engine: Engine, case_id: int, actor: Actor) -> tuple[bytes, HistoryInputs]:
    """Render the case-history PDF without logging it (the export logs its own way)."""
    h = history_inputs(engine, case_id, actor)
    context = build_history_context(h, engine.registry.role_label)
    meta = PdfMeta(
        title=f"案件{case_id}全程记录：{h.case.title}",
        created=h.rendered_at,
        subject=f"{h.definition.title}；末端哈希 {h.head_hash}",
        keywords=("cadreflow", f"case:{case_id}", f"head:{h.head_hash}"),
    )
    return render_pdf(HISTORY.template, context, meta), h


def render_history(engine: Engine, case_id: int, actor: Actor) -> bytes:
    """Render the case-history PDF and log its SHA-256 (never a history event)."""
    pdf, _ = history_pdf(engine, case_id, actor)
    engine.records.record_document(
        case_id,
        HISTORY.name,
        HISTORY.title,
        HISTORY.version,
        hashlib.sha256(pdf).hexdigest(),
        actor,
        in_history=False,
    )
    return pdf
