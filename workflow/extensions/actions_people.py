"""Actions that write a case's outcome into the person's record (through the person's one write path).

``update_person_post`` after an appointment (现任职务, 任现职务时间, 简历; procedures.md
§selection_appointment), ``record_sanction`` for the outcome of a 容错纠错 review
(procedures.md §error_tolerance_review: 从轻/减轻 the measure with its 影响期, 不予容错
the original accountability decision, 免责 nothing). What they write is validated like a
PATCH of the record or a sanction entered by hand; a refusal refuses the event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ValidationFailed
from . import Effects
from . import Param
from . import action
from .context import GuardContext
from .guards_common import as_date


def _month(day: Any) -> str:
    return f"{day.year:04d}.{day.month:02d}"


def _text(ctx: GuardContext, p: Mapping[str, Any], key: str) -> str:
    return str(ctx.value(p[key]) or "").strip() if p.get(key) else ""


@action("update_person_post", writes=("person_updated",), post=Param("field"), since=Param("field"),
        unit=Param("field", required=False), rank=Param("field", required=False),
        clear=Param("str_list", required=False, default=[]), label=Param("str", required=False, default="任职"),
        person=Param("field", required=False))
def update_person_post(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Set the person's ``current_post`` (and ``unit``) to the post of ``post``/``unit``, ``post_since``
    to the date in ``since`` (the decision date: 任职时间自党委（党组）决定之日起计算), the 职级 of
    ``rank`` when given (with ``rank_since``), close the open 简历 line and add the new one; the
    person fields in ``clear`` (拟任职务, 拟免职务) are emptied.

    The person is the case's, or the one in ``person`` when it holds another (the candidate a 差额
    decision chose among those inspected)."""
    post, unit = _text(ctx, p, "post"), _text(ctx, p, "unit")
    since = as_date(ctx.value(p["since"]))
    if not post or since is None:
        return
    chosen = ctx.value(p["person"]) if p.get("person") else None
    other = chosen if isinstance(chosen, int) and not isinstance(chosen, bool) and chosen != ctx.subject_id else None
    record = ctx.person_of(other) if other is not None else ctx.person
    full = post if not unit or post.startswith(unit) else f"{unit}{post}"
    resume = [dict(r) for r in ((record or {}).get("resume") or []) if isinstance(r, Mapping)]
    for line in reversed(resume):
        if not line.get("end"):
            line["end"] = _month(since)
            break
    resume.append({"start": _month(since), "end": "", "text": full})
    changes: dict[str, Any] = {"current_post": post[len(unit):] if unit and post.startswith(unit) else post,
                               "post_since": since.isoformat(), "resume": resume}
    if unit:
        changes["unit"] = unit
    rank = _text(ctx, p, "rank")
    if rank:
        changes.update(rank_level=rank, rank_since=since.isoformat())
    changes.update({name: None for name in p["clear"]})
    done = fx.update_person(changes, f"{p['label']}：{full}（案件#{ctx.case_id}）", person_id=other)
    fx.set_data("person_updated", sorted(done))


@action("record_sanction", writes=("sanctions_added",), kind=Param("field"), decided_on=Param("field"),
        decided_by=Param("field"), outcome=Param("field", required=False),
        outcomes=Param("str_list", required=False, default=[]), reason=Param("str", required=False, default=""))
def record_sanction(ctx: GuardContext, fx: Effects, p: Mapping[str, Any]) -> None:
    """Record in the sanctions register the kind held by ``kind``, decided on the date in ``decided_on``
    by the body in ``decided_by``; its 影响期 comes from the kind (GET /sanction-kinds).

    With ``outcome``, only when that field holds one of ``outcomes`` (从轻/减轻 record the measure
    imposed, 不予容错 the original accountability decision; 免责 lists neither and writes nothing).
    """
    if p.get("outcome") and ctx.value(p["outcome"]) not in p["outcomes"]:
        return
    outcome = f"（{ctx.value(p['outcome'])}）" if p.get("outcome") else ""
    reason = f"{p['reason'] or ctx.field_label(p['kind'])}{outcome}，案件#{ctx.case_id}"
    try:
        fx.add_sanction({"kind": _text(ctx, p, "kind"), "decided_on": _text(ctx, p, "decided_on")[:10],
                         "decided_by": _text(ctx, p, "decided_by"), "reason": reason}, reason)
    except ValidationFailed as exc:  # name the case's fields, not the register's
        named = {key: p[key] for key in ("kind", "decided_on", "decided_by")}
        raise ValidationFailed({named.get(k, k): f"{ctx.field_label(named[k]) if k in named else k}："
                                f"{v.split('：', 1)[-1]}" for k, v in exc.fields.items()}) from None
