"""Guards of 干部选拔任用 that read more than one field: recommendation rounds, the decision.

Every number and list comes from the YAML params; the rule text and the source live there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Param
from . import guard
from .context import GuardContext
from .guards_common import add_months
from .guards_common import as_date


@guard("rounds_recorded", rounds=Param("field"), key=Param("str"), required=Param("str_list"),
       date=Param("str"), as_of=Param("field"), months=Param("int", min=1))
def rounds_recorded(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Every required kind of round (``key`` in ``required``) is in the list ``rounds``, and the
    latest round of each kind is no older than ``months`` on the date in ``as_of``.

    民主推荐: 谈话调研推荐 and 会议推荐 are separate rounds appended to the case; a result is
    valid for a year, so the oldest of the rounds the decision rests on must still be valid.
    """
    day = as_date(ctx.value(p["as_of"]))
    if day is None:
        return "日期未填写"
    entries = [e for e in (ctx.case_data.get(p["rounds"]) or []) if isinstance(e, Mapping)]
    latest: dict[Any, Any] = {}
    for e in entries:
        when = as_date(e.get(p["date"]))
        if when is not None and (e.get(p["key"]) not in latest or when > latest[e.get(p["key"])]):
            latest[e.get(p["key"])] = when
    problems = []
    missing = [v for v in p["required"] if v not in latest]
    if missing:
        problems.append("尚未录入" + "、".join(ctx.choice_label(p["key"], v) for v in missing))
    for value, when in sorted(latest.items(), key=lambda kv: str(kv[0])):
        if value not in p["required"]:
            continue
        last = add_months(when, p["months"])
        if day > last:
            problems.append(f"{ctx.choice_label(p['key'], value)}{when.isoformat()}进行，"
                            f"有效期{p['months']}个月至{last.isoformat()}止，{day.isoformat()}已超过")
    return "；".join(problems) or None
