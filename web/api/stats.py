"""``GET /api/v1/stats``: 统计分析 over the cases the caller may see (officer, reviewer, auditor).

The same figures as the dashboard page (``Engine.stats``); a malformed filter is a 400 naming it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .. import engine
from ..params import BadQuery
from ..stats_query import stats_query
from .auth import current_actor
from .blueprint import bp
from .errors import ApiError
from .schemas import MAX_ID
from .schemas import Schema
from .schemas import array
from .schemas import obj


@bp.get("/stats")
def stats() -> Any:
    try:
        q = stats_query()
    except BadQuery as exc:
        raise ApiError("bad_request", str(exc.description)) from None
    s = engine().stats(q, current_actor())
    return {"total": s.total, "overdue": s.overdue, "by_state": [asdict(x) for x in s.by_state],
            "by_org": [asdict(x) for x in s.by_org], "by_month": [asdict(x) for x in s.by_month],
            "durations": [asdict(x) for x in s.durations]}


def _row(props: dict[str, Schema]) -> Schema:
    return obj(list(props), props)


_INT: Schema = {"type": "integer", "minimum": 0}
_TEXT: Schema = {"type": "string"}
_LABELS = {"definition": _TEXT, "definition_label": _TEXT, "state": _TEXT, "state_label": _TEXT}
STATS: Schema = obj(["total", "overdue", "by_state", "by_org", "by_month", "durations"], {
    "total": _INT, "overdue": _INT,
    "by_state": array(_row({**_LABELS, "final": {"type": "boolean"}, "count": _INT, "overdue": _INT})),
    "by_org": array(_row({"org_id": _INT, "org_name": _TEXT, "count": _INT, "open": _INT, "overdue": _INT})),
    "by_month": array(_row({"month": _TEXT, "opened": _INT, "closed": _INT})),
    "durations": array(_row({**_LABELS, "count": _INT, "average": {"type": "number", "minimum": 0}, "p90": _INT})),
})
PARAMS = [
    ("definition", {"type": "string", "maxLength": 64}, "流程（如 daily_inspection）"),
    ("managing_org", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "管理单位编号（案件所属组织）"),
    ("from", {"type": "string", "format": "date"}, "发起日期自（北京时间，含当日）"),
    ("to", {"type": "string", "format": "date"}, "发起日期至（北京时间，含当日）"),
]
