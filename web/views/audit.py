"""监督检查 (blueprint ``audit``): every case read-only with the verify status of its chain, and
查阅登记, the register of every read, and 核验出具的 PDF (``verify-pdf`` for an uploaded file).

Auditors also read each case at ``/cases/<id>`` (the engine offers them no action
there) and download its history PDF. Verifying the whole database streams every
chain, so it runs only when asked for.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint
from flask import abort
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from documents.signing import certificate_of
from documents.verify_pdf import CHECKS
from documents.verify_pdf import check_pdf
from workflow import CaseQuery
from workflow.access import ACTION_LABELS
from workflow.access import OBJECT_LABELS
from workflow.files import MAX_ATTACHMENT
from workflow.files import inspect

from .. import engine
from ..auth import capability_required
from ..auth import current_actor
from ..forms import VerifyPdfForm
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


@bp.route("/audit/verify-pdf", methods=["GET", "POST"])
@capability_required("verify_chain")
def verify_pdf() -> ResponseReturnValue:
    """核验出具的 PDF: what ``cadreflow verify-pdf`` checks, with the database, for an uploaded file."""
    form = VerifyPdfForm()
    if request.method == "GET":
        return render_template("audit/verify_pdf.html", form=form, result=None)
    if not form.validate_on_submit():  # the CSRF token is missing or stale
        return _refused(form, "表单已失效，请刷新页面后重新上传", 400)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _refused(form, "文件：请选择要核验的 PDF", 422)
    try:
        content = upload.stream.read(MAX_ATTACHMENT + 1)
    finally:
        upload.close()  # a large upload is a temporary file
    if len(content) > MAX_ATTACHMENT:
        abort(413)
    if not content:
        return _refused(form, "文件：文件为空", 422)
    if inspect(content).content_type != "application/pdf":
        return _refused(form, "文件：不是 PDF 文件（按文件内容识别，不看扩展名），或 PDF 已损坏", 422)
    eng = engine()
    trusted = certificate_of(eng.settings)
    if trusted is None:
        return _refused(form, "本实例没有文书签名证书，无法核验签名（请先运行 cadreflow init）", 409)
    result = check_pdf(content, trusted, eng, current_actor())
    return render_template("audit/verify_pdf.html", form=form, result=result, checks=CHECKS,
                           filename=upload.filename, sha256=hashlib.sha256(content).hexdigest())


def _refused(form: VerifyPdfForm, message: str, status: int) -> ResponseReturnValue:
    return render_template("audit/verify_pdf.html", form=form, result=None, error=message), status
