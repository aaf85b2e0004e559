"""Official forms of a case: which are available now, rendering them, and recording issuance.

A form is available when the case's definition lists it (``documents:``) and its
rule holds: any of its ``after`` events is in the history (a multi-approval event
counts once its last approval moved the state) and the case is in one of its
``states`` (each condition only when given). Issuing a form records a
``document_issued`` history event with the template name, version and the PDF's
SHA-256; a reader without a business role (an auditor) is only logged, so reading
never changes a case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from workflow import Actor
from workflow import Engine
from workflow.definition.schema import DocumentRef
from workflow.errors import NotFound
from workflow.errors import PermissionDenied
from workflow.types import CaseSnapshot
from workflow.types import EventView

from .catalog import CATALOG
from .catalog import CatalogEntry
from .context import inspection
from .context import recommendation
from .context import selection
from .context import tolerance
from .context.common import FormInputs
from .gather import READER
from .gather import form_inputs
from .renderer import PdfMeta
from .renderer import render_pdf

Builder = Callable[[FormInputs], dict[str, Any]]
BUILDERS: dict[str, Builder] = {
    "appointment_approval_form": selection.appointment_approval_form,
    "decision_record": selection.decision_record,
    "pre_appointment_notice": selection.pre_appointment_notice,
    "appointment_notice": selection.appointment_notice,
    "signed_recommendation_form": recommendation.signed_recommendation_form,
    "registration_receipt": recommendation.registration_receipt,
    "interview_record": recommendation.interview_record,
    "daily_inspection_record": inspection.daily_inspection_record,
    "special_inspection_report": inspection.special_inspection_report,
    "inspection_notice": inspection.inspection_notice,
    "inspection_material": inspection.inspection_material,
    "democratic_evaluation_stats": inspection.democratic_evaluation_stats,
    "comprehensive_evaluation_form": inspection.comprehensive_evaluation_form,
    "tolerance_application": tolerance.tolerance_application,
    "tolerance_decision": tolerance.tolerance_decision,
    "notification_letter": tolerance.notification_letter,
}
READ_ONLY = frozenset({"auditor", "admin"})


def completed(e: EventView) -> bool:
    """A transition that happened: a plain event, or the approval that completed a multi-approval."""
    return e.type == "transition_fired" or (e.type == "approval_recorded" and e.from_state != e.to_state)


def is_available(
    ref: DocumentRef, case: CaseSnapshot, events: list[EventView] | tuple[EventView, ...]
) -> bool:
    if ref.states and case.state not in ref.states:
        return False
    if ref.after:
        return any(e.event in ref.after and completed(e) for e in events)
    return True


def available_documents(engine: Engine, case_id: int) -> list[tuple[str, str]]:
    """(name, title) of the forms this case can produce now, in the definition's order."""
    case = engine.get_case(case_id, READER)
    d = engine.registry.get(case.definition, case.definition_version)
    if not d.documents:
        return []
    events = engine.history(case_id, READER)
    return [
        (ref.name, ref.title)
        for ref in d.documents
        if ref.name in CATALOG and is_available(ref, case, events)
    ]


def form_pdf(inputs: FormInputs, name: str) -> tuple[bytes, CatalogEntry]:
    """Render a form from gathered inputs (no availability check, nothing recorded)."""
    entry = CATALOG[name]
    context = BUILDERS[name](inputs)
    subject = inputs.subject.name if inputs.subject is not None else ""
    meta = PdfMeta(
        title=f"{entry.title}：{inputs.case.title}",
        created=inputs.now,
        subject=f"{inputs.definition.title}；案件{inputs.case.id}" + (f"；{subject}" if subject else ""),
        keywords=("cadreflow", f"case:{inputs.case.id}", f"template:{name}", f"version:{entry.version}"),
    )
    return render_pdf(entry.template, context, meta), entry


def render_form(engine: Engine, case_id: int, name: str, actor: Actor) -> bytes:
    """Render form ``name`` of a case now and record its issuance.

    Raises:
        NotFound: the form is unknown, the definition does not list it, or it is not available yet.
    """
    if name not in CATALOG:
        raise NotFound(f"文书不存在：{name}")
    inputs = form_inputs(engine, case_id)
    ref = next((r for r in inputs.definition.documents if r.name == name), None)
    if ref is None:
        raise NotFound(f"“{inputs.definition.title}”不出具“{CATALOG[name].title}”")
    if not is_available(ref, inputs.case, inputs.events):
        raise NotFound(f"本案件当前还不能出具“{ref.title}”")
    if actor.username in inputs.case.recused:
        raise PermissionDenied("您已回避本案件，不能出具本案件的文书"
                               "（回避制度，《党政领导干部选拔任用工作条例》第五十三条）")
    pdf, entry = form_pdf(inputs, name)
    digest = hashlib.sha256(pdf).hexdigest()
    in_history = bool(actor.roles - READ_ONLY)
    engine.records.record_document(
        case_id, name, entry.title, entry.version, digest, actor, in_history=in_history
    )
    return pdf
