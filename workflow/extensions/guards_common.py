"""Generic guards shared by many procedures. Numbers always come from params."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from . import Param
from . import guard
from . import ratio_text
from .context import GuardContext


def as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def two_dates(ctx: GuardContext, p: Mapping[str, Any], first: str, second: str) -> tuple[date, date] | None:
    """The dates in the fields that params ``first`` and ``second`` name; None when either is missing."""
    a = as_date(ctx.value(p[first]))
    b = as_date(ctx.value(p[second]))
    return None if a is None or b is None else (a, b)


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


@guard("field_true", field=Param("field"))
def field_true(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The boolean field must be true (a pledge, a confirmation)."""
    return None if ctx.value(p["field"]) is True else "未确认"


@guard("min_members", field=Param("field"), min=Param("int", min=1))
def min_members(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """A list field (a team, a panel) names at least ``min`` distinct people."""
    members = ctx.value(p["field"]) or []
    members = [m for m in members if m not in ctx.recused] if isinstance(members, list) else []
    count = len(set(members))
    return None if count >= p["min"] else f"实际{count}人"


@guard("min_entries", field=Param("field"), min=Param("int", min=1))
def min_entries(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """A list the case collected (records, scores) has at least ``min`` entries."""
    entries = ctx.case_data.get(p["field"]) or []
    count = len(entries) if isinstance(entries, list) else 0
    return None if count >= p["min"] else f"现有{count}条"


@guard("all_members_acted", members=Param("field"), event=Param("event"))
def all_members_acted(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Every user named in ``members`` has fired ``event`` since the case entered this state.

    A recused member still counts (recusal does not shrink the requirement): the event waits
    until an event re-forms ``members`` without them.
    """
    value = ctx.value(p["members"]) or []
    members = [str(m) for m in value] if isinstance(value, list) else [str(value)]
    recused = [m for m in members if m in ctx.recused]
    if recused:
        label = ctx.field_label(p["members"])
        return (f"{'、'.join(recused)}已回避本案件，回避不减少应参加人数，"
                f"须先调整{label}、更换该成员（回避制度）")
    done = {h.principal for h in ctx.events_since_entering() if h.event == p["event"]}  # 委托: the delegator
    missing = [m for m in members if m not in done]
    if not missing:
        return None
    return f"尚有{len(missing)}人未完成：{'、'.join(missing)}"


@guard("all_fields_recorded", fields=Param("fields"))
def all_fields_recorded(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Every listed field has a value on the case."""
    missing = [ctx.field_label(f) for f in p["fields"] if ctx.value(f) in (None, "", [])]
    return None if not missing else f"缺少{len(missing)}项：{'、'.join(missing)}"


@guard("field_not_in", field=Param("field"), values=Param("str_list"))
def field_not_in(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The field's value is none of ``values`` (瞒报, 未了结 ...)."""
    value = ctx.value(p["field"])
    return None if value not in p["values"] else f"当前为“{value}”"


@guard("quorum", total=Param("field"), present=Param("field"), votes_for=Param("field"),
       recused=Param("field", required=False),
       present_ratio=Param("ratio", required=False, default=[2, 3]),
       votes_ratio=Param("ratio", required=False, default=[1, 2]),
       outcome=Param("str", required=False, default="passed", choices=("passed", "failed")))
def quorum(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Present >= ceil(present_ratio x total) and votes for > votes_ratio x total.

    The quorum rule (第四十七条 with 第五十三条): ``total`` is every member who should attend
    (应到会成员), recused members included — a recusal never lowers either threshold. Recused
    members at the meeting (``recused``, counted within ``present``) are not counted as present
    for the quorum and do not vote, so both the quorum and the majority are measured against
    ``total`` while only the members entitled to vote fill them.

    With ``outcome: failed`` the same figures must show a valid meeting whose vote did not pass
    (the quorum met, the majority not): that result is recorded, not refused.
    """
    total = as_int(ctx.value(p["total"])) or 0
    present = as_int(ctx.value(p["present"])) or 0
    votes = as_int(ctx.value(p["votes_for"])) or 0
    recused = as_int(ctx.value(p["recused"])) or 0 if p.get("recused") else 0
    if recused > present:
        return f"其中回避{recused}人，多于实际到会{present}人"
    effective = present - recused
    pn, pd = p["present_ratio"]
    need_present = math.ceil(total * pn / pd)
    problems = []
    if effective < need_present:
        extra = f"（其中回避{recused}人不计）" if recused else ""
        problems.append(f"实际到会{effective}人{extra}，应到{total}人，不足{ratio_text(p['present_ratio'])}")
    vn, vd = p["votes_ratio"]
    passed = votes * vd > total * vn
    if p["outcome"] == "failed":
        if passed and not problems:
            problems.append(f"同意{votes}票，已超过应到{total}人的{ratio_text(p['votes_ratio'])}，表决已通过，应按讨论决定通过办理")
    elif not passed:
        problems.append(f"同意{votes}票，应到{total}人，未超过{ratio_text(p['votes_ratio'])}")
    return "；".join(problems) or None


@guard("working_days_after", field=Param("field"), min=Param("int", min=0))
def working_days_after(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Today is at least ``min`` working days after the date in ``field``."""
    start = as_date(ctx.value(p["field"]))
    if start is None:
        return "日期未填写"
    earliest = ctx.calendar.add_working_days(start, p["min"])
    if ctx.today >= earliest:
        return None
    return f"{start.isoformat()}后满{p['min']}个工作日为{earliest.isoformat()}，今天是{ctx.today.isoformat()}"


@guard("working_days_span", start=Param("field"), end=Param("field"), min=Param("int", min=1))
def working_days_span(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """[start, end] contains at least ``min`` working days."""
    found = two_dates(ctx, p, "start", "end")
    if found is None:
        return "起止日期未填写"
    start, end = found
    days = ctx.calendar.working_days_between(start, end)
    return None if days >= p["min"] else f"实际{days}个工作日（{start.isoformat()}至{end.isoformat()}）"


@guard("within_working_days", start=Param("field"), end=Param("field", required=False),
       max=Param("int", min=0))
def within_working_days(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """``end`` (default today) is no more than ``max`` working days after ``start``."""
    start = as_date(ctx.value(p["start"]))
    end = as_date(ctx.value(p["end"])) if p.get("end") else ctx.today
    if start is None or end is None:
        return "日期未填写"
    if end <= start:
        return None
    days = ctx.calendar.working_days_between(start, end) - (1 if ctx.calendar.is_workday(start) else 0)
    return None if days <= p["max"] else f"已过{days}个工作日（{start.isoformat()}至{end.isoformat()}）"


@guard("within_days", start=Param("field"), end=Param("field", required=False), max=Param("int", min=0))
def within_days(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """``end`` (default today) is no more than ``max`` calendar days after ``start``."""
    start = as_date(ctx.value(p["start"]))
    end = as_date(ctx.value(p["end"])) if p.get("end") else ctx.today
    if start is None or end is None:
        return "日期未填写"
    days = (end - start).days
    return None if days <= p["max"] else f"已过{days}日（{start.isoformat()}至{end.isoformat()}）"


@guard("date_passed", field=Param("field"))
def date_passed(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The date in ``field`` is before today."""
    day = as_date(ctx.value(p["field"]))
    if day is None:
        return "日期未填写"
    return None if day < ctx.today else f"{day.isoformat()}尚未届满"


@guard("date_order", first=Param("field"), then=Param("field"), strict=Param("bool", required=False,
                                                                                default=False))
def date_order(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The date in ``then`` is not before (strict: after) the date in ``first``."""
    a = as_date(ctx.value(p["first"]))
    b = as_date(ctx.value(p["then"]))
    if a is None or b is None:
        return "日期未填写"
    ok = b > a if p["strict"] else b >= a
    return None if ok else f"{b.isoformat()}早于{a.isoformat()}"


@guard("linked_case_in_state", relation=Param("str"), states=Param("str_list"))
def linked_case_in_state(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Every case linked by ``relation`` (at least one) is in one of ``states``."""
    linked = [c for c in ctx.links if c.relation == p["relation"]]
    if not linked:
        return "尚无关联案件"
    waiting = [c for c in linked if c.state not in p["states"]]
    if not waiting:
        return None
    return "关联案件" + "、".join(f"#{c.case_id}（{c.state_label}）" for c in waiting) + "尚未完成"


# --- added with the eight procedures (generic: every number comes from params) --------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; the 31st (or 29 Feb) falls back to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(f"invalid date arithmetic: {day} + {months} months")


def _end_date(ctx: GuardContext, p: Mapping[str, Any], key: str = "end") -> date | None:
    return as_date(ctx.value(p[key])) if p.get(key) else ctx.today


@guard("ratio_at_least", part=Param("field"), whole=Param("field"), ratio=Param("ratio"),
       unit=Param("str", required=False, default="人"))
def ratio_at_least(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """``part`` >= ceil(ratio x ``whole``) (participation, attendance)."""
    part = as_int(ctx.value(p["part"])) or 0
    whole = as_int(ctx.value(p["whole"])) or 0
    num, den = p["ratio"]
    need = math.ceil(whole * num / den)
    if part >= need:
        return None
    unit = p["unit"]
    return f"实际{part}{unit}，应有{whole}{unit}，不足{ratio_text(p['ratio'])}（至少{need}{unit}）"


@guard("sum_at_most", fields=Param("fields"), max=Param("field"), minus=Param("field", required=False))
def sum_at_most(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The sum of ``fields`` is not more than ``max`` (less ``minus`` when given): counts that must fit."""
    total = sum(as_int(ctx.value(f)) or 0 for f in p["fields"])
    limit = as_int(ctx.value(p["max"])) or 0
    less = (as_int(ctx.value(p["minus"])) or 0) if p.get("minus") else 0
    if total <= limit - less:
        return None
    extra = f"减去{less}" if less else ""
    return f"合计{total}，超过上限{limit}{extra}"


@guard("value_in_list", field=Param("field"), list=Param("field"))
def value_in_list(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The value of ``field`` (a user, a name) is one of the members listed in ``list``."""
    value = ctx.value(p["field"])
    members = ctx.value(p["list"]) or []
    if isinstance(members, list) and value in members:
        return None
    return f"“{value or '未填写'}”不在所列人员中"


@guard("no_recused_in", field=Param("field"))
def no_recused_in(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """No user listed in ``field`` (a team, a panel) has recused on this case since it was formed."""
    value = ctx.value(p["field"]) or []
    names = value if isinstance(value, list) else [value]
    bad = [str(n) for n in names if n in ctx.recused]
    return None if not bad else f"{'、'.join(bad)}已回避本案件，须先调整人员"


@guard("working_days_gap", first=Param("field"), then=Param("field"), min=Param("int", min=0))
def working_days_gap(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The date in ``then`` is at least ``min`` working days after the date in ``first``."""
    found = two_dates(ctx, p, "first", "then")
    if found is None:
        return "日期未填写"
    a, b = found
    earliest = ctx.calendar.add_working_days(a, p["min"])
    if b >= earliest:
        return None
    return f"{a.isoformat()}后满{p['min']}个工作日为{earliest.isoformat()}，实际为{b.isoformat()}"


def _months(ctx: GuardContext, p: Mapping[str, Any]) -> tuple[date, date, date] | None:
    """(start, end, start + ``months``) of a months guard; None when a date is missing."""
    start = as_date(ctx.value(p["start"]))
    end = _end_date(ctx, p)
    if start is None or end is None:
        return None
    return start, end, add_months(start, p["months"])


@guard("within_months", start=Param("field"), end=Param("field", required=False), months=Param("int", min=1))
def within_months(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """``end`` (default today) is no later than ``months`` calendar months after ``start`` (validity)."""
    found = _months(ctx, p)
    if found is None:
        return "日期未填写"
    start, end, last = found
    if end <= last:
        return None
    return f"{start.isoformat()}起{p['months']}个月至{last.isoformat()}止，实际为{end.isoformat()}，已超过"


@guard("months_elapsed", start=Param("field"), end=Param("field", required=False), months=Param("int", min=1))
def months_elapsed(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """``end`` (default today) is at least ``months`` calendar months after ``start`` (a period served)."""
    found = _months(ctx, p)
    if found is None:
        return "日期未填写"
    start, end, due = found
    if end >= due:
        return None
    return f"{start.isoformat()}起满{p['months']}个月为{due.isoformat()}，实际为{end.isoformat()}，尚未期满"


@guard("field_in", field=Param("field"), values=Param("str_list"))
def field_in(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The field's value is one of ``values`` (a check passed, an assessment)."""
    value = ctx.value(p["field"])
    if value in p["values"]:
        return None
    return "尚未填写" if value in (None, "") else f"当前为“{value}”"


@guard("fields_differ", fields=Param("fields"))
def fields_differ(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The listed fields hold different values (two signatures by two different people)."""
    values = [str(ctx.value(f) or "").strip() for f in p["fields"]]
    filled = [v for v in values if v]
    if len(set(filled)) == len(filled):
        return None
    return f"“{'”“'.join(values)}”有重复，须为不同人员"


@guard("value_locked", field=Param("field"), values=Param("str_list"))
def value_locked(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Once the case holds one of ``values`` in ``field``, the value can no longer be changed."""
    held = ctx.case_data.get(p["field"])
    if held not in p["values"] or p["field"] not in ctx.data or ctx.data[p["field"]] == held:
        return None
    return f"已认定为“{held}”，不得改为“{ctx.data[p['field']]}”"


@guard("no_pending_approvals", event=Param("event"))
def no_pending_approvals(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """No signature of the multi-approval ``event`` has been given in the current state."""
    given = [h.actor for h in ctx.events_since_entering()
             if h.event == p["event"] and h.type == "approval_recorded"]
    return None if not given else f"已有{len(given)}人签署（{'、'.join(given)}）"
