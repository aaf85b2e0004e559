"""Reports (blueprint ``reports``): 谁推荐谁负责, every signed recommendation by recommender."""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask.typing import ResponseReturnValue

from workflow.queries.reports import OUTCOMES

from .. import engine
from ..auth import capability_required
from ..auth import current_actor

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/recommendations")
@capability_required("read_reports")
def recommendations() -> ResponseReturnValue:
    reports = engine().recommendations_report(current_actor())
    return render_template("reports/recommendations.html", reports=reports, outcomes=OUTCOMES)
