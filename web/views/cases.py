"""Cases (blueprint ``cases``): the list with filters, the case page, opening a new case.

``init_app`` also registers the blueprints that belong to the case area: actions
(events, attachments, recusals), files (downloads) and people.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint
from flask import Flask
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from documents.xlsx import cases_workbook
from workflow import Actor
from workflow import CaseQuery
from workflow import PermissionDenied
from workflow import ValidationFailed
from workflow.definition.schema import ProcessDefinition

from .. import engine
from ..auth import current_actor
from ..forms import COMMENT
from ..forms import FieldOptions
from ..forms import attach_errors
from ..forms import choices
from ..forms import form_values
from ..forms import start_form
from ..params import DB_INT_MAX
from ..params import form_int
from ..params import optional_query_int
from . import Page
from . import page_number
from . import page_url_args
from . import present
from .casepage import field_options
from .casepage import render_case
from .exports import counted
from .exports import every_page
from .exports import xlsx_response

bp = Blueprint("cases", __name__)
PER_PAGE = 30
COLUMNS = (("id", "编号"), ("title", "标题"), ("definition", "流程"), ("state", "当前环节"),
           ("due", "办理期限"), ("updated", "最近办理"))


@bp.get("/cases")
@login_required  # type: ignore[misc]
def index() -> ResponseReturnValue:
    q = _query()
    items, total = engine().list_cases(q, current_actor())
    return render_template("cases/index.html", items=items, page=Page(q.page, q.per_page, total),
                           query=q, columns=COLUMNS, definitions=engine().registry.latest(),
                           states=_states(q.definition), dues={c.id: present.due(c) for c in items},
                           returned=engine().returned(items),
                           url_args=page_url_args)


@bp.get("/cases.xlsx")
@login_required  # type: ignore[misc]
def export() -> ResponseReturnValue:
    """The list with its filters and order, every page of it, as a workbook (registered in 查阅登记)."""
    q = _query()
    actor = current_actor()
    items, total = every_page(lambda n, size: engine().list_cases(replace(q, page=n, per_page=size), actor))
    summary = "；".join([*_filters_text(q), counted(total, len(items))])
    content = cases_workbook(engine(), actor, "案件列表", items, summary, request.remote_addr or "")
    return xlsx_response(content, "案件列表.xlsx")


def _filters_text(q: CaseQuery) -> list[str]:
    reg = engine().registry
    d = reg.get(q.definition) if q.definition and reg.has(q.definition) else None
    out = [f"流程：{d.title}"] if d else []
    if q.state:
        out.append(f"环节：{d.state_label(q.state) if d else q.state}")
    if q.overdue:
        out.append("仅逾期")
    if q.text:
        out.append(f"关键词：{q.text}")
    if q.person:
        out.append(f"干部：{q.person}")
    return out


def _query() -> CaseQuery:
    a = request.args
    sort = a.get("sort", "updated")
    definition, state = a.get("definition") or None, a.get("state") or None
    if state and ":" in state:  # 环节 chosen among all procedures' (``_states``): ``procedure:state``
        key, _, state = state.partition(":")
        definition = definition or key or None
    return CaseQuery(
        definition=definition, state=state or None,
        overdue=True if a.get("overdue") else None, person=(a.get("person") or "").strip()[:50] or None,
        text=(a.get("q") or "").strip()[:100] or None, sort=sort if sort in dict(COLUMNS) else "updated",
        descending=a.get("order", "desc") != "asc", page=page_number(), per_page=PER_PAGE)


def _states(key: str | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """States to filter by, in process order: of the chosen procedure (one group without a title), or
    grouped by procedure, each valued ``procedure:state`` (the same 环节 name means another step in
    another procedure)."""
    reg = engine().registry
    if key and reg.has(key):
        return [("", [(s.name, s.label) for s in reg.get(key).states])]
    return [(d.title, [(f"{d.key}:{s.name}", s.label) for s in d.states]) for d in reg.latest()]


@bp.get("/cases/<int:case_id>")
@login_required  # type: ignore[misc]
def show(case_id: int) -> ResponseReturnValue:
    page = render_case(case_id)  # 404 for a case the viewer may not see, before anything is registered
    engine().access.record(current_actor(), "view", "case", case_id=case_id, address=request.remote_addr or "")
    return page


@bp.route("/cases/new", methods=["GET", "POST"])
@login_required  # type: ignore[misc]
def new() -> ResponseReturnValue:
    actor = current_actor()
    if not engine().policy.may_start_any(actor, engine().registry.latest()):  # not offered in the menu either
        raise PermissionDenied("您的角色不能发起任何流程")
    acting = engine().policy.acting_roles(actor)
    choices = [d for d in engine().registry.latest() if set(d.start.roles) & acting]
    d = next((x for x in choices if x.key == request.args.get("definition")), None)
    if d is None:
        return render_template("cases/choose.html", choices=choices)
    form = _start_form(d, actor)
    if request.method == "GET" and request.args.get("title"):  # typed before a search for the 干部
        form.title.data = request.args["title"][:200]
    status = 200
    if request.method == "POST" and form.validate_on_submit() and not _subject_invalid(form):
        try:
            case = engine().start_case(
                d.key, actor, title=form.title.data or "", subject_id=_subject(form),
                data=form_values(form, d.start.fields), comment=form[COMMENT].data or "")
        except ValidationFailed as exc:
            labels = {f.name: f.label for f in d.start.fields} | {"title": "标题", "subject_id": "对象"}
            form.form_errors.extend(attach_errors(form, exc.fields, labels))
            status = 422
        else:
            flash(f"已发起案件：{case.title}", "success")
            return redirect(url_for("cases.show", case_id=case.id), code=303)
    elif request.method == "POST":
        status = 422
    return render_template("cases/new.html", definition=d, form=form, q=request.args.get("q", "")), status


def _start_form(d: ProcessDefinition, actor: Actor) -> Any:
    fields = d.start.fields
    options = field_options(_blank_case(), fields, actor) if fields else FieldOptions()
    if request.method == "POST":
        form = start_form(fields, options)
    else:
        form = start_form(fields, options, formdata=None)
    people, _ = engine().people.search((request.args.get("q") or "").strip()[:50], limit=200, viewer=actor)
    form.subject_id.choices = choices([("", "请选择" if d.start.subject == "required" else "（无）")] + [
        (str(p.id), f"{p.name}（{p.unit or '单位未填'}，{p.birth_date:%Y年%m月}生）") for p in people])
    person = optional_query_int("person", 1, DB_INT_MAX, "人员编号")
    if request.method == "GET" and person is not None:
        form.subject_id.data = str(person)
    if d.start.subject == "none":
        del form["subject_id"]
    return form


def _blank_case() -> Any:
    """A stand-in for the not yet existing case (no recusals, no attachments)."""
    from types import SimpleNamespace

    return SimpleNamespace(id=0, recused=())


def _subject_invalid(form: Any) -> bool:
    """A subject that is not a person id (web.params: strict) puts the message on the field."""
    if "subject_id" in form:
        form_int(form.subject_id, 1, DB_INT_MAX, "所涉干部")
        return bool(form.subject_id.errors)
    return False


def _subject(form: Any) -> int | None:
    return form_int(form.subject_id, 1, DB_INT_MAX, "所涉干部") if "subject_id" in form else None


def init_app(app: Flask) -> None:
    from . import actions
    from . import files
    from . import people

    for module in (actions, files, people):
        app.register_blueprint(module.bp)
