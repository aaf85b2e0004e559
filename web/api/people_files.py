"""The person record's files: the photo, the 干部任免审批表 as LRMX, the roster as Excel, imports.

Only readers of a person's whole record get the photo and the LRMX (404 otherwise, a
participant included); the roster lists what ``GET /people`` lists, each person as the
caller may see them. An import is all or nothing unless ``partial=true``.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from flask import Response
from flask import jsonify
from flask import request
from flask import send_file

from workflow.people.exchange import ImportReport

from .. import engine
from ..jobs import queue
from .auth import current_actor
from .blueprint import bp
from .cases import ID
from .errors import ApiError
from .jobs import accepted
from .serialize import person_json
from .validation import query_bool
from .validation import query_text

MAX_PHOTO_UPLOAD = 2 * 1024 * 1024
MAX_IMPORT = 200 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _private(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    resp = Response(content, mimetype=mimetype)
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "._-" else "_" for ch in filename)
    resp.headers["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return _private(resp)


def one_file(limit: int, what: str) -> tuple[str, bytes]:
    """The single uploaded file of field ``file``: (name, bytes); 400/422/413 otherwise."""
    if request.mimetype != "multipart/form-data":
        raise ApiError("bad_request", f"请以 multipart/form-data 上传{what}，文件字段名为 file")
    request.max_content_length = limit + 64 * 1024
    files = request.files.getlist("file")
    if len(files) != 1:
        problem = f"{what}：请在字段 file 中上传一个文件" if not files else f"{what}：一次只能上传一个文件"
        raise ApiError("validation_failed", "提交的内容有误，请按提示修改", {"file": problem})
    content = files[0].stream.read(limit + 1)
    if len(content) > limit:
        raise ApiError("too_large", f"{what}不得超过{limit // 2**20} MB")
    return files[0].filename or "", content


@bp.put(f"/people/<{ID}:person_id>/photo")
def put_photo(person_id: int) -> Any:
    """Set the photo: JPEG or PNG (judged by the bytes), at most 2 MB."""
    _, content = one_file(MAX_PHOTO_UPLOAD, "照片")
    return person_json(engine().people.set_photo(person_id, content, current_actor()))


@bp.delete(f"/people/<{ID}:person_id>/photo")
def delete_photo(person_id: int) -> Any:
    engine().people.set_photo(person_id, None, current_actor())
    return Response(status=204)


@bp.get(f"/people/<{ID}:person_id>/photo")
def get_photo(person_id: int) -> Any:
    content_type, content, sha = engine().people.photo(person_id, current_actor())
    resp = send_file(io.BytesIO(content), mimetype=content_type, etag=sha, max_age=0, conditional=False)
    return _private(resp)


@bp.get(f"/people/<{ID}:person_id>.lrmx")
def person_lrmx(person_id: int) -> Any:
    actor = current_actor()
    person, content = engine().people.exchange.lrmx(person_id, actor)
    engine().access.record(actor, "download", "person", person_id=person_id, detail="干部任免审批表（LRMX）",
                           address=request.remote_addr or "")
    return _download(content, "application/xml", f"{person.name}.lrmx")


@bp.get("/people.xlsx")
def people_xlsx() -> Any:
    actor = current_actor()
    engine().policy.require(actor, "read_roster")
    q, org = query_text("q", 50) or "", query_text("managing_org", 32)
    job = queue().roster(actor, q, org, request.remote_addr or "")  # a large roster: 202 and a job to poll
    if job is not None:
        return accepted(job)
    content, count = engine().people.exchange.roster(actor, q, org)
    engine().access.record(actor, "export", "export", detail=f"干部名册（Excel）{count}人",
                           address=request.remote_addr or "")
    return _download(content, XLSX, "干部名册.xlsx")


def report_json(report: ImportReport) -> dict[str, Any]:
    return {"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "written": report.written,
            "errors": [{"file": p.file, "row": p.row, "field": p.field, "message": p.message} for p in report.problems],
            "items": [{"file": i.file, "row": i.row, "name": i.name, "action": i.action, "person_id": i.person_id,
                       "fields": sorted(i.changes)} for i in report.items]}


@bp.post("/people/import")
def import_people() -> Any:
    """``.lrmx``, ``.lrm``, a ``.zip`` of those, or an ``.xlsx`` roster; nothing written on any error
    unless ``partial=true``; ``dry_run=true`` only reports what would be done."""
    actor = current_actor()
    engine().policy.require(actor, "write_people")
    name, content = one_file(MAX_IMPORT, "导入文件")
    report = engine().people.exchange.run([(content, name)], actor, managing_org=query_text("managing_org", 32),
                                          partial=bool(query_bool("partial", "部分导入")),
                                          dry_run=bool(query_bool("dry_run", "只检查不导入")))
    return jsonify(report_json(report))
