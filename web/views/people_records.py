"""The person page's records: photo, 年度考核, sanctions (with their 影响期), and the files (LRMX, Excel)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from flask import Response
from flask import abort
from flask import flash
from flask import redirect
from flask import request
from flask import send_file
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from workflow import Actor
from workflow import ValidationFailed
from workflow.people import GRADES
from workflow.people import PersonView
from workflow.sanctions import kinds

from .. import engine
from ..auth import capability_required
from ..auth import current_actor
from ..forms import AssessmentForm
from ..forms import PhotoForm
from ..forms import SanctionForm
from ..forms import TransferForm
from ..forms import choices
from ..jobs import queue
from .people_bp import bp

MAX_PHOTO = 2 * 1024 * 1024


def panels(person: PersonView, actor: Actor) -> dict[str, Any]:
    """What the person page shows and offers beside the record, as the policy allows ``actor``."""
    policy = engine().policy
    whole = not person.partial
    can_write = whole and policy.has(actor, "write_people")
    can_mark = whole and policy.has(actor, "record_marks")
    sanctions = engine().people.sanctions(person.id, actor) if whole else []
    assessment = AssessmentForm(formdata=None)
    assessment.grade.choices = choices([("", "请选择")] + [(g, g) for g in GRADES])
    sanction = SanctionForm(formdata=None)
    sanction.kind.choices = choices([("", "请选择")] + [
        (k.kind, f"{k.label}（{'无影响期' if k.months == 0 else '无截止' if k.months is None else f'{k.months}个月'}）")
        for k in kinds()])
    transfer = TransferForm(formdata=None)
    transfer.managing_org.choices = choices([("", "请选择")] + [
        (o.code, o.name) for o in engine().orgs.all() if o.id != person.managing_org_id])
    return {"whole": whole, "can_write": can_write, "can_mark": can_mark, "sanctions": sanctions,
            "can_transfer": whole and policy.has(actor, "transfer_people"), "transfer_form": transfer,
            "photo_form": PhotoForm(formdata=None), "assessment_form": assessment, "sanction_form": sanction,
            "can_export": whole and policy.has(actor, "read_people")}


def _back(person_id: int, anchor: str = "") -> ResponseReturnValue:
    return redirect(url_for("people.show", person_id=person_id) + anchor, code=303)


def _problems(exc: ValidationFailed) -> None:
    flash("；".join(exc.fields.values()) or exc.message, "error")


@bp.get("/people/<int:person_id>/photo")
@login_required  # type: ignore[misc]
def photo(person_id: int) -> ResponseReturnValue:
    content_type, content, sha = engine().people.photo(person_id, current_actor())
    resp = send_file(io.BytesIO(content), mimetype=content_type, etag=sha, max_age=0)
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.post("/people/<int:person_id>/photo")
@capability_required("write_people")
def upload_photo(person_id: int) -> ResponseReturnValue:
    form = PhotoForm()
    if not form.validate_on_submit():
        abort(400)
    upload = request.files.get("photo")
    content = upload.stream.read(MAX_PHOTO + 1) if upload is not None else b""
    if not content:
        flash("请选择照片文件", "warning")
        return _back(person_id)
    try:
        engine().people.set_photo(person_id, content, current_actor())
    except ValidationFailed as exc:
        _problems(exc)
    else:
        flash("照片已更新", "success")
    return _back(person_id)


@bp.post("/people/<int:person_id>/assessments")
@capability_required("write_people")
def add_assessment(person_id: int) -> ResponseReturnValue:
    form = AssessmentForm()
    if not form.validate_on_submit():
        abort(400)
    year = form.year.data.strip() if form.year.data else ""
    try:
        number = int(year) if year.isascii() and year.isdigit() else year
        _, corrected = engine().people.add_assessment(person_id, number,
                                                      form.grade.data, current_actor(), form.reason.data or "")
    except ValidationFailed as exc:
        _problems(exc)
    else:
        flash(f"已{'更正' if corrected else '录入'}{year}年度考核结果：{form.grade.data}", "success")
    return _back(person_id, "#assessments")


@bp.post("/people/<int:person_id>/sanctions")
@capability_required("record_marks")
def add_sanction(person_id: int) -> ResponseReturnValue:
    form = SanctionForm()
    if not form.validate_on_submit():
        abort(400)
    data = {k: (getattr(form, k).data or "").strip() for k in ("kind", "decided_on", "decided_by", "reason",
                                                              "document_no")}
    try:
        s = engine().people.add_sanction(person_id, data, current_actor())
    except ValidationFailed as exc:
        _problems(exc)
    else:
        flash(f"已登记{s.label}：影响期{s.period_text}", "success")
    return _back(person_id, "#sanctions")


@bp.post("/people/<int:person_id>/transfer")
@capability_required("transfer_people")
def transfer(person_id: int) -> ResponseReturnValue:
    """调整干部管理权限: hand the person over; the page they came from is no longer theirs to see."""
    form = TransferForm()
    if not form.validate_on_submit():
        abort(400)
    person = engine().people.get(person_id, current_actor())
    try:
        name = engine().people.transfer(person_id, form.managing_org.data or "", (form.reason.data or "").strip(),
                                        current_actor())
    except ValidationFailed as exc:
        _problems(exc)
        return _back(person_id, "#transfer")
    flash(f"已将{person.name}同志移交{name}管理", "success")
    return redirect(url_for("people.index") if engine().policy.has(current_actor(), "read_roster")
                    else url_for("inbox.index"), code=303)


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    resp = Response(content, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/people/<int:person_id>.lrmx")
@login_required  # type: ignore[misc]
def lrmx(person_id: int) -> ResponseReturnValue:
    actor = current_actor()
    person, content = engine().people.exchange.lrmx(person_id, actor)
    engine().access.record(actor, "download", "person", person_id=person_id, detail="干部任免审批表（LRMX）",
                           address=request.remote_addr or "")
    return _download(content, "application/xml", f"{person.name}.lrmx")


@bp.get("/people.xlsx")
@capability_required("read_roster")
def roster_xlsx() -> ResponseReturnValue:
    actor = current_actor()
    q = (request.args.get("q") or "").strip()[:50]
    job = queue().roster(actor, q, None, request.remote_addr or "")  # a large roster is made in the background
    if job is not None:
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    content, count = engine().people.exchange.roster(actor, q)
    engine().access.record(actor, "export", "export", detail=f"干部名册（Excel）{count}人",
                           address=request.remote_addr or "")
    return _download(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "干部名册.xlsx")

