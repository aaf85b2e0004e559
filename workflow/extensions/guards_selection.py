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


def _rows(ctx: GuardContext, name: str) -> list[Mapping[str, Any]]:
    value = ctx.value(name)
    return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


def _num(ctx: GuardContext, name: str | None) -> int | None:
    value = ctx.value(name) if name else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@guard("recommended_candidates", candidates=Param("field"), posts=Param("field"), valid=Param("field"),
       present=Param("field"))
def recommended_candidates(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """One round's candidates: each person once, the case's person among them, nobody with more
    votes than valid ballots, and no more votes in all than valid ballots × posts (a ballot naming
    more candidates than there are posts is void, so a valid one names at most ``posts``).
    Valid ballots are ``valid`` when recorded (会议推荐), else those present (谈话调研推荐)."""
    rows = _rows(ctx, p["candidates"])
    if not rows:
        return None
    cap = _num(ctx, p["valid"])
    cap = _num(ctx, p["present"]) if cap is None else cap
    posts = _num(ctx, p["posts"]) or 1
    problems = []
    seen: dict[Any, int] = {}
    for i, r in enumerate(rows, 1):
        pid = r.get("person_id")
        if pid in seen:
            problems.append(f"第{i}行与第{seen[pid]}行是同一人选")
        seen.setdefault(pid, i)
        votes = r.get("votes")
        if cap is not None and isinstance(votes, int) and votes > cap:
            problems.append(f"第{i}行得票{votes}，多于有效票{cap}")
    if ctx.subject_id is not None and ctx.subject_id not in seen:
        problems.append("本案件拟任人选不在推荐人选之列")
    total = sum(r.get("votes") or 0 for r in rows if isinstance(r.get("votes"), int))
    if cap is not None and total > cap * posts:
        problems.append(f"得票合计{total}，超过有效票{cap}×职位数{posts}（推荐人数多于职位数的票无效）")
    return "；".join(problems) or None


@guard("stances_agree", stances=Param("field"), chair=Param("field", required=False),
       votes_for=Param("field"), votes_against=Param("field"), votes_postpone=Param("field"),
       present=Param("field"), recused=Param("field", required=False))
def stances_agree(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Each member's 表态 (逐一表态): one row per member entitled to vote (present minus recused), none
    of them recused on the case, the 主要负责人 (``chair``) last, and the counts of 同意/不同意/缓议
    equal to the votes recorded. Without stances (a secret ballot) the figures stand alone."""
    rows = _rows(ctx, p["stances"])
    if not rows:
        return None
    problems = []
    names = [str(r.get("username")) for r in rows]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(f"{'、'.join(twice)}重复表态")
    recused = [n for n in names if n in ctx.recused]
    if recused:
        problems.append(f"{'、'.join(recused)}已回避本案件，不参加表态")
    voters = (_num(ctx, p["present"]) or 0) - (_num(ctx, p.get("recused")) or 0)
    if len(rows) != voters:
        problems.append(f"表态{len(rows)}人，参加表决{voters}人（实到会减去回避）")
    chair = ctx.value(p["chair"]) if p.get("chair") else None
    if chair and names[-1] != chair:
        problems.append(f"主要负责人{chair}应最后表态")
    for key, stance in (("votes_for", "同意"), ("votes_against", "不同意"), ("votes_postpone", "缓议")):
        counted = sum(1 for r in rows if r.get("stance") == stance)
        typed = _num(ctx, p[key])
        if typed is not None and typed != counted:
            problems.append(f"{stance}{typed}票，表态中{stance}{counted}人")
    return "；".join(problems) or None
