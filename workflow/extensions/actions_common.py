"""Actions shared by the procedures."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from ..errors import ValidationFailed
from . import Effects
from . import Param
from . import action
from .context import GuardContext


@action("assign_number", writes=("{field}",), field=Param("str"), counter=Param("str"),
        prefix=Param("str", required=False, default=""))
def assign_number(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Set ``field`` to a registration number: prefix + year + 4-digit sequence of that year."""
    year = ctx.today.year
    seq = fx.next_number(f"{p['counter']}:{year}")
    fx.set_data(p["field"], f"{p['prefix']}{year}{seq:04d}")


@action("open_linked_case", writes=("{relation}_case_id", "{relation}_case_ids"), definition=Param("definition"),
        relation=Param("str"), title=Param("str", required=False, default=""), each=Param("field", required=False))
def open_linked_case(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Open a new case of ``definition`` on the same subject and link it as ``relation``.

    With ``each`` (a table of ``person_id`` rows: the 差额 list of 考察对象) holding rows, one case per
    person listed, each on that person, titled with the person's name; ``{relation}_case_id`` is then
    the case's own person's and ``{relation}_case_ids`` lists them all. An empty list opens one case
    as without ``each`` (等额).
    """
    title = p["title"] or str(ctx.case_data.get("_title", ""))
    people = listed_people(ctx.value(p["each"])) if p.get("each") else []
    if not people:
        case_id = fx.open_case(p["definition"], p["relation"], title, {"parent_case_id": ctx.case_id})
        fx.set_data(f"{p['relation']}_case_id", case_id)
        return
    if ctx.subject_id is not None and ctx.subject_id in people:
        people = [ctx.subject_id, *(pid for pid in people if pid != ctx.subject_id)]
    opened = []
    for pid in people:
        name = str(((ctx.person if pid == ctx.subject_id else ctx.person_of(pid)) or {}).get("name") or "")
        named = f"{title or name}（{name}）" if name else title
        opened.append(fx.open_case(p["definition"], p["relation"], named, {"parent_case_id": ctx.case_id},
                                   subject_id=pid))
    fx.set_data(f"{p['relation']}_case_id", opened[0])
    fx.set_data(f"{p['relation']}_case_ids", opened)


def listed_people(rows: Any) -> list[int]:
    """The ``person_id`` of each row of a table value, in order, each once."""
    found = [r.get("person_id") for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []
    return list(dict.fromkeys(pid for pid in found if isinstance(pid, int) and not isinstance(pid, bool)))


@action("link_subject_cases", writes=("{relation}_case_ids",), definitions=Param("str_list"), states=Param("str_list"),
        relation=Param("str"))
def link_subject_cases(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Link every case of the same subject in ``definitions`` that is in one of ``states``."""
    found = fx.find_cases(list(p["definitions"]), list(p["states"]), ctx.subject_id)
    already = {c.case_id for c in ctx.links if c.relation == p["relation"]}
    for case_id in found:
        if case_id not in already and case_id != ctx.case_id:
            fx.link_case(case_id, p["relation"])
    fx.set_data(f"{p['relation']}_case_ids", sorted(set(found) | already))


@action("set_to_actor", writes=("{field}",), field=Param("str"), role=Param("str"))
def set_to_actor(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Fill an empty user field with whoever opens the case, when they hold ``role``.

    A recommender opening their own recommendation becomes its recommender; anyone
    else must name one (ValidationFailed, so the case is not created).
    """
    if ctx.value(p["field"]):
        return
    if not fills_itself(p, ctx.actor.roles):
        label = ctx.field_label(p["field"])
        raise ValidationFailed({p["field"]: f"{label}：此项为必填项（代为发起时须指定）"})
    fx.set_data(p["field"], ctx.actor.username)


def fills_itself(params: Mapping[str, Any], roles: Iterable[str]) -> bool:
    """Whether ``set_to_actor`` (with ``params``) fills its field for a starter holding ``roles``."""
    return params["role"] in set(roles)


def required_for(start: Any) -> dict[str, list[str]]:  # a definition StartDef (no import: no cycle)
    """{start field: the start roles that must fill it}: a field a start ``set_to_actor`` fills
    for its own role only, so every other starter must name one (the check set_to_actor makes)."""
    out: dict[str, list[str]] = {}
    for ref in start.actions:
        if ref.name == "set_to_actor":
            out[ref.params["field"]] = [r for r in start.roles if not fills_itself(ref.params, [r])]
    return out
