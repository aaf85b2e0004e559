"""Actions specific to the eight procedures (computed results, marks on a person).

Like guards, every number (how many scorers before the extremes are dropped,
grade thresholds, how many annual grades to copy) is a YAML parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from ..types import PersonMark
from . import Effects
from . import Param
from . import action
from .context import GuardContext
from .guards_common import add_months
from .guards_common import as_date
from .guards_common import as_int


def dimension_mean(values: Sequence[float], trim_from: int) -> tuple[float, bool]:
    """Mean of ``values``; with ``trim_from`` or more values, drop one highest and one lowest first."""
    if not values:
        return 0.0, False
    ordered = sorted(values)
    trimmed = len(ordered) >= trim_from
    if trimmed:
        ordered = ordered[1:-1]
    return round(sum(ordered) / len(ordered), 2), trimmed


def grade_for(total: float, thresholds: Mapping[str, Any], lowest: str) -> str:
    """The first grade whose threshold ``total`` reaches, highest threshold first."""
    for grade, minimum in sorted(thresholds.items(), key=lambda kv: float(kv[1]), reverse=True):
        if total >= float(minimum):
            return str(grade)
    return lowest


@action("compute_interview_result",
        writes=("result_scores", "result_total", "result_grade", "result_scorers", "result_method"),
        entries=Param("str"), dimensions=Param("mapping"), trim_from=Param("int", min=3),
        thresholds=Param("mapping"), lowest=Param("str"), members=Param("field", required=False))
def compute_interview_result(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Per-dimension mean of the panel's scores (trimmed with ``trim_from`` or more scorers),
    the overall score (mean of the dimensions) and the grade by ``thresholds``.

    ``dimensions`` maps each score field to its Chinese name, in the order of the form. With
    ``members`` (the panel), only the scores by users still listed count: a panelist taken off
    the panel (回避, 调整面谈组) after scoring is named in ``result_method`` and not counted.
    """
    entries = [e for e in (ctx.case_data.get(p["entries"]) or []) if isinstance(e, Mapping)]
    entries, excluded = _by_members(entries, ctx.value(p["members"]) if p.get("members") else None)
    per_dim: dict[str, float] = {}
    trimmed = False
    for name in p["dimensions"]:
        values = [float(v) for e in entries if (v := e.get(name)) is not None and not isinstance(v, bool)]
        per_dim[name], trimmed = dimension_mean(values, p["trim_from"])
    total = round(sum(per_dim.values()) / len(per_dim), 2) if per_dim else 0.0
    fx.set_data("result_scores", per_dim)
    fx.set_data("result_total", total)
    fx.set_data("result_grade", grade_for(total, p["thresholds"], p["lowest"]))
    fx.set_data("result_scorers", len(entries))
    method = "去掉一个最高分和一个最低分后取平均" if trimmed else "全部评分取算术平均"
    if excluded:
        method += f"（{'、'.join(excluded)}已调出面谈组，其评分不计入）"
    fx.set_data("result_method", method)


def _by_members(entries: list[Mapping[str, Any]], members: Any) -> tuple[list[Mapping[str, Any]], list[str]]:
    """(the entries by users in ``members``, who else scored); every entry when ``members`` is None."""
    if members is None:
        return entries, []
    listed = {str(m) for m in members} if isinstance(members, list) else {str(members)}
    kept = [e for e in entries if str(e.get("by")) in listed]
    excluded = list(dict.fromkeys(str(e.get("by")) for e in entries if str(e.get("by")) not in listed))
    return kept, excluded


@action("mark_influence_period", writes=("marks_added",), outcome=Param("field"), outcomes=Param("str_list"),
        start=Param("field"), end=Param("field"), label=Param("str"))
def mark_influence_period(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Write the influence period on the person when the outcome is one of ``outcomes`` (从轻/减轻).

    Any other outcome (免责, 不予容错) writes nothing here: 免责 carries no negative record, and
    the underlying accountability decision records its own consequences.
    """
    outcome = ctx.value(p["outcome"])
    if outcome not in p["outcomes"]:
        return
    start = as_date(ctx.value(p["start"]))
    end = as_date(ctx.value(p["end"]))
    fx.add_mark(PersonMark("influence_period", f"{p['label']}（{outcome}）", start, end,
                           f"容错纠错认定：{outcome}（案件#{ctx.case_id}）"))


@action("mark_on_value", writes=("marks_added",), field=Param("field"), values=Param("str_list"), kind=Param("str"),
        label=Param("str"), months=Param("int", required=False, default=0))
def mark_on_value(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """When ``field`` holds one of ``values``, write a ``kind`` mark on the person from today.

    ``months`` 0 means no end date (有意瞒报：一律不得提拔).
    """
    value = ctx.value(p["field"])
    if value not in p["values"]:
        return
    ends = add_months(ctx.today, p["months"]) if p["months"] else None
    fx.add_mark(PersonMark(p["kind"], p["label"], ctx.today, ends, f"“{value}”（案件#{ctx.case_id}）"))


@action("copy_annual_grades", writes=("{field}",), field=Param("str"), count=Param("int", min=1),
        as_of=Param("field", required=False))
def copy_annual_grades(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Copy the person's grades of the ``count`` years before the event's date (``as_of``, else today)
    onto the case, newest first; a year without a grade is left out."""
    person = ctx.person or {}
    day = (as_date(ctx.value(p["as_of"])) if p.get("as_of") else None) or ctx.today
    by_year = {int(r["year"]): r for r in (person.get("annual_assessments") or [])
               if isinstance(r, Mapping) and as_int(r.get("year")) is not None}
    years = range(day.year - 1, day.year - 1 - p["count"], -1)
    fx.set_data(p["field"], [{"year": y, "grade": by_year[y].get("grade", "")} for y in years if y in by_year])
