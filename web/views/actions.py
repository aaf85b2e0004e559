"""Changing a case from the page (blueprint ``actions``): events, attachments, recusals, 催办.

Each POST validates the form, calls one engine method, and on success redirects
to the case page (Post/Redirect/Get). Engine refusals go back onto the form:
per-field messages, a box with the procedure's rules, or the 403 reason, on the
form that failed (it stays open, its summary focused so the page scrolls to it). A stale page (the
case moved on meanwhile) keeps what was typed and says what changed
(web.views.conflict); an event no longer possible is flashed by web.errors.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm

from workflow import CaseSnapshot
from workflow import GuardFailed
from workflow import PermissionDenied
from workflow import StaleVersion
from workflow import TooManyRequests
from workflow import TransitionNotAllowed
from workflow import ValidationFailed
from workflow.definition.schema import TransitionDef
from workflow.errors import WorkflowError
from workflow.types import FireResult
from workflow.types import Upload

from .. import engine
from ..auth import current_actor
from ..forms import COMMENT
from ..forms import CONFIRM
from ..forms import VERSION
from ..forms import AttachmentForm
from ..forms import RecusalForm
from ..forms import SignerForm
from ..forms import UrgeForm
from ..forms import WithdrawForm
from ..forms import attach_errors
from ..forms import event_form
from ..forms import form_values
from ..params import DB_INT_MAX
from ..params import form_int
from ..throttle import flood_check
from ..throttle import flood_count
from .casepage import Failed
from .casepage import confirm_text
from .casepage import field_options
from .casepage import render_case
from .conflict import conflict_messages
from .present import user_names

bp = Blueprint("actions", __name__)


@bp.post("/cases/<int:case_id>/events/<event>")
@login_required  # type: ignore[misc]
def fire(case_id: int, event: str) -> ResponseReturnValue:
    actor = current_actor()
    snap = engine().get_case(case_id, actor)
    t = _transition(snap, event)
    form = event_form(t.fields, field_options(snap, t.fields, actor), prefix=event, confirm=confirm_text(t))
    version = _version(form)
    labels = {f.name: f.label for f in t.fields}
    if version is None:
        return render_case(case_id, Failed(event, form, ["案件版本：" + form[VERSION].errors[0]
                                                         + "（请刷新页面后重试）"]), 422)
    unconfirmed = CONFIRM in form and not form[CONFIRM].data
    if unconfirmed:  # not sent: the same checks the engine runs, so every error shows at once
        form[CONFIRM].errors = ["此操作不可撤销，请勾选确认后再提交"]
        return _refused(case_id, event, form, labels, lambda data: engine().check_event(
            case_id, event, actor, data, sent_files=frozenset(_uploads(form, t))), t)
    flood_check("event", case_id, actor)
    try:
        data = form_values(form, t.fields) | _chosen_attachments(form, t)
        result = engine().fire(case_id, event, actor, data, expected_version=version,
                               comment=form[COMMENT].data or "", uploads=_uploads(form, t),
                               cc=request.form.get(f"{event}-event_cc") or None)  # 抄送 (cases/_cc.html)
    except ValidationFailed as exc:
        return render_case(case_id, Failed(event, form, attach_errors(form, exc.fields, labels)), 422)
    except GuardFailed as exc:
        return render_case(case_id, Failed(event, form, list(exc.failures)), 422)
    except PermissionDenied as exc:
        return render_case(case_id, Failed(event, form, [exc.message]), 403)
    except StaleVersion:
        return render_case(case_id, Failed(event, form, conflict_messages(case_id, version, actor), stale=True),
                           409)
    flood_count("event", case_id, actor.username)
    flash(_done_message(t, result), "success")
    return redirect(url_for("cases.show", case_id=case_id), code=303)


def _refused(case_id: int, event: str, form: FlaskForm, labels: dict[str, str],
             check: Callable[[dict[str, object]], None], t: TransitionDef) -> ResponseReturnValue:
    """The unconfirmed form again, with the confirmation's error and every other error ``check`` finds."""
    messages: list[str] = []
    try:
        check(form_values(form, t.fields) | _chosen_attachments(form, t))
    except ValidationFailed as exc:
        messages = attach_errors(form, exc.fields, labels)
    except GuardFailed as exc:
        messages = list(exc.failures)
    except PermissionDenied as exc:
        messages = [exc.message]
    return render_case(case_id, Failed(event, form, messages), 422)


def _transition(snap: CaseSnapshot, event: str) -> TransitionDef:
    d = engine().registry.get(snap.definition, snap.definition_version)
    try:
        return engine().registry.machine(d).move(snap.state, event, snap.data)
    except TransitionNotAllowed:
        raise TransitionNotAllowed(f"案件当前环节“{snap.state_label}”下不能办理此项，页面可能已过期",
                                   event=event, state=snap.state) from None


def _version(form: FlaskForm) -> int | None:
    """The page's case version (web.params: strict); None, with the message on the field, when invalid."""
    return form_int(form[VERSION], 1, DB_INT_MAX, "案件版本", required=True)


def _uploads(form: FlaskForm, t: TransitionDef) -> dict[str, list[Upload]]:
    """The files sent for the event's file fields (stored by the engine in the event's transaction)."""
    out: dict[str, list[Upload]] = {}
    for f in t.fields:
        if f.type == "file":
            files = [Upload(u.filename, u.read()) for u in request.files.getlist(form[f.name].name)
                     if u and u.filename]
            if files:
                out[f.name] = files
    return out


def _chosen_attachments(form: FlaskForm, t: TransitionDef) -> dict[str, object]:
    """An attachment already on the case, chosen for a file field no file was sent for."""
    out: dict[str, object] = {}
    for f in t.fields:
        existing = f"{f.name}__existing"
        if f.type != "file" or existing not in form:
            continue
        sent = [u for u in request.files.getlist(form[f.name].name) if u and u.filename]
        if sent:
            continue
        chosen = form_int(form[existing], 1, DB_INT_MAX, f.label)
        if form[existing].errors:
            raise ValidationFailed({f.name: f"{f.label}：{form[existing].errors[0]}"})
        if chosen is not None:
            out[f.name] = chosen
    return out


def _done_message(t: TransitionDef, result: FireResult) -> str:
    if result.waiting is not None:
        w = result.waiting
        return f"已签署“{t.label}”（{w.given}/{w.required}），尚待其余人员签署"
    return f"已办理“{t.label}”，案件现处于“{result.case.state_label}”"


@bp.post("/cases/<int:case_id>/attachments")
@login_required  # type: ignore[misc]
def upload(case_id: int) -> ResponseReturnValue:
    form = AttachmentForm(prefix="upload")
    upload = form.file.data if form.validate_on_submit() else None
    if not upload or not upload.filename:
        form.file.errors = ["请选择要上传的文件"]
        return render_case(case_id, Failed("", form, panel="upload"), 422)
    actor = current_actor()
    flood_check("upload", case_id, actor)
    try:
        view = engine().add_attachment(case_id, upload.filename, upload.read(), actor)
    except ValidationFailed as exc:
        return render_case(case_id, Failed("", form, list(exc.fields.values()), panel="upload"), 422)
    flood_count("upload", case_id, actor.username)
    flash(f"已上传附件：{view.filename}", "success")
    return redirect(url_for("cases.show", case_id=case_id, _anchor="attachments"), code=303)


@bp.post("/cases/<int:case_id>/recusals")
@login_required  # type: ignore[misc]
def recuse(case_id: int) -> ResponseReturnValue:
    form = RecusalForm(prefix="recusal")
    form.validate_on_submit()
    try:
        engine().add_recusal(case_id, form.username.data or "", form.reason.data or "", current_actor())
    except ValidationFailed as exc:
        flash("；".join(exc.fields.values()), "error")
    except PermissionDenied as exc:  # e.g. another's recusal by who may declare only their own
        flash(exc.message, "error")
    else:
        who = form.username.data or ""
        flash(f"已登记回避：{user_names().get(who, who)}", "success")
    return redirect(url_for("cases.show", case_id=case_id, _anchor="recusals"), code=303)


@bp.post("/cases/<int:case_id>/urge")
@login_required  # type: ignore[misc]
def urge(case_id: int) -> ResponseReturnValue:
    form = UrgeForm(prefix="urge")
    form.validate_on_submit()
    return _naming(case_id, form.username.data or "", "已催办", "urge", (TransitionNotAllowed, TooManyRequests),
                   lambda who: engine().urge(case_id, who, form.text.data or "", current_actor()))


@bp.post("/cases/<int:case_id>/signers")
@login_required  # type: ignore[misc]
def add_signer(case_id: int) -> ResponseReturnValue:
    form = SignerForm(prefix="signer")
    form.validate_on_submit()
    return _naming(case_id, form.username.data or "", "已加签", "approvals", (TransitionNotAllowed, PermissionDenied),
                   lambda who: engine().add_signer(case_id, who, form.reason.data or "", current_actor()))


def _naming(case_id: int, username: str, done: str, anchor: str, refused: tuple[type[WorkflowError], ...],
            call: Callable[[str], object]) -> ResponseReturnValue:
    """A case-page form that names a user (催办, 加签): ``call`` it, then back to the case at
    ``anchor`` with the outcome as a message (the refusals in ``refused`` by their own words)."""
    try:
        call(username)
    except ValidationFailed as exc:
        flash("；".join(exc.fields.values()), "error")
    except refused as exc:
        flash(exc.message, "error")
    else:
        flash(f"{done}：{user_names().get(username, username)}", "success")
    return redirect(url_for("cases.show", case_id=case_id, _anchor=anchor), code=303)


@bp.post("/cases/<int:case_id>/withdraw")
@login_required  # type: ignore[misc]
def withdraw(case_id: int) -> ResponseReturnValue:
    form = WithdrawForm(prefix="withdraw")
    form.validate_on_submit()
    actor = current_actor()
    version = form_int(form.expected_version, 1, DB_INT_MAX, "案件版本", required=True)
    if form.expected_version.errors:
        flash("案件版本：" + form.expected_version.errors[0], "error")
        return redirect(url_for("cases.show", case_id=case_id), code=303)
    flood_check("event", case_id, actor)
    try:
        engine().withdraw(case_id, actor, version, form.comment.data or "")
    except ValidationFailed as exc:
        flash("；".join(exc.fields.values()), "error")
    except (TransitionNotAllowed, PermissionDenied) as exc:
        flash(exc.message, "error")
    else:
        flood_count("event", case_id, actor.username)
        flash("已撤回上一步", "success")
    return redirect(url_for("cases.show", case_id=case_id), code=303)
