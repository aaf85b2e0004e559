"""监督检查 (blueprint ``audit``): every case read-only with the verify status of its chain, and
查阅登记, the register of every read.

Auditors also read each case at ``/cases/<id>`` (the engine offers them no action
there) and download its history PDF. Verifying the whole database streams every
chain, so it runs only when asked for.
"""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from workflow import CaseQuery
from workflow.access import ACTION_LABELS
from workflow.access import OBJECT_LABELS

from .. import engine
from ..auth import capability_required
from ..auth import current_actor
from ..params import DB_INT_MAX
from ..params import optional_query_int
from . import Page
from . import page_number
from . import page_url_args

bp = Blueprint("audit", __name__)
PER_PAGE = 30


@bp.get("/audit")
@capability_required("read_audit")
def index() -> ResponseReturnValue:
    eng = engine()
    number = page_number()
    text = (request.args.get("q") or "").strip()[:100] or None
    q = CaseQuery(text=text, sort="id", descending=False, page=number, per_page=PER_PAGE)
    items, total = eng.list_cases(q, current_actor())
    checks = {c.id: eng.verify_case(c.id) for c in items}
    report = eng.verify() if request.args.get("verify") else None
    return render_template("audit/index.html", items=items, checks=checks, report=report,
                           page=Page(number, PER_PAGE, total), q=text or "", url_args=page_url_args)


@bp.get("/audit/access")
@capability_required("read_audit")
def access() -> ResponseReturnValue:
    """查阅登记: who read which case or record, when and from where; newest first, filtered."""
    number = page_number()
    case_id = optional_query_int("case_id", 1, DB_INT_MAX, "案件编号")
    person_id = optional_query_int("person_id", 1, DB_INT_MAX, "人员编号")
    username = (request.args.get("username") or "").strip()[:64] or None
    items, total = engine().access.entries(current_actor(), case_id=case_id, person_id=person_id,
                                           username=username, page=number, per_page=PER_PAGE)
    return render_template("audit/access.html", items=items, page=Page(number, PER_PAGE, total),
                           case_id=case_id or "", person_id=person_id or "", username=username or "",
                           actions=ACTION_LABELS, objects=OBJECT_LABELS, url_args=page_url_args)
