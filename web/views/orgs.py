"""组织 (blueprint ``orgs``, under 系统管理): the tree of organization departments.

Administrators add organizations and rename them; the code of an organization is
fixed once made (users, cadres and cases refer to it).
"""

from __future__ import annotations

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from workflow import ValidationFailed

from .. import engine
from ..auth import capability_required
from ..forms import OrgForm
from ..forms import OrgRenameForm
from ..forms import attach_errors
from .admin import org_choices

bp = Blueprint("orgs", __name__, url_prefix="/admin/orgs")
LABELS = {"code": "组织编码", "name": "组织名称", "parent": "上级组织"}


@bp.route("", methods=["GET", "POST"])
@capability_required("manage_users")
def index() -> ResponseReturnValue:
    form = OrgForm() if request.method == "POST" else OrgForm(formdata=None)
    form.parent.choices = org_choices()
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            org = engine().orgs.add((form.code.data or "").strip(), form.name.data or "", form.parent.data or None)
        except ValidationFailed as exc:
            form.form_errors.extend(attach_errors(form, exc.fields, LABELS))
            status = 422
        else:
            flash(f"已创建组织 {org.name}", "success")
            return redirect(url_for("orgs.index"), code=303)
    elif request.method == "POST":
        status = 422
    return render_template("admin/orgs.html", orgs=_rows(), form=form, rename=OrgRenameForm(formdata=None)), status


@bp.post("/<code>/name")
@capability_required("manage_users")
def rename(code: str) -> ResponseReturnValue:
    form = OrgRenameForm()
    if not form.validate_on_submit():
        flash("；".join(m for errors in form.errors.values() for m in errors), "error")
        return redirect(url_for("orgs.index"), code=303)
    try:
        org = engine().orgs.rename(code, form.name.data or "")
    except ValidationFailed as exc:
        flash("；".join(exc.fields.values()), "error")
    else:
        flash(f"已更名为 {org.name}", "success")
    return redirect(url_for("orgs.index"), code=303)


def _rows() -> list[dict[str, object]]:
    """Each organization with its depth, its parent's name and how many users it has."""
    eng = engine()
    items = eng.orgs.all()
    names = {o.id: o.name for o in items}
    users: dict[int, int] = {}
    for u in eng.users.all():
        users[u.org_id] = users.get(u.org_id, 0) + 1
    return [{"org": o, "depth": o.path.count("/") - 2, "parent": names.get(o.parent_id or 0, ""),
             "users": users.get(o.id, 0)} for o in items]
