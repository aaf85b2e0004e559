"""系统管理 (blueprint ``admin``): users and roles, API tokens, definitions (read-only).

Everything goes through ``engine.users`` and ``engine.registry``. A new token is
shown once, in the answer to the POST that made it (it is never stored, flashed
or put in a cookie), with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from documents.diagram import definition_svg
from workflow import NotFound
from workflow import ValidationFailed
from workflow.extensions import rule_value

from .. import engine
from ..auth import capability_required
from ..forms import PasswordForm
from ..forms import RevokeForm
from ..forms import TokenForm
from ..forms import UserEditForm
from ..forms import UserForm
from ..forms import attach_errors
from ..forms import choices
from ..params import optional_query_int
from ..passwords import hash_password
from ..passwords import password_problem

bp = Blueprint("system", __name__, url_prefix="/admin")
LABELS = {"username": "用户名", "roles": "角色", "name": "姓名", "unit": "单位", "org": "所属组织", "active": "启用",
          "email": "电子邮箱"}


def _role_choices() -> list[SelectChoice]:
    return choices([(r.name, r.label) for r in engine().policy.catalog.roles])


def org_choices() -> list[SelectChoice]:
    """Every organization, indented under its parent (the administrator places users in any)."""
    return choices([(o.code, "　" * (o.path.count("/") - 2) + o.name) for o in engine().orgs.all()])


@bp.route("/users", methods=["GET", "POST"])
@capability_required("manage_users")
def users() -> ResponseReturnValue:
    form = UserForm() if request.method == "POST" else UserForm(formdata=None)
    form.roles.choices = _role_choices()
    form.org.choices = org_choices()
    status = 200
    if request.method == "POST" and form.validate_on_submit() and _password_ok(form.password,
                                                                               form.username.data.strip()):
        try:
            engine().users.add(form.username.data.strip(), list(form.roles.data or []),
                               hash_password(form.password.data),
                               name=(form.name.data or "").strip(), unit=(form.unit.data or "").strip(),
                               org=form.org.data or None)
        except ValidationFailed as exc:
            form.form_errors.extend(attach_errors(form, exc.fields, LABELS))
            status = 422
        else:
            flash(f"已创建用户 {form.username.data.strip()}", "success")
            return redirect(url_for("system.users"), code=303)
    elif request.method == "POST":
        status = 422
    return render_template("admin/users.html", users=engine().users.all(), form=form), status


@bp.route("/users/<username>", methods=["GET", "POST"])
@capability_required("manage_users")
def user(username: str) -> ResponseReturnValue:
    record = engine().users.get(username)
    if request.method == "POST":
        form = UserEditForm()
    else:
        form = UserEditForm(formdata=None, data={"name": record.name, "unit": record.unit, "org": record.org_code,
                                                 "email": record.email, "roles": list(record.roles),
                                                 "active": record.active})
    form.roles.choices = _role_choices()
    form.org.choices = org_choices()
    status = 200
    deactivating = record.active and not form.active.data
    if request.method == "POST" and deactivating and not form.confirm_deactivate.data:
        form.confirm_deactivate.errors = ["停用用户须勾选确认"]
        form.form_errors.append("停用用户须勾选“我已确认：停用该用户”后再保存")
        status = 422
    elif request.method == "POST" and form.validate_on_submit():
        try:
            engine().users.set_email(username, form.email.data or "")  # checked first: a bad one saves nothing
            engine().users.update(username, roles=list(form.roles.data or []),
                                  name=(form.name.data or "").strip(), unit=(form.unit.data or "").strip(),
                                  active=bool(form.active.data), org=form.org.data or None)
        except ValidationFailed as exc:
            form.form_errors.extend(attach_errors(form, exc.fields, LABELS))
            status = 422
        else:
            flash(f"已保存用户 {username}", "success")
            return redirect(url_for("system.user", username=username), code=303)
    elif request.method == "POST":
        status = 422
    return render_template("admin/user.html", record=record, form=form,
                           password_form=PasswordForm(formdata=None),
                           tokens=engine().users.tokens(username)), status


@bp.post("/users/<username>/password")
@capability_required("manage_users")
def password(username: str) -> ResponseReturnValue:
    record = engine().users.get(username)
    form = PasswordForm()
    if not form.validate_on_submit() or not _password_ok(form.password, record.username):
        flash("；".join(m for errors in form.errors.values() for m in errors), "error")
        return redirect(url_for("system.user", username=username), code=303)
    engine().users.update(record.username, password_hash=hash_password(form.password.data))  # ends its sessions
    engine().users.clear_account_failures(record.id)
    flash(f"已重设 {username} 的密码，其已登录的会话随之失效", "success")
    return redirect(url_for("system.user", username=username), code=303)


@bp.route("/tokens", methods=["GET", "POST"])
@capability_required("manage_users")
def tokens() -> ResponseReturnValue:
    form = TokenForm() if request.method == "POST" else TokenForm(formdata=None)
    form.username.choices = choices([(u.username, f"{u.name}（{u.username}）")
                                     for u in engine().users.all() if u.active])
    new_token = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            new_token = engine().users.create_token(form.username.data or "", form.note.data or "")
        except NotFound as exc:
            form.username.errors = [exc.message]
    response = render_template("admin/tokens.html", form=form, tokens=engine().users.tokens(),
                               new_token=new_token,
                               token_user=form.username.data)
    return response, 201 if new_token else 200, {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
@capability_required("manage_users")
def revoke(token_id: int) -> ResponseReturnValue:
    form = RevokeForm()
    if not form.validate_on_submit() or not form.confirm.data:
        flash(f"吊销令牌 {token_id} 须勾选“确认吊销”后再提交；令牌未吊销", "error")
    else:
        engine().users.revoke_token(token_id)
        flash(f"已吊销令牌 {token_id}", "success")
    return redirect(url_for("system.tokens"), code=303)


def _password_ok(field: Any, username: str) -> bool:
    """The password rule (web.passwords) on a form's field: False with the message on the field."""
    problem = password_problem(field.data or "", username)
    if problem:
        field.errors = [*field.errors, problem.split("：", 1)[1]]
    return not problem


@bp.get("/definitions")
@capability_required("manage_definitions")
def definitions() -> ResponseReturnValue:
    reg = engine().registry
    versions: dict[str, list[int]] = {}
    for d in reg.versions():
        versions.setdefault(d.key, []).append(d.version)
    return render_template("admin/definitions.html", definitions=reg.latest(), versions=versions)


@bp.get("/definitions/<key>")
@capability_required("manage_definitions")
def definition(key: str) -> ResponseReturnValue:
    reg = engine().registry
    d = reg.get(key, optional_query_int("version", 1, 10_000, "版本"))
    versions = [x.version for x in reg.versions() if x.key == key]
    return render_template("admin/definition.html", d=d, versions=versions, diagram=definition_svg(d),
                           role_label=engine().policy.role_label, rule_text=_rule_text)


def _rule_text(rule: str, params: dict[str, object]) -> str:
    """A guard's rule with its parameters filled in (ratios as 三分之二), as refusals print it."""
    try:
        return rule.format(**{k: rule_value(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return rule
