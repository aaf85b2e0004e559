"""Downloads of a case (blueprint ``files``): attachments, the history PDF, official forms.

The history PDF is read-only (only logged by the documents layer), so it is a GET.
Issuing an official form is recorded in the case history, so the page asks for it
with a POST carrying a CSRF token; the answer is the PDF itself.
"""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import Blueprint
from flask import Response
from flask import abort
from flask import redirect
from flask import render_template
from flask import request
from flask import send_file
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from documents import handout

from .. import engine
from ..auth import current_actor
from ..jobs import queue
from .casepage import snapshot_scope

bp = Blueprint("files", __name__)


@bp.get("/cases/<int:case_id>/attachments/<int:attachment_id>")
@login_required  # type: ignore[misc]
def attachment(case_id: int, attachment_id: int) -> ResponseReturnValue:
    view, content = handout.attachment(engine(), case_id, attachment_id, current_actor(), request.remote_addr or "")
    return send_file(io.BytesIO(content), mimetype=view.content_type, as_attachment=True,
                     download_name=view.filename, max_age=0)


@bp.get("/cases/<int:case_id>/history.pdf")
@login_required  # type: ignore[misc]
def history_pdf(case_id: int) -> ResponseReturnValue:
    from documents import render_history

    actor = current_actor()
    job = queue().history_pdf(case_id, actor, request.remote_addr or "")  # a long history renders in the background
    if job is not None:
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    pdf = render_history(engine(), case_id, actor, request.remote_addr or "")
    return _pdf(pdf, f"案件{case_id}全程记录.pdf")


@bp.post("/cases/<int:case_id>/documents/<name>.pdf")
@login_required  # type: ignore[misc]
def document_pdf(case_id: int, name: str) -> ResponseReturnValue:
    from documents import available_documents
    from documents import render_form

    actor = current_actor()
    titles = dict(available_documents(engine(), case_id, actor))
    if name not in titles:
        abort(404)
    pdf = render_form(engine(), case_id, name, actor, address=request.remote_addr or "")
    return _pdf(pdf, f"{titles[name]}（案件{case_id}）.pdf")


@bp.get("/cases/<int:case_id>/documents/<name>.pdf")
@login_required  # type: ignore[misc]
def document_copy(case_id: int, name: str) -> ResponseReturnValue:
    """A form to read (an auditor's copy): logged, never an issuance in the history."""
    from documents import available_documents
    from documents import render_form

    actor = current_actor()
    titles = dict(available_documents(engine(), case_id, actor))
    if name not in titles:
        abort(404)
    pdf = render_form(engine(), case_id, name, actor, issue=False, address=request.remote_addr or "")
    return _pdf(pdf, f"{titles[name]}（案件{case_id}）.pdf", inline=request.args.get("inline") == "1")


@bp.get("/cases/<int:case_id>/issued/<int:seq>.pdf")
@login_required  # type: ignore[misc]
def issued(case_id: int, seq: int) -> ResponseReturnValue:
    """The copy of a form as the case's event ``seq`` issued it (registered as a read)."""
    from documents.issue import issued_pdf

    title, pdf = issued_pdf(engine(), case_id, seq, current_actor(), request.remote_addr or "")
    return _pdf(pdf, f"{title}（案件{case_id}，出具件）.pdf")


@bp.get("/cases/<int:case_id>/documents/<name>")
@login_required  # type: ignore[misc]
def document_preview(case_id: int, name: str) -> ResponseReturnValue:
    """A form shown in the page (the browser's PDF viewer) with 打印, 下载 and, for who may, 出具.
    The PDF it shows is a copy to read (``document_copy``): registered, never a history event."""
    from documents import available_documents

    actor = current_actor()
    titles = dict(available_documents(engine(), case_id, actor))
    if name not in titles:
        abort(404)
    eng = engine()
    case = eng.get_case(case_id, actor)
    scope = snapshot_scope(case, eng.registry.get(case.definition, case.definition_version))
    return render_template("cases/document.html", case=case, name=name, title=titles[name],
                           may_issue=eng.policy.can(actor, "issue_documents", scope))


def _pdf(content: bytes, filename: str, inline: bool = False) -> Response:
    """The PDF as a download, or ``inline`` for the preview's frame (this site may frame it)."""
    response = Response(content, mimetype="application/pdf")
    how = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f"{how}; filename*=UTF-8''{quote(filename)}"
    if inline:
        response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
