"""我的任务 (blueprint ``jobs``): the user's background jobs, one job's progress, its finished file.

A job is visible to the user who asked for it only (anyone else: 404). While a job is
queued or running its page reloads itself every few seconds (no script needed).
"""

from __future__ import annotations

import io

from flask import Blueprint
from flask import render_template
from flask import request
from flask import send_file
from flask.typing import ResponseReturnValue
from flask_login import login_required

from .. import engine
from ..auth import current_actor
from ..jobs.kinds import KIND_LABELS
from ..jobs.kinds import hand_out

bp = Blueprint("jobs", __name__)
REFRESH_SECONDS = 3


@bp.get("/jobs")
@login_required  # type: ignore[misc]
def index() -> ResponseReturnValue:
    jobs = engine().jobs.of(current_actor().username, limit=50)
    return render_template("jobs/index.html", jobs=jobs, labels=KIND_LABELS)


@bp.get("/jobs/<int:job_id>")
@login_required  # type: ignore[misc]
def show(job_id: int) -> ResponseReturnValue:
    job = engine().jobs.of_user(job_id, current_actor().username)
    return render_template("jobs/show.html", job=job, labels=KIND_LABELS,
                           refresh=None if job.finished else REFRESH_SECONDS)


@bp.get("/jobs/<int:job_id>/download")
@login_required  # type: ignore[misc]
def download(job_id: int) -> ResponseReturnValue:
    job, content = hand_out(engine(), job_id, current_actor(), request.remote_addr or "")
    return send_file(io.BytesIO(content), mimetype=job.result_type, as_attachment=True,
                     download_name=job.result_name, max_age=0)
