"""统计分析 (blueprint ``dashboard``): the dashboard page and its Excel export.

The figures are ``Engine.stats`` over the cases the viewer may see; each chart (web/charts.py,
SVG drawn here) has its data table beside it; the Excel export goes through
documents/stats_xlsx.py (registered in 查阅登记).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from documents.stats_xlsx import stats_workbook
from workflow.queries.stats import CAPABILITY
from workflow.queries.stats import Stats
from workflow.queries.stats import StatsQuery

from .. import engine
from ..auth import capability_required
from ..auth import current_actor
from ..charts import Series
from ..charts import bar_chart
from ..charts import line_chart
from ..stats_query import stats_query
from .exports import xlsx_response

bp = Blueprint("dashboard", __name__)


def charts(stats: Stats) -> dict[str, Any]:
    """The SVG of each chart, from the same figures as its table."""
    states = [f"{s.definition_label}·{s.state_label}" for s in stats.by_state]
    spans = [f"{d.definition_label}·{d.state_label}" for d in stats.durations]
    months = [m.month for m in stats.by_month]
    return {
        "by_state": bar_chart("按流程和状态的案件数", states, [Series("案件数", [s.count for s in stats.by_state])]),
        "by_org": bar_chart("各管理单位的案件数", [o.org_name for o in stats.by_org],
                            [Series("案件数", [o.count for o in stats.by_org]),
                             Series("逾期", [o.overdue for o in stats.by_org])]),
        "durations": bar_chart("各状态用时（工作日）", spans,
                               [Series("平均", [d.average for d in stats.durations]),
                                Series("90%分位", [d.p90 for d in stats.durations])], unit="个工作日"),
        "by_month": line_chart("按月新发起和办结的案件", months,
                               [Series("新发起", [m.opened for m in stats.by_month]),
                                Series("已办结", [m.closed for m in stats.by_month])]),
    }


def filters_text(q: StatsQuery) -> str:
    """What was asked, in words (the export's first sheet and the register's entry)."""
    parts = []
    if q.definition:
        reg = engine().registry
        parts.append("流程：" + (reg.get(q.definition).title if reg.has(q.definition) else q.definition))
    if q.managing_org:
        parts.append(f"管理单位：{_org_name(q.managing_org)}")
    if q.opened_from or q.opened_to:
        parts.append(f"发起日期：{q.opened_from or '不限'}至{q.opened_to or '不限'}")
    return "；".join(parts) or "全部可查阅的案件"


def _org_name(org_id: int) -> str:
    seen = {o.id: o.name for o in engine().orgs.visible(current_actor())}
    return seen.get(org_id, str(org_id))


@bp.get("/dashboard")
@capability_required(CAPABILITY)
def index() -> ResponseReturnValue:
    q = stats_query()
    actor = current_actor()
    stats = engine().stats(q, actor)
    return render_template("dashboard/index.html", stats=stats, charts=charts(stats), q=q,
                           definitions=engine().registry.latest(), orgs=engine().orgs.visible(actor),
                           filters=filters_text(q), args=request.args.to_dict())


@bp.get("/dashboard.xlsx")
@capability_required(CAPABILITY)
def export() -> ResponseReturnValue:
    q = stats_query()
    actor = current_actor()
    content = stats_workbook(engine(), engine().stats(q, actor), actor, filters_text(q), request.remote_addr or "")
    return xlsx_response(content, "统计分析.xlsx")
