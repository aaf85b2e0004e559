"""Guards specific to the eight procedures (procedures.md).

Each reads only through the GuardContext and takes every regulatory number or
list from its YAML params; the rule text and the source live in the YAML.
Generic guards (periods, counts, quorum) are in common.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import sanctions
from ..types import MARK_KINDS
from ..types import LinkedCase
from . import Param
from . import guard
from .context import GuardContext
from .guards_common import as_date
from .guards_common import as_int


def checked_people(ctx: GuardContext, each: str | None) -> list[tuple[str, Mapping[str, Any], list[Any]]]:
    """(name prefix, record, marks) of the case's person and, with ``each`` (a table of
    ``person_id`` rows: the candidates of a 差额 list), of every other person listed there.
    The prefix is empty when only the case's person is checked."""
    out: list[tuple[str, Mapping[str, Any], list[Any]]] = []
    if ctx.person is not None:
        out.append(("", ctx.person, ctx.marks))
    rows = ctx.value(each) if each else None
    others = [r.get("person_id") for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []
    for pid in dict.fromkeys(others):
        if isinstance(pid, int) and pid != ctx.subject_id and (person := ctx.person_of(pid)) is not None:
            out.append(("", person, ctx.marks_of(pid)))
    if len(out) > 1:
        out = [(f"{person.get('name', '')}：", person, marks) for _, person, marks in out]
    return out


@guard("no_active_marks", kinds=Param("str_list"), as_of=Param("field", required=False),
       each=Param("field", required=False))
def no_active_marks(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The case's person (and every candidate listed in ``each``) has no mark of ``kinds`` active on
    the date in ``as_of`` (default today).

    Marks are 影响期 (influence periods of 处分/问责/组织处理), 瞒报 (concealment found by a
    personal-matters check) and other situations that bar promotion.
    """
    if ctx.subject_id is None:
        return "本案件未指定干部"
    day = as_date(ctx.value(p["as_of"])) if p.get("as_of") else ctx.today
    if day is None:
        return "日期未填写"
    found = []
    for prefix, _person, marks in checked_people(ctx, p.get("each")):
        active = [m for m in marks if m.kind in p["kinds"] and m.active_on(day)]
        parts = []
        for m in active:
            until = f"至{m.ends_on.isoformat()}" if m.ends_on else "（无截止日期）"
            since = m.starts_on.isoformat() if m.starts_on else ""
            parts.append(f"{MARK_KINDS.get(m.kind, m.kind)}“{m.label}”{since}{until}")
        if parts:
            found.append(prefix + "；".join(parts))
    return f"{day.isoformat()}处于：" + "；".join(found) if found else None


@guard("last_grade_not_in", grades=Param("str_list"), years=Param("int", required=False, default=1, min=1),
       as_of=Param("field", required=False), each=Param("field", required=False))
def last_grade_not_in(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """None of the annual grades of the ``years`` years before the event's date is in ``grades``
    (for the case's person and every candidate listed in ``each``).

    The event's date is the date in ``as_of`` (a field), else today: for a decision in 2026
    "last year" is 2025, whatever later years are stored. A year without a grade blocks nothing.
    """
    if ctx.person is None:
        return "本案件未指定干部"
    day = as_date(ctx.value(p["as_of"])) if p.get("as_of") else ctx.today
    if day is None:
        return "日期未填写"
    years = range(day.year - 1, day.year - 1 - p["years"], -1)
    found = []
    for prefix, person, _marks in checked_people(ctx, p.get("each")):
        by_year = {int(r["year"]): r for r in (person.get("annual_assessments") or [])
                   if isinstance(r, Mapping) and as_int(r.get("year")) is not None}
        bad = [by_year[y] for y in years if y in by_year and by_year[y].get("grade") in p["grades"]]
        if bad:
            found.append(prefix + "；".join(f"{r['year']}年度考核为“{r['grade']}”" for r in bad))
    return "；".join(found) or None


@guard("ballot_counts", issued=Param("field"), returned=Param("field"), valid=Param("field"),
       counts=Param("fields"))
def ballot_counts(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Ballots issued >= returned >= valid, and the per-grade counts add up to the valid ballots."""
    def num(name: str) -> int:
        return as_int(ctx.value(name)) or 0

    issued, returned, valid = num(p["issued"]), num(p["returned"]), num(p["valid"])
    problems = []
    if returned > issued:
        problems.append(f"收回{returned}张，多于发出{issued}张")
    if valid > returned:
        problems.append(f"有效{valid}张，多于收回{returned}张")
    total = sum(num(f) for f in p["counts"])
    if total != valid:
        problems.append(f"各等次票数合计{total}张，与有效票{valid}张不符")
    return "；".join(problems) or None


@guard("negative_list_clear", flags=Param("fields"), outcome=Param("field"), allowed=Param("str_list"),
       labels=Param("mapping", required=False, default={}))
def negative_list_clear(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """When any negative-list flag is true, the outcome can only be one of ``allowed`` (不予容错).

    ``labels`` maps each flag to the Chinese words the refusal prints.
    """
    flagged = [f for f in p["flags"] if ctx.value(f) is True]
    outcome = ctx.value(p["outcome"])
    if not flagged or outcome in p["allowed"] or outcome is None:
        return None
    names = "、".join(str(p["labels"].get(f, f)) for f in flagged)
    return f"调查认定存在负面清单情形（{names}），不能认定为“{outcome}”"


@guard("period_if_outcome", outcome=Param("field"), outcomes=Param("str_list"), start=Param("field"),
       end=Param("field"))
def period_if_outcome(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """When the outcome is one of ``outcomes``, the period [start, end] is given and in order."""
    if ctx.value(p["outcome"]) not in p["outcomes"]:
        return None
    start = as_date(ctx.value(p["start"]))
    end = as_date(ctx.value(p["end"]))
    if start is None or end is None:
        return "影响期起止日期未填写"
    return None if end >= start else f"截止日期{end.isoformat()}早于起始日期{start.isoformat()}"


@guard("sanction_kinds_known", fields=Param("fields"))
def sanction_kinds_known(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Each listed field, when filled, names a kind of the sanctions register (GET /sanction-kinds),
    so the record written later (record_sanction) cannot fail on it."""
    known = {k.kind for k in sanctions.kinds()}
    wrong = [f"{ctx.field_label(f)}“{ctx.value(f)}”" for f in p["fields"] if ctx.value(f) not in (None, "")
             and ctx.value(f) not in known]
    return None if not wrong else f"{'、'.join(wrong)}不是处分、问责登记中的种类（可选：{'、'.join(sorted(known))}）"


@guard("linked_case_value_in", relation=Param("str"), field=Param("str"), values=Param("str_list"),
       label=Param("str"), refusal=Param("str", required=False, default=""),
       any_field=Param("field", required=False), any_values=Param("str_list", required=False, default=[]))
def linked_case_value_in(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Every case linked by ``relation`` (at least one) holds one of ``values`` in its field ``field``
    (e.g. the conclusion of a 任前考察). The refusal names what the case holds by its choice label in
    the linked definition: 关联的{label}为“不宜任用”, then ``refusal`` (“不得提交讨论决定”).

    When the case's ``any_field`` holds one of ``any_values`` (差额考察: one 任前考察 per 考察对象),
    one such case is enough; with several linked cases the refusal names each case's person."""
    linked = [c for c in ctx.links if c.relation == p["relation"]]
    if not linked:
        return "尚无关联案件"
    wrong = [c for c in linked if c.data.get(p["field"]) not in p["values"]]
    enough = p.get("any_field") and ctx.value(p["any_field"]) in p["any_values"] and len(wrong) < len(linked)
    if not wrong or enough:
        return None
    many = len(linked) > 1
    parts = [f"关联的{p['label']}{f'（{_whose(ctx, c)}案件#{c.case_id}）' if many else ''}为“{_shown(c, p['field'])}”"
             for c in wrong]
    return "；".join(parts) + (f"，{p['refusal']}" if p["refusal"] else "")


def _whose(ctx: GuardContext, case: LinkedCase) -> str:
    """“张三，” for a linked case on another person than this case's; empty for the case's own."""
    if case.subject_id is None:
        return ""
    record = ctx.person if case.subject_id == ctx.subject_id else ctx.person_of(case.subject_id)
    name = (record or {}).get("name")
    return f"{name}，" if name else ""


def _shown(case: LinkedCase, name: str) -> str:
    value = case.data.get(name)
    if value in (None, ""):
        return "未填写"
    return case.labels.get(name) or str(value)
