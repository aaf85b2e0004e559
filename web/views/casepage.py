"""The case page: everything ``/cases/<id>`` shows, gathered from the engine.

``render_case`` is also how a failed action re-renders the page with the user's
input and the engine's messages on the form that failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from documents.diagram import definition_svg
from workflow import ActionView
from workflow import Actor
from workflow import CaseSnapshot
from workflow.definition.schema import FieldDef
from workflow.definition.schema import TransitionDef

from .. import engine
from ..auth import current_actor
from ..forms import CONFIRM
from ..forms import VERSION
from ..forms import AttachmentForm
from ..forms import FieldOptions
from ..forms import RecusalForm
from ..forms import choices
from ..forms import event_form
from . import present

IRREVERSIBLE = ("withdraw", "cancel", "reject")
READERS = ("auditor", "admin")


@dataclass
class Failed:
    """The form the user just submitted, with the engine's messages."""

    event: str
    form: FlaskForm
    messages: list[str] = field(default_factory=list)


def confirm_text(action: ActionView | TransitionDef) -> str:
    """The confirmation an irreversible event asks for (empty: none needed)."""
    if action.confirm:
        return f"我已确认：{action.confirm}"
    if action.kind in IRREVERSIBLE:
        return f"我已确认：“{action.label}”办理后不可撤销"
    return ""


def field_options(snapshot: CaseSnapshot, fields: Sequence[FieldDef]) -> FieldOptions:
    """Users (by role, without recused or inactive users), people and attachments the fields need."""
    eng = engine()
    opts = FieldOptions()
    types = {f.type for f in fields}
    recused = set(snapshot.recused)
    if "user" in types:
        users = [u for u in eng.users.all() if u.active and u.username not in recused]
        opts.all_users = [(u.username, _user_label(u.username, u.name, u.unit)) for u in users]
        for role in {f.role for f in fields if f.type == "user" and f.role}:
            opts.users_by_role[role] = [(u.username, _user_label(u.username, u.name, u.unit))
                                        for u in users if role in u.roles]
    if "person" in types:
        people, _ = eng.people.search("", limit=500)
        opts.people = [(str(p.id), f"{p.name}（{p.unit or '单位未填'}）") for p in people]
    if "file" in types:
        opts.attachments = [(str(a.id), f"{a.filename}（附件{a.id}）")
                            for a in eng.records.attachments(snapshot.id)]
    return opts


def _user_label(username: str, name: str, unit: str) -> str:
    who = f"{name}（{username}）" if name and name != username else username
    return f"{who} · {unit}" if unit else who


def action_forms(snapshot: CaseSnapshot, allowed: Sequence[ActionView], failed: Failed | None
                 ) -> list[tuple[ActionView, FlaskForm, list[str]]]:
    options = field_options(snapshot, [f for a in allowed for f in a.fields])
    out = []
    for a in allowed:
        if failed is not None and failed.event == a.event:
            out.append((a, failed.form, failed.messages))
            continue
        form = event_form(a.fields, options, prefix=a.event, confirm=confirm_text(a), formdata=None)
        form[VERSION].data = str(snapshot.version)
        out.append((a, form, []))
    return out


def _may_record(actor: Actor, snapshot: CaseSnapshot, roles: set[str]) -> bool:
    """Hide the upload and recusal forms from whom the engine would refuse (it checks again)."""
    return not snapshot.final and bool(actor.roles & roles) and actor.username not in snapshot.recused


def _documents(case_id: int) -> list[tuple[str, str]]:
    try:
        from documents import available_documents
    except ImportError:
        return []
    try:
        return available_documents(engine(), case_id)
    except ImportError:  # the documents package is not complete yet
        return []


def render_case(case_id: int, failed: Failed | None = None, status: int = 200) -> ResponseReturnValue:
    eng = engine()
    actor = current_actor()
    snap = eng.get_case(case_id, actor)
    d = eng.registry.get(snap.definition, snap.definition_version)
    events = eng.history(case_id, actor)
    names = present.user_names()
    allowed, blocked = eng.actions(case_id, actor)
    person, person_rows = present.person_rows(snap.subject_id)
    business = {r for t in d.transitions for r in t.roles} | set(d.start.roles)
    ctx: dict[str, Any] = {
        "case": snap, "definition": d, "person": person, "person_rows": person_rows,
        "data_rows": present.data_rows(d, snap.data, names, case_id),
        "diagram": definition_svg(d, snap.state, present.taken_moves(events)),
        "history": present.history_rows(d, events, names, case_id),
        "due": present.due(snap), "names": names, "actions": action_forms(snap, allowed, failed),
        "blocked": [(present.event_label(d, e), why) for e, why in blocked],
        "approvals": eng.approval_status(case_id), "attachments": eng.records.attachments(case_id),
        "recusals": eng.records.recusals(case_id), "documents": _documents(case_id),
        "failed_messages": _orphan_messages(failed, allowed),
        "verify": eng.verify_case(case_id) if actor.roles & set(READERS) else None,
        "read_only": not (actor.roles - set(READERS)), "confirm_field": CONFIRM,
        "attachment_form": AttachmentForm(prefix="upload") if _may_record(actor, snap, business) else None,
        "recusal_form": _recusal_form(snap, names) if _may_record(actor, snap, business) else None,
    }
    return render_template("cases/show.html", **ctx), status


def _orphan_messages(failed: Failed | None, allowed: Sequence[ActionView]) -> list[str]:
    """Messages of a failed event the actor is not offered (shown above the forms)."""
    if failed is None or failed.event in {a.event for a in allowed}:
        return []
    return failed.messages


def _recusal_form(snapshot: CaseSnapshot, names: dict[str, str]) -> RecusalForm:
    form = RecusalForm(formdata=None, prefix="recusal")
    form.username.choices = choices([("", "请选择")] + [(u, f"{n}（{u}）") for u, n in sorted(names.items())
                                                       if u not in snapshot.recused])
    return form
