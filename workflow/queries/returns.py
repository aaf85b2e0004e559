"""Returned work (退回): cases whose last move was a ``return`` transition."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select

from ..definition import DefinitionRegistry
from ..persistence.db import Database
from ..persistence.tables import events_t
from ..types import CaseSnapshot
from ..types import EventView

MOVES = ("transition_fired", "approval_recorded")
RETURN = "return"


def is_move(ev: EventView) -> bool:
    return ev.type in MOVES and bool(ev.to_state) and ev.from_state != ev.to_state


def last_return(registry: DefinitionRegistry, case: CaseSnapshot, history: Sequence[EventView]) -> EventView | None:
    """The event that sent the case back, when the case's last move was a return (else None)."""
    d = registry.get(case.definition, case.definition_version)
    moves = [ev for ev in history if is_move(ev)]
    if not moves or not moves[-1].event:
        return None
    named = d.transitions_named(moves[-1].event)
    return moves[-1] if named and named[0].kind == RETURN else None


def returned_ids(db: Database, registry: DefinitionRegistry, cases: Sequence[CaseSnapshot]) -> frozenset[int]:
    """Which of ``cases`` (already visible to the caller) were last moved by a return: one query."""
    if not cases:
        return frozenset()
    by_id = {c.id: c for c in cases}
    e = events_t.c
    last = (select(e.case_id, func.max(e.seq).label("seq"))
            .where(e.case_id.in_(list(by_id)), e.type.in_(MOVES), e.to_state.is_not(None), e.to_state != e.from_state)
            .group_by(e.case_id).subquery())
    q = select(e.case_id, e.event).join(last, and_(e.case_id == last.c.case_id, e.seq == last.c.seq))
    with db.read() as conn:
        rows = conn.execute(q).all()
    out = set()
    for case_id, event in rows:
        c = by_id[case_id]
        named = registry.get(c.definition, c.definition_version).transitions_named(event) if event else []
        if named and named[0].kind == RETURN:
            out.add(case_id)
    return frozenset(out)
