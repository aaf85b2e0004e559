"""委托 and 抄送 pages (blueprint ``daily``): my delegations with a form and revoke buttons
(``/delegations``), every delegation for auditors (``/audit/delegations``, read-only), and the cases
copied to me (``/copies``). Views stay thin: the engine decides and says why (workflow/delegations.py)."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from workflow import PermissionDenied
from workflow import ValidationFailed

from .. import engine
from ..auth import current_actor
from ..delegation_forms import DelegationForm
from ..delegation_forms import RevokeForm
from ..forms import attach_errors

bp = Blueprint("daily", __name__)
ID = "int(min=1, max=2147483647)"
LABELS = {"to": "受托人", "starts_on": "开始日期", "ends_on": "结束日期", "definitions": "委托事项"}


def _page(form: DelegationForm, messages: list[str] | None = None, status: int = 200) -> ResponseReturnValue:
    actor = current_actor()
    form.definitions.choices = [(d.key, d.title) for d in engine().registry.latest()]
    may_delegate = bool(engine().policy.acting_roles(actor)) and not engine().policy.read_only(actor)
    return render_template("daily/delegations.html", form=form, revoke=RevokeForm(), messages=messages or [],
                           items=engine().delegations.mine(actor), me=actor.username,
                           may_delegate=may_delegate), status


@bp.get("/delegations")
@login_required  # type: ignore[misc]
def delegations() -> ResponseReturnValue:
    return _page(DelegationForm(formdata=None))


@bp.post("/delegations")
@login_required  # type: ignore[misc]
def delegate() -> ResponseReturnValue:
    form = DelegationForm()
    if not form.validate():  # CSRF
        return _page(form, ["页面已过期，请刷新后重新提交"], 400)
    try:
        made = engine().delegations.create(current_actor(), form.to.data, form.starts_on.data, form.ends_on.data,
                                           list(form.definitions.data or []))
    except ValidationFailed as exc:
        return _page(form, attach_errors(form, exc.fields, LABELS), 422)
    except PermissionDenied as exc:
        return _page(form, [exc.message], 403)
    flash(f"已委托{made.delegate_name}于{made.starts_on.isoformat()}至{made.ends_on.isoformat()}代为办理"
          f"{'、'.join(made.definition_titles)}", "success")
    return redirect(url_for("daily.delegations"), code=303)


@bp.post(f"/delegations/<{ID}:delegation_id>/revoke")
@login_required  # type: ignore[misc]
def revoke(delegation_id: int) -> ResponseReturnValue:
    if not RevokeForm().validate():
        abort(400)
    engine().delegations.revoke(delegation_id, current_actor())  # another's: 404
    flash("委托已撤销", "success")
    return redirect(url_for("daily.delegations"), code=303)


@bp.get("/audit/delegations")
@login_required  # type: ignore[misc]
def all_delegations() -> ResponseReturnValue:
    return render_template("daily/all_delegations.html", items=engine().delegations.every(current_actor()))


@bp.get("/copies")
@login_required  # type: ignore[misc]
def copies() -> ResponseReturnValue:
    return render_template("daily/copies.html", items=engine().copies.copied_to(current_actor()))
