"""Official forms of a case: which are available now, rendering them, and recording issuance.

A form is available when the case's definition lists it (``documents:``) and its
rule holds: any of its ``after`` events is in the history (a multi-approval event
counts once its last approval moved the state) and the case is in one of its
``states`` (each condition only when given). The form reads the case as its
reader may see it (``engine.case_record``). Issuing a form records a
``document_issued`` history event with the template name, version and the PDF's
SHA-256 when the reader may issue documents, and keeps that copy: issuing the form again while
the case is unchanged hands out the same copy and records nothing new, and the case page links
each issued copy (``issued_pdf``). Anyone else (an auditor) is only logged, so reading never
changes a case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from workflow import Actor
from workflow import Engine
from workflow.clock import SHANGHAI
from workflow.definition.schema import DocumentRef
from workflow.definition.schema import ProcessDefinition
from workflow.errors import NotFound
from workflow.people import PersonView
from workflow.queries.casepage import CaseRecord
from workflow.steps import effective
from workflow.types import CaseSnapshot
from workflow.types import EventView

from .archival import Archive
from .forms import FORMS
from .forms import FormInputs
from .handout import watermark_for
from .present import name_lookup
from .present import with_people
from .renderer import PdfMeta
from .renderer import render_pdf
from .signing import sign
from .watermark import Watermark

CHOSEN = "chosen_id"  # selection_appointment v4: the 表决人选 of a 差额 decision


def completed(e: EventView) -> bool:
    """A transition that happened: a plain event, or the approval that completed a multi-approval."""
    return e.type == "transition_fired" or (e.type == "approval_recorded" and e.from_state != e.to_state)


def is_available(ref: DocumentRef, case: CaseSnapshot, events: Sequence[EventView]) -> bool:
    if ref.states and case.state not in ref.states:
        return False
    if ref.after:
        return any(e.event in ref.after and completed(e) for e in effective(events))
    return True


def available(d: ProcessDefinition, case: CaseSnapshot, events: Sequence[EventView]) -> list[tuple[str, str]]:
    """(name, title) of the forms the case can produce now, in the definition's order."""
    return [(ref.name, ref.title) for ref in d.documents if ref.name in FORMS and is_available(ref, case, events)]


def available_documents(engine: Engine, case_id: int, actor: Actor) -> list[tuple[str, str]]:
    record = engine.case_record(case_id, actor)
    return available(record.definition, record.case, record.events)


def form_inputs(engine: Engine, record: CaseRecord, name: str, actor: Actor | None = None) -> FormInputs:
    """What form ``name`` reads of ``record``; the people its tables name, by name where ``actor``
    (None: the operator) may read them."""
    users = engine.users.all()
    subject = appointed(engine, record, actor)
    return FormInputs(
        form=FORMS[name], case=record.case, definition=record.definition,
        events=tuple(effective(record.events)),  # a withdrawn step or signature is not on a form
        subject=subject, names=with_people({u.username: u.name or u.username for u in users},
                                           name_lookup(engine.people, actor), record.case.data),
        today=record.read_at.astimezone(SHANGHAI).date(), now=record.read_at, linked=record.linked,
        organization=issuer(engine, record.case.org_id), units={u.username: u.unit for u in users},
        subject_photo=_photo(engine, subject, name))


def appointed(engine: Engine, record: CaseRecord, actor: Actor | None) -> PersonView | None:
    """The person a case's forms are about: its subject, or the 表决人选 (``chosen_id``) a 差额
    decision chose among the inspected candidates, as ``actor`` may read them (None if not)."""
    chosen = record.case.data.get(CHOSEN)
    if not isinstance(chosen, int) or isinstance(chosen, bool) or chosen == record.case.subject_id:
        return record.subject
    try:
        return engine.people.get(chosen, actor)
    except NotFound:
        return None


def issuer(engine: Engine, org_id: int) -> str:
    """The department that issues a case's forms: the organization the case belongs to."""
    return engine.orgs.by_id(org_id).name if org_id else engine.settings.organization


def _photo(engine: Engine, subject: PersonView | None, name: str) -> tuple[str, bytes] | None:
    """The subject's photo for a form that prints it, when the reader reads the whole record."""
    if "photo" not in FORMS[name].person or subject is None or subject.partial or not subject.photo_id:
        return None
    try:
        content_type, content, _ = engine.people.photo(subject.id)
    except NotFound:
        return None
    return content_type, content


def form_pdf(inputs: FormInputs, mark: Watermark | None = None) -> bytes:
    """Render a form from its inputs (no availability check, nothing recorded), watermarked with ``mark``."""
    form = inputs.form
    subject = inputs.subject.name if inputs.subject is not None else ""
    meta = PdfMeta(
        title=f"{form.title}：{inputs.case.title}",
        created=inputs.now,
        subject=f"{inputs.definition.title}；案件{inputs.case.id}" + (f"；{subject}" if subject else ""),
        keywords=("cadreflow", f"case:{inputs.case.id}", f"template:{form.name}", f"version:{form.version}"),
        archive=Archive(inputs.case.id, form.name, form.version, inputs.organization),
    )
    return render_pdf(form.template, form.build(inputs), meta, mark)


def render_form(engine: Engine, case_id: int, name: str, actor: Actor, *, issue: bool = True,
                address: str = "") -> bytes:
    """Render form ``name`` of a case now, as ``actor`` may read it, and record its issuance.

    Without ``issue`` the PDF is a copy to read: logged, never a history event.

    Raises:
        NotFound: the form is unknown, the definition does not list it, or it is not available yet.
        PermissionDenied: the actor is recused on the case.
    """
    if name not in FORMS:
        raise NotFound(f"文书不存在：{name}")
    engine.check_document_reader(case_id, actor)
    record = engine.case_record(case_id, actor)
    ref = next((r for r in record.definition.documents if r.name == name), None)
    if ref is None:
        raise NotFound(f"“{record.definition.title}”不出具“{FORMS[name].title}”")
    if not is_available(ref, record.case, record.events):
        raise NotFound(f"本案件当前还不能出具“{ref.title}”")
    form = FORMS[name]
    if issue:  # one issued copy per form version while the case is unchanged: that copy again, no new record
        kept = engine.issued_copy(case_id, name, str(form.version), actor)
        if kept is not None:
            watermark_for(engine, actor, "download", "document", case_id, f"{form.title}（出具件）", address)
            return kept[1]
    inputs = form_inputs(engine, record, name, actor)
    pdf = form_pdf(inputs, watermark_for(engine, actor, "download", "document", case_id, form.title, address))
    pdf = sign(pdf, engine.settings)  # the last change to its bytes: the register keeps this SHA-256
    engine.record_document(case_id, name, form.title, str(form.version), hashlib.sha256(pdf).hexdigest(), actor,
                           issue=issue, content=pdf if issue else None)
    return pdf


def issued_pdf(engine: Engine, case_id: int, seq: int, actor: Actor, address: str = "") -> tuple[str, bytes]:
    """(title, PDF) of the copy the case's event ``seq`` issued, as it was issued; the read is registered."""
    title, content = engine.issued(case_id, seq, actor)
    watermark_for(engine, actor, "download", "document", case_id, f"{title}（出具件）", address)
    return title, content
