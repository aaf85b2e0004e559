"""Background jobs: ``GET /jobs``, ``GET /jobs/{id}`` (poll) and ``GET /jobs/{id}/result`` (the file).

A request whose work is long (a case history above the event threshold, a large roster)
answers 202 with the job and its URL; the job and its file are visible to the user who
asked for it only (404 for anyone else). The file is handed out as web/jobs/kinds.py says.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Response
from flask import jsonify
from flask import request
from flask import send_file
from flask import url_for

from workflow.jobs import DONE
from workflow.jobs import JobView

from .. import engine
from ..jobs.kinds import hand_out
from .auth import current_actor
from .blueprint import bp
from .cases import ID


def job_json(job: JobView) -> dict[str, Any]:
    return {"id": job.id, "kind": job.kind, "status": job.status, "progress": job.progress, "total": job.total,
            "message": job.message,
            "result_url": url_for("api.job_result", job_id=job.id) if job.status == DONE else None}


def accepted(job: JobView) -> Response:
    """202 Accepted: the job that will produce the answer, and where to poll it."""
    body = {**job_json(job), "url": url_for("api.job", job_id=job.id)}
    resp = jsonify(body)
    resp.status_code = 202
    resp.headers["Location"] = body["url"]
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/jobs")
def jobs() -> Any:
    return jsonify([job_json(j) for j in engine().jobs.of(current_actor().username, limit=50)])


@bp.get(f"/jobs/<{ID}:job_id>")
def job(job_id: int) -> Any:
    resp = jsonify(job_json(engine().jobs.of_user(job_id, current_actor().username)))
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get(f"/jobs/<{ID}:job_id>/result")
def job_result(job_id: int) -> Any:
    found, content = hand_out(engine(), job_id, current_actor(), request.remote_addr or "")
    resp = send_file(io.BytesIO(content), mimetype=found.result_type, as_attachment=True,
                     download_name=found.result_name, max_age=0, conditional=False)
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
