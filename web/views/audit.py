"""监督检查 (blueprint ``audit``): every case read-only with the verify status of its chain.

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

from .. import engine
from ..auth import capability_required
from ..auth import current_actor
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
