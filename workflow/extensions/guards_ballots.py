"""The link between a closed ballot and the event that records its result (民主推荐, 民主测评, 表决).

A definition ties an event's fields to a ballot's tally by naming, for one ballot kind, the
fields and, at the same positions, the tally figures they hold (``workflow.tally.PATHS``)::

    conditions:
      - name: ballot_tally
        params: {kind: recommendation, fields: [participants_expected, participants_present],
                 tally: [voters, cast]}
        rule: 民主推荐结果须与投票计票结果一致
        source: 数据一致性校验

The same declaration gives the event form its defaults (``Ballots.defaults``). When the case
has no closed ballot of that kind (the votes were counted on paper), the guard holds. Texts
(``others``) are defaults only; numbers and lists must equal the tally.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ballot_kinds import KINDS
from ..tally import lookup
from ..tally import mapping
from . import Effects
from . import Param
from . import action
from . import guard
from .context import GuardContext


def _closed(ctx: GuardContext, kind: str) -> Mapping[str, Any] | None:
    found = [h.data for h in ctx.history if h.type == "ballot_closed" and h.data.get("kind") == kind]
    return found[-1] if found else None


@guard("ballot_tally", kind=Param("str", choices=tuple(KINDS)), fields=Param("fields"),
       tally=Param("str_list"), rule="录入的结果须与投票计票结果一致", source="数据一致性校验")
def ballot_tally(ctx: GuardContext, p: Mapping[str, Any]) -> str | None:
    """Each of ``fields`` equals the figure at the same position of ``tally`` in the case's last closed
    ballot of ``kind`` (no such ballot: holds)."""
    tally = _closed(ctx, p["kind"])
    if tally is None:
        return None
    if len(p["fields"]) != len(p["tally"]):
        return "定义中 fields 与 tally 的项数不一致"
    problems = []
    for name, path in mapping(p).items():
        expected = lookup(tally, path, ctx.subject_id)
        given = ctx.value(name)
        if expected is None or given is None or isinstance(expected, str):
            continue
        if given != expected:
            shown = "、".join(f"{c.get('votes')}票" for c in expected) if isinstance(expected, list) else expected
            problems.append(f"{ctx.field_label(name)}填写为{_shown(given)}，计票结果为{shown}")
    if not problems:
        return None
    return f"投票“{tally.get('title', '')}”（票箱哈希{str(tally.get('box_hash', ''))[:12]}）：" + "；".join(problems)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(f"{v.get('votes')}票" if isinstance(v, Mapping) else str(v) for v in value)
    return str(value)


@action("record_ballot", writes=("{field}",), kind=Param("str", choices=tuple(KINDS)),
        field=Param("str"))
def record_ballot(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Write into ``field`` which closed ballot of ``kind`` the event's figures come from (its box hash)."""
    tally = _closed(ctx, p["kind"])
    if tally is None:
        return
    fx.set_data(p["field"], {"ballot_id": tally.get("ballot_id"), "title": tally.get("title"),
                             "voters": tally.get("voters"), "cast": tally.get("cast"),
                             "box_hash": tally.get("box_hash")})
