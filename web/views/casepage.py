"""The case page: everything ``/cases/<id>`` shows, read by the engine on one snapshot.

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

from documents import present
from documents.diagram import definition_svg
from documents.issue import available
from workflow import ActionView
from workflow import Actor
from workflow import CaseSnapshot
from workflow.clock import local_today
from workflow.definition.schema import FieldDef
from workflow.definition.schema import ProcessDefinition
from workflow.definition.schema import TransitionDef
from workflow.policy import scope_of

from .. import engine
from ..auth import current_actor
from ..forms import CONFIRM
from ..forms import VERSION
from ..forms import AttachmentForm
from ..forms import FieldOptions
from ..forms import RecusalForm
from ..forms import SignerForm
from ..forms import UrgeForm
from ..forms import WithdrawForm
from ..forms import choices
from ..forms import event_form
from .ballot_panel import ballot_context
from .ballot_panel import ballot_defaults
from .present import due
from .present import user_names

IRREVERSIBLE = ("withdraw", "cancel", "reject")
# Events that undo, send back or end the case: folded, styled apart, never open by default.
DESTRUCTIVE = (*IRREVERSIBLE, "return")


@dataclass
class Failed:
    """The form the user just submitted, with the engine's messages.

    ``panel``: "action" (an event's form, ``event`` names it) or "upload" (the attachment form).
    ``stale``: the case moved on meanwhile; the form keeps what was typed, on the new version.
    """

    event: str
    form: FlaskForm
    messages: list[str] = field(default_factory=list)
    panel: str = "action"
    stale: bool = False


def error_summary(failed: Failed | None) -> list[tuple[str, str]]:
    """Every error of the failed form, (anchor, text): its messages, then each field's, in form order."""
    if failed is None:
        return []
    out = [("", m) for m in failed.messages]
    for f in failed.form:
        if f.type == "FieldList":  # a table: its own message, then each cell's beside it
            cells = [c for entry in f.entries for c in entry if isinstance(c.errors, list)]
            out.extend((f.id, f"{f.label.text}：{e}") for e in f.errors if isinstance(e, str))
            out.extend((c.id, f"{f.label.text}：{e}") for c in cells for e in c.errors)
            continue
        if f.type in ("HiddenField", "CSRFTokenField") or not isinstance(f.errors, list):
            continue
        label = "确认" if f.short_name == CONFIRM else f.label.text
        out.extend((f.id, f"{label}：{e}") for e in f.errors)
    return out


def confirm_text(action: ActionView | TransitionDef) -> str:
    """The confirmation an irreversible event asks for (empty: none needed)."""
    if action.confirm:
        return f"我已确认：{action.confirm}"
    if action.kind in IRREVERSIBLE:
        return f"我已确认：“{action.label}”办理后不可撤销"
    return ""


def field_options(snapshot: CaseSnapshot, fields: Sequence[FieldDef], actor: Actor) -> FieldOptions:
    """Users (by role, without recused or inactive users), people and attachments the fields need."""
    eng = engine()
    opts = FieldOptions()
    fields = [one for f in fields for one in (f, *f.columns)]  # a table's columns take options too
    types = {f.type for f in fields}
    recused = set(snapshot.recused)
    if "user" in types:
        users = [u for u in eng.users.all() if u.active and u.username not in recused]
        opts.all_users = [(u.username, _user_label(u.name, u.username, u.unit)) for u in users]
        for role in {f.role for f in fields if f.type == "user" and f.role}:
            opts.users_by_role[role] = [(u.username, _user_label(u.name, u.username, u.unit))
                                        for u in users if role in u.roles]
    if "person" in types:
        people, _ = eng.people.search("", limit=500, viewer=actor)
        opts.people = [(str(p.id), f"{p.name}（{p.unit or '单位未填'}）") for p in people]
    if "file" in types and snapshot.id:
        opts.attachments = [(str(a.id), f"{a.filename}（附件{a.id}）") for a in eng.attachments(snapshot.id, actor)]
    return opts


def _user_label(name: str, username: str, unit: str) -> str:
    who = name or username
    return f"{who} · {unit}" if unit else who


def action_forms(snapshot: CaseSnapshot, allowed: Sequence[ActionView], failed: Failed | None, actor: Actor,
                 d: ProcessDefinition | None = None
                 ) -> list[tuple[ActionView, FlaskForm, list[tuple[str, str]], bool]]:
    """(action, form, its errors, open) for each action: forward ones first, destructive ones after.

    Open: the form that just failed, else the first forward action; a destructive one never by default.
    """
    options = field_options(snapshot, [f for a in allowed for f in a.fields], actor)
    defaults = ballot_defaults(snapshot, actor) if allowed else {}
    ordered = sorted(allowed, key=lambda a: a.kind in DESTRUCTIVE)
    failed_here = failed is not None and failed.panel == "action" and failed.event in {a.event for a in allowed}
    first_forward = next((a.event for a in ordered if a.kind not in DESTRUCTIVE), None)
    out = []
    for a in ordered:
        if failed_here and failed is not None and failed.event == a.event:
            if failed.stale:
                failed.form[VERSION].data = str(snapshot.version)
            out.append((a, failed.form, error_summary(failed), True))
            continue
        form = event_form(a.fields, options, prefix=a.event, confirm=confirm_text(a), formdata=None)
        offer_only(form, a, options, actor)
        if d is not None:
            prefill(form, a, snapshot, d)
        form[VERSION].data = str(snapshot.version)
        for name, value in defaults.get(a.event, {}).items():  # a closed ballot's tally: no retyping
            if name in form:
                form[name].data = value
        out.append((a, form, [], not failed_here and a.event == first_forward))
    return out


PREFILLED = frozenset({"user", "person", "choice", "multichoice", "boolean", "date", "integer", "number"})


def prefill(form: FlaskForm, action: ActionView, snapshot: CaseSnapshot, d: ProcessDefinition) -> None:
    """What the case already records, in the event's fields of the same name (the team on 调整考察组, the
    dates of a 公示 published again), and today in a required date of something that has happened
    (收到日期). Free text is never carried over (a reason or an opinion is written anew); nor are the
    fields of an event that adds an entry to a list (each 记实 is its own)."""
    t = next((x for x in d.transitions_named(action.event) if snapshot.state in x.sources), None)
    if t is None or t.append_to:
        return
    for f in action.fields:
        if f.type not in PREFILLED or f.name not in form:
            continue
        value = snapshot.data.get(f.name)
        if value is None:
            if f.type == "date" and f.required and f.not_future:
                form[f.name].data = local_today(engine().clock).isoformat()
        elif f.type in ("user", "person", "multichoice") and isinstance(value, list):
            form[f.name].data = [str(v) for v in value]
        elif f.type == "boolean":
            form[f.name].data = bool(value)
        else:
            form[f.name].data = str(value)


def offer_only(form: FlaskForm, action: ActionView, options: FieldOptions, actor: Actor) -> None:
    """A person field whose guard names its only possible values (``ActionView.offers``, such as the
    差额 decision's 表决人选 among the 考察对象) offers those, not every person the viewer may read."""
    pool = dict(options.people)
    name_of = present.name_lookup(engine().people, actor)
    for f in action.fields:
        allowed = action.offers.get(f.name)
        if allowed is None or f.type != "person" or f.multiple or f.name not in form:
            continue
        pairs = [(str(v), pool.get(str(v)) or name_of(v) or f"人员{v}") for v in allowed]
        form[f.name].choices = choices([("", "请选择")] + pairs)


def snapshot_scope(snap: CaseSnapshot, d: ProcessDefinition) -> Any:
    """The policy's view of a case as its page has it."""
    return scope_of(snap, d, frozenset(snap.recused), snap.org_path, frozenset(snap.readers))


def render_case(case_id: int, failed: Failed | None = None, status: int = 200) -> ResponseReturnValue:
    eng = engine()
    actor = current_actor()
    page = eng.case_page(case_id, actor)
    snap, d = page.case, page.definition
    names = present.with_people(user_names(), present.name_lookup(eng.people, actor), snap.data,
                                *(e.data for e in page.history))
    scope = snapshot_scope(snap, d)
    others = eng.policy.can(actor, "record_recusals", scope)  # else only one's own (declare_recusal)
    record = others or eng.policy.can(actor, "declare_recusal", scope)
    ctx: dict[str, Any] = {
        "case": snap, "definition": d, "person": page.subject,
        "person_rows": present.person_rows(page.subject, page.marks) if page.subject else [],
        "data_rows": present.data_rows(d, snap.data, names),
        "diagram": definition_svg(d, snap.state, present.taken_moves(page.history)),
        "history": present.event_rows(d, page.history, names, eng.policy.role_label),
        "due": due(snap), "names": names, "actions": action_forms(snap, page.actions, failed, actor, d),
        "blocked": [(_event_label(d, e), why) for e, why in page.blocked],
        "approvals": page.approvals, "attachments": page.attachments, "recusals": page.recusals,
        "documents": available(d, snap, page.history),
        "issued": [e for e in page.history if e.type == "document_issued"][::-1],
        "failed_messages": _orphan_messages(failed, page.actions),
        "failed": failed, "destructive": DESTRUCTIVE, "returned": _returned(snap, d, page.history, names),
        "failed_label": next((a.label for a in page.actions if failed and a.event == failed.event), ""),
        "upload_errors": error_summary(failed) if failed is not None and failed.panel == "upload" else [],
        "verify": page.verify, "read_only": not eng.policy.acting_roles(actor), "confirm_field": CONFIRM,
        "may_issue": eng.policy.can(actor, "issue_documents", scope),
        "attachment_form": (failed.form if failed is not None and failed.panel == "upload"
                            else AttachmentForm(prefix="upload")) if eng.policy.can(actor, "add_attachments", scope)
        else None,
        "recusal_form": _recusal_form(snap, names, None if others else actor.username)
        if record and not snap.final else None, "recusal_self": not others,
        "urge_form": _urge_form(snap, actor) if eng.policy.can(actor, "read_cases", scope)
        and not eng.policy.read_only(actor) else None,
        **ballot_context(snap, page.subject, actor),
        **_step_forms(snap, page.approvals, names, actor,
                      eng.policy.can(actor, "add_signers", scope) and not eng.policy.read_only(actor)),
    }
    return render_template("cases/show.html", **ctx), status


def _step_forms(snap: CaseSnapshot, approvals: Sequence[Any], names: dict[str, str], actor: Actor,
                may_add: bool) -> dict[str, Any]:
    """The 撤回上一步 form (with the step's label) and the 加签 form of the waiting 会签."""
    out: dict[str, Any] = {"withdraw_label": None, "withdraw_form": None, "signer_form": None}
    if snap.final:
        return out
    label = engine().withdrawable(snap.id, actor)
    if label is not None:
        form = WithdrawForm(formdata=None, prefix="withdraw")
        form.expected_version.data = str(snap.version)
        out.update(withdraw_label=label, withdraw_form=form)
    if may_add and approvals and actor.username not in snap.recused:
        taken = {u for _, _, ap in approvals for u in (*ap.approvers, *ap.awaited)} | set(snap.recused)
        signer = SignerForm(formdata=None, prefix="signer")
        signer.username.choices = choices([("", "请选择")] + [(u, n) for u, n in sorted(names.items())
                                                             if u not in taken])
        out["signer_form"] = signer
    return out


def _returned(snap: CaseSnapshot, d: Any, history: Sequence[Any], names: dict[str, str]) -> Any:
    """The history row of the return that is the case's last move (the 退回 banner), or None."""
    if snap.final:
        return None
    ev = engine().last_return(snap, history)
    return present.event_rows(d, [ev], names, engine().policy.role_label)[0] if ev is not None else None


def _event_label(d: Any, trigger: str) -> str:
    named = d.transitions_named(trigger)
    return str(named[0].label) if named else trigger


def _orphan_messages(failed: Failed | None, allowed: Sequence[ActionView]) -> list[str]:
    """Messages of a failed event the actor is not offered (shown above the forms)."""
    if failed is None or failed.panel != "action" or failed.event in {a.event for a in allowed}:
        return []
    return [text for _, text in error_summary(failed)]


def _recusal_form(snapshot: CaseSnapshot, names: dict[str, str], only: str | None) -> RecusalForm | None:
    """The 回避 form: anyone not yet recused, or ``only`` the viewer (who may declare only their own)."""
    if only is not None:
        if only in snapshot.recused:
            return None
        form = RecusalForm(formdata=None, prefix="recusal")
        form.username.choices = choices([(only, names.get(only, only))])
        return form
    form = RecusalForm(formdata=None, prefix="recusal")
    form.username.choices = choices([("", "请选择")] + [(u, n) for u, n in sorted(names.items())
                                                       if u not in snapshot.recused])
    return form


def _urge_form(snapshot: CaseSnapshot, actor: Actor) -> UrgeForm | None:
    """The 催办 form: one of the holders other than the viewer (none: no form)."""
    others = [(u, n) for u, n in zip(snapshot.holders, snapshot.holder_names, strict=True) if u != actor.username]
    if snapshot.final or not others:
        return None
    form = UrgeForm(formdata=None, prefix="urge")
    form.username.choices = choices(others)
    return form
