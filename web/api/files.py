"""Bytes in and out: attachments (multipart upload, download byte for byte) and PDFs.

The engine detects the type from the content, enforces the 20 MiB limit, stores
the file content-addressed by SHA-256 and writes the history event. PDFs come from
the documents package (imported lazily: WeasyPrint is heavy).
"""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import quote

from flask import Response
from flask import jsonify
from flask import request
from flask import send_file
from flask import url_for

from documents import handout
from workflow import NotFound
from workflow.files import MAX_ATTACHMENT

from .. import engine
from ..jobs import queue
from ..throttle import flood_check
from ..throttle import flood_count
from .auth import current_actor
from .blueprint import bp
from .cases import ID
from .errors import ApiError
from .jobs import accepted
from .serialize import attachment_json

DOCUMENT_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _private(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.post(f"/cases/<{ID}:case_id>/attachments")
def upload(case_id: int) -> Any:
    if request.mimetype != "multipart/form-data":
        raise ApiError("bad_request", "请以 multipart/form-data 上传附件，文件字段名为 file")
    files = request.files.getlist("file")
    if len(files) != 1:
        problem = "附件：请在字段 file 中上传一个文件" if not files else "附件：一次只能上传一个文件"
        raise ApiError("validation_failed", "提交的内容有误，请按提示修改", {"file": problem})
    upload = files[0]
    actor = current_actor()
    flood_check("upload", case_id, actor)
    content = upload.stream.read(MAX_ATTACHMENT + 1)
    view = engine().add_attachment(case_id, upload.filename or "", content, actor)
    flood_count("upload", case_id, actor.username)
    resp = jsonify(attachment_json(view))
    resp.status_code = 201
    resp.headers["Location"] = url_for(".download", case_id=case_id, attachment_id=view.id)
    return resp


@bp.get(f"/cases/<{ID}:case_id>/attachments")
def list_attachments(case_id: int) -> Any:
    return jsonify([attachment_json(a) for a in engine().attachments(case_id, current_actor())])


@bp.get(f"/cases/<{ID}:case_id>/attachments/<{ID}:attachment_id>")
def download(case_id: int, attachment_id: int) -> Any:
    view, content = handout.attachment(engine(), case_id, attachment_id, current_actor(), request.remote_addr or "")
    resp = send_file(io.BytesIO(content), mimetype=view.content_type, as_attachment=True,
                     download_name=view.filename, etag=view.sha256, max_age=0, conditional=False)
    resp.headers["X-Content-SHA256"] = view.sha256
    return _private(resp)


def _documents() -> Any:
    try:
        import documents
        from documents import available_documents  # noqa: F401
    except ModuleNotFoundError as exc:  # the documents package is optional for the API
        raise NotFound("本系统未安装文书生成模块，无法提供 PDF") from exc
    return documents


def _pdf(content: bytes, filename: str) -> Response:
    resp = Response(content, mimetype="application/pdf")
    fallback = re.sub(r"[^A-Za-z0-9_.-]", "_", filename)
    resp.headers["Content-Disposition"] = (
        f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}")
    return _private(resp)


@bp.get(f"/cases/<{ID}:case_id>/history.pdf")
def history_pdf(case_id: int) -> Any:
    eng = engine()
    actor = current_actor()
    job = queue().history_pdf(case_id, actor, request.remote_addr or "")  # a long history: 202 and a job to poll
    if job is not None:
        return accepted(job)
    # Sealed entries are hidden from this reader exactly as in the JSON history and on the page.
    content = _render(lambda docs: docs.render_history(eng, case_id, actor, request.remote_addr or ""))
    return _pdf(content, f"案件{case_id}全程记录.pdf")


@bp.get(f"/cases/<{ID}:case_id>/documents")
def list_documents(case_id: int) -> Any:
    eng = engine()
    docs = _render(lambda docs: docs.available_documents(eng, case_id, current_actor()))
    return jsonify([{"name": name, "title": title} for name, title in docs])


@bp.get(f"/cases/<{ID}:case_id>/documents/<name>.pdf")
def document_pdf(case_id: int, name: str) -> Any:
    if not DOCUMENT_NAME.match(name):
        raise NotFound(f"没有这种文书：{name}")
    eng = engine()
    content = _render(lambda docs: docs.render_form(eng, case_id, name, current_actor(),
                                                    address=request.remote_addr or ""))
    return _pdf(content, f"案件{case_id}-{name}.pdf")


def _render(call: Any) -> Any:
    docs = _documents()
    try:
        return call(docs)
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("documents"):
            raise NotFound("本系统未安装文书生成模块，无法提供 PDF") from exc
        raise
