"""Reports (blueprint ``reports``): 谁推荐谁负责, every signed recommendation by recommender."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from workflow.reports import OUTCOMES
from workflow.reports import recommendations_by_recommender

from .. import engine
from ..auth import current_actor

bp = Blueprint("reports", __name__, url_prefix="/reports")
READERS = {"officer", "reviewer", "auditor", "admin"}


@bp.get("/recommendations")
@login_required  # type: ignore[misc]
def recommendations() -> ResponseReturnValue:
    if not current_actor().roles & READERS:
        abort(403)
    reports = recommendations_by_recommender(engine())
    return render_template("reports/recommendations.html", reports=reports, outcomes=OUTCOMES)
