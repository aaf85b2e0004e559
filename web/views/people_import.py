"""导入干部信息: upload .lrmx/.lrm/.zip/.xlsx, see what will be created or changed and every problem by
file and field, then import on confirmation (nothing is written before).

The upload is kept in the instance folder (``imports/``, mode 0600) under a random token
that only the uploader's session knows, until it is imported, replaced or abandoned (a
day later it is swept).
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue

from workflow import ValidationFailed
from workflow.people import LABELS

from .. import engine
from ..auth import capability_required
from ..auth import current_actor
from ..forms import ImportConfirmForm
from ..forms import ImportForm
from .people_bp import bp

MAX_UPLOAD = 200 * 1024 * 1024
KEEP_SECONDS = 24 * 3600
SESSION_KEY = "people_import"
SUFFIXES = (".lrmx", ".lrm", ".zip", ".xlsx")


def _folder() -> Path:
    folder = Path(current_app.extensions["cadreflow_config"].instance) / "imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = time.time()
    for old in folder.iterdir():
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return folder


def _saved(token: str) -> tuple[Path, str] | None:
    held = session.get(SESSION_KEY) or {}
    if not token or held.get("token") != token:
        return None
    path = _folder() / f"{token}{held.get('suffix', '')}"
    return (path, str(held.get("name", path.name))) if path.exists() else None


@bp.route("/people/import", methods=["GET", "POST"])
@capability_required("write_people")
def import_page() -> ResponseReturnValue:
    form = ImportForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("people/import.html", form=form, report=None)
    request.max_content_length = MAX_UPLOAD
    upload = request.files.get("file")
    name = (upload.filename or "") if upload is not None else ""
    suffix = next((s for s in SUFFIXES if name.lower().endswith(s)), "")
    if upload is None or not name:
        flash("请选择要导入的文件", "warning")
        return render_template("people/import.html", form=form, report=None), 422
    if not suffix:
        flash(f"不支持的文件类型：{name}（应为 .lrmx、.lrm、.zip 或 .xlsx）", "error")
        return render_template("people/import.html", form=form, report=None), 422
    content = upload.stream.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        abort(413)
    token = secrets.token_urlsafe(18)
    path = _folder() / f"{token}{suffix}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    session[SESSION_KEY] = {"token": token, "suffix": suffix, "name": name}
    report = engine().people.exchange.run([(content, name)], current_actor(), dry_run=True)
    confirm = ImportConfirmForm(formdata=None, token=token)
    return render_template("people/import.html", form=form, report=report, confirm=confirm, filename=name,
                           labels=LABELS)


@bp.post("/people/import/confirm")
@capability_required("write_people")
def import_confirm() -> ResponseReturnValue:
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    saved = _saved(form.token.data or "")
    if saved is None:
        flash("上传的文件已失效，请重新上传", "warning")
        return redirect(url_for("people.import_page"), code=303)
    path, name = saved
    try:
        report = engine().people.exchange.run([(path.read_bytes(), name)], current_actor(),
                                              partial=bool(form.partial.data))
    except ValidationFailed as exc:
        flash("；".join(exc.fields.values()), "error")
        return redirect(url_for("people.import_page"), code=303)
    if not report.written:
        flash(f"文件有{len(report.problems)}处问题，未导入；请修改文件后重新上传，或勾选“只导入无误的部分”", "error")
        return redirect(url_for("people.import_page"), code=303)
    path.unlink(missing_ok=True)
    session.pop(SESSION_KEY, None)
    flash(f"导入完成：新建{report.created}人，更新{report.updated}人，未变化{report.unchanged}人"
          + (f"；{len(report.problems)}处问题未导入" if report.problems else ""), "success")
    return redirect(url_for("people.index"), code=303)
