"""The 统计分析 filters read from a request, for the dashboard page and ``GET /api/v1/stats`` alike.

``definition`` (a procedure key), ``managing_org`` (an organization id), ``from`` and ``to``
(dates YYYY-MM-DD, Beijing: the cases opened on those days). A malformed value is a 400 naming
the parameter and the rule (``params.BadQuery``).
"""

from __future__ import annotations

from datetime import date

from flask import request

from workflow.queries.stats import StatsQuery

from .params import DB_INT_MAX
from .params import BadQuery
from .params import query_int


def _date(name: str, label: str) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        if len(raw) != 10 or not raw.isascii():
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise BadQuery(description=f"查询参数 {name}（{label}：应为日期，格式如 2026-01-31）") from None


def stats_query() -> StatsQuery:
    definition = (request.args.get("definition") or "").strip()
    if len(definition) > 64:
        raise BadQuery(description="查询参数 definition（流程：不得超过64个字符）")
    org = query_int("managing_org", 0, 1, DB_INT_MAX, "管理单位编号")
    opened_from, opened_to = _date("from", "起始日期"), _date("to", "截止日期")
    if opened_from and opened_to and opened_from > opened_to:
        raise BadQuery(description="查询参数 from、to（起始日期不能晚于截止日期）")
    return StatsQuery(definition=definition or None, managing_org=org or None, opened_from=opened_from,
                      opened_to=opened_to)
