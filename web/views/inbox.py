"""The inbox (blueprint ``inbox``, path ``/``): 待办, 已办 and 我发起的 of the signed-in user.

A user who acts on no case is sent on to the page of their work (web.landing).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from documents.xlsx import cases_workbook
from workflow import CaseQuery

from .. import engine
from ..auth import current_actor
from ..landing import landing
from . import Page
from . import page_number
from . import page_url_args
from . import present
from .cases import COLUMNS
from .exports import counted
from .exports import every_page
from .exports import xlsx_response

bp = Blueprint("inbox", __name__)
PER_PAGE = 20
TABS = (("todo", "待办"), ("done", "已办"), ("mine", "我发起的"))


def search_text() -> str | None:
    """The inbox's search (``q``): the cases whose title contains it, in every tab."""
    return (request.args.get("q") or "").strip()[:100] or None


def list_order() -> dict[str, Any]:
    """``sort`` (a column of the case list) and ``order`` (asc, desc) of the 已办 and 我发起的 tabs."""
    sort = request.args.get("sort", "updated")
    return {"sort": sort if sort in dict(COLUMNS) else "updated", "descending": request.args.get("order") != "asc"}


@bp.get("/")
@login_required  # type: ignore[misc]
def index() -> ResponseReturnValue:
    actor = current_actor()
    if (start := landing(actor)) is not None:  # nothing to do in an inbox: their own first page
        return redirect(url_for(start))
    eng = engine()
    tab = request.args.get("tab", "todo")
    tab = tab if tab in dict(TABS) else "todo"
    number = page_number()
    text = search_text()
    todo_all, n_todo = eng.todo(actor, 1, 200, text)  # most urgent first; also counts the overdue ones
    todo = todo_all[(number - 1) * PER_PAGE:number * PER_PAGE]
    if tab == "todo" and n_todo > len(todo_all):
        todo = eng.todo(actor, number, PER_PAGE, text)[0]
    order = list_order()  # 已办 and 我发起的 sort by a column; 待办 is always most urgent first
    done, n_done = eng.list_cases(CaseQuery(acted_by=actor.username, text=text, page=number, per_page=PER_PAGE,
                                            **order), actor)
    mine, n_mine = eng.list_cases(CaseQuery(created_by=actor.username, text=text, page=number,
                                            per_page=PER_PAGE, **order), actor)
    items = {"todo": todo, "done": done, "mine": mine}[tab]
    counts = {"todo": n_todo, "done": n_done, "mine": n_mine}
    overdue = sum(1 for c in todo_all if c.overdue)
    return render_template("inbox/index.html", tab=tab, tabs=TABS, items=items, counts=counts,
                           page=Page(number, PER_PAGE, counts[tab]), overdue=overdue,
                           dues={c.id: present.due(c) for c in items}, returned=eng.returned(items),
                           read_only=not eng.policy.acting_roles(actor), q=text or "",
                           query=CaseQuery(**order), columns=None if tab == "todo" else COLUMNS,
                           url_args=page_url_args)


@bp.get("/inbox.xlsx")
@login_required  # type: ignore[misc]
def export() -> ResponseReturnValue:
    """One tab of the inbox (``tab``: todo, done, mine), every page of it, as a workbook."""
    actor = current_actor()
    eng = engine()
    tab = request.args.get("tab", "todo")
    tab = tab if tab in dict(TABS) else "todo"
    text = search_text()
    if tab == "todo":
        items, total = every_page(lambda n, size: eng.todo(actor, n, size, text))
    else:
        who = {"acted_by": actor.username} if tab == "done" else {"created_by": actor.username}
        order = list_order()
        items, total = every_page(lambda n, size: eng.list_cases(
            CaseQuery(page=n, per_page=size, text=text, **who, **order), actor))
    title = f"我的工作台·{dict(TABS)[tab]}"
    summary = "；".join([*([f"关键词：{text}"] if text else []), counted(total, len(items))])
    content = cases_workbook(eng, actor, title, items, summary, request.remote_addr or "")
    return xlsx_response(content, f"{title}.xlsx")
