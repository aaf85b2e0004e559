"""Guards of 差额考察 in 干部选拔任用: the list of 考察对象 and the person the decision chooses.

A selection case is one per post; its person (the subject) is the 拟任人选 proposed at 动议. In
差额考察 the 确定考察对象 step lists more 考察对象 than posts (a table of ``person_id`` rows, the
case's person among them), each inspected in a linked 任前考察 of their own; the 讨论决定 then
records which of them it chose (``chosen``), and only an inspected candidate concluded 可以任用
may be chosen. Every number and list comes from the YAML params.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Param
from . import guard
from .actions_common import listed_people
from .context import GuardContext


def person_name(ctx: GuardContext, person_id: Any) -> str:
    """The person's name as a refusal prints it (the case's person, another's record, else the id)."""
    record = ctx.person if person_id == ctx.subject_id else (
        ctx.person_of(person_id) if isinstance(person_id, int) else None)
    name = (record or {}).get("name")
    return str(name) if name else f"人员{person_id}"


@guard("candidates_ratio", candidates=Param("field"), mode=Param("field"), values=Param("str_list"),
       per_post=Param("int", min=2), posts=Param("int", required=False, default=1, min=1))
def candidates_ratio(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """差额考察 (``mode`` in ``values``): the list ``candidates`` names the case's person and at least
    ``per_post`` × ``posts`` people (one case is one post). 等额考察: the list is empty or names the
    case's person alone."""
    people = listed_people(ctx.value(p["candidates"]))
    own = person_name(ctx, ctx.subject_id)
    if ctx.value(p["mode"]) not in p["values"]:
        others = [person_name(ctx, pid) for pid in people if pid != ctx.subject_id]
        if others:
            return (f"{ctx.choice_label(p['mode'], ctx.value(p['mode']))}只考察拟任人选{own}一人，"
                    f"{'、'.join(others)}不应列入；差额考察请选择“{p['values'][0]}”")
        return None
    problems = []
    if ctx.subject_id not in people:
        problems.append(f"拟任人选{own}未列入考察对象")
    need = p["per_post"] * p["posts"]
    if len(people) < need:
        problems.append(f"考察对象{len(people)}人，职位{p['posts']}个，应不少于{need}人")
    return "；".join(problems) or None


@guard("candidates_recommended", candidates=Param("field"), rounds=Param("field"),
       key=Param("str", required=False, default="candidates"))
def candidates_recommended(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Every person in the list ``candidates`` is among the candidates (``key``, rows of ``person_id``)
    of some recorded recommendation round in ``rounds``: a 考察对象 comes from the 民主推荐."""
    rounds = [r for r in (ctx.case_data.get(p["rounds"]) or []) if isinstance(r, Mapping)]
    recommended = {pid for r in rounds for pid in listed_people(r.get(p["key"]))}
    missing = [person_name(ctx, pid) for pid in listed_people(ctx.value(p["candidates"])) if pid not in recommended]
    return f"{'、'.join(missing)}不在民主推荐人选之列" if missing else None


def _inspected(ctx: GuardContext, p: Mapping[str, Any]) -> Mapping[str, tuple[Any, ...]]:
    """The 表决人选 a form offers: the subjects of the linked cases (the 考察对象 inspected)."""
    return {p["chosen"]: tuple(sorted({c.subject_id for c in ctx.links
                                       if c.relation == p["relation"] and c.subject_id is not None}))}


@guard("chosen_candidate", offers=_inspected, chosen=Param("field"), relation=Param("str"), field=Param("str"),
       values=Param("str_list"), label=Param("str"), inspected=Param("str", required=False, default="任前考察"))
def chosen_candidate(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """The person in ``chosen`` (when given) is the subject of a case linked by ``relation`` (a
    任前考察 of a 考察对象) whose ``field`` holds one of ``values`` (conclusion ``fit``). The refusal
    names the person and what their 任前考察 concluded (by its choice label: 不宜任用)."""
    chosen = ctx.value(p["chosen"])
    if chosen in (None, ""):
        return None
    name = person_name(ctx, chosen)
    mine = [c for c in ctx.links if c.relation == p["relation"] and c.subject_id == chosen]
    if not mine:
        return f"{name}未经{p['inspected']}（不在本案件考察对象之列），不能作为表决人选"
    wrong = [c for c in mine if c.data.get(p["field"]) not in p["values"]]
    if len(wrong) < len(mine):
        return None
    case = wrong[-1]
    value = case.data.get(p["field"])
    shown = "未填写" if value in (None, "") else case.labels.get(p["field"]) or str(value)
    return f"{name}的{p['label']}为“{shown}”（案件#{case.case_id}），不能作为表决人选"
