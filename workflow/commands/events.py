"""Appending a history event: the only code that builds an event row and re-signs a case's head.

``check`` refuses a locked case row that disagrees with its signed head;
``append`` inserts the event after the case's head (hash-chained, through
``persistence.rows``); ``head`` gives the head columns to set with it and
``update`` writes them with the seal and MAC of the row as it is then; ``record``
does all of it for an event that does not move the state (a recusal, an
attachment, an issued document); ``due_at`` is the deadline a state sets on
entering it.
Every call runs inside the caller's write transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import time
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy.engine import Connection

from .. import audit
from ..clock import SHANGHAI
from ..definition.schema import StateDef
from ..errors import CalendarError
from ..errors import CaseTampered
from ..errors import StaleVersion
from ..extensions.guards_common import add_months
from ..persistence.rows import case_rows
from ..types import Actor
from ..workdays import WorkCalendar

log = logging.getLogger(__name__)


def append(conn: Connection, row: Any, type_: str, event: str | None, from_state: str | None,
           to_state: str | None, actor: Actor, role: str, at: datetime, data: dict[str, Any],
           comment: str, on_behalf_of: Actor | None = None) -> str:
    """Insert one event after ``row``'s head, hashed over every column (format 2); returns its hash.

    ``on_behalf_of``: the delegator a delegate (``actor``) fires the event for (委托)."""
    if type_ not in audit.EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")
    seq = row.head_seq + 1
    prev = row.head_hash or audit.GENESIS
    behalf = on_behalf_of.username if on_behalf_of is not None else None
    behalf_name = on_behalf_of.name if on_behalf_of is not None else None
    digest = audit.event_hash_v2(row.id, seq, type_, event, from_state, to_state, actor.username, actor.name, role,
                                 at, data, comment, prev, behalf, behalf_name)
    case_rows(conn).insert_event(conn, {
        "case_id": row.id, "seq": seq, "type": type_, "event": event, "from_state": from_state,
        "to_state": to_state, "actor": actor.username, "actor_name": actor.name, "role": role, "at": at,
        "data": data, "comment": comment, "prev_hash": prev, "hash": digest, "on_behalf_of": behalf,
        "on_behalf_of_name": behalf_name,
    })
    return digest


def head(case_id: int, seq: int, digest: str) -> dict[str, Any]:
    """The head columns of a case whose last event is ``seq`` with hash ``digest`` (``update`` signs them)."""
    return {"head_seq": seq, "head_hash": digest}


def check(row: Any, key: bytes, skip: tuple[str, ...] = ()) -> None:
    """CaseTampered (logged) unless the locked row agrees with its signed head: never act on a changed case."""
    problems = audit.head_problems(key, row, row.recused_names, row.link_keys, skip)
    if problems:
        log.error("case %s refused: its row disagrees with its signed head: %s", row.id, "; ".join(problems))
        raise CaseTampered(row.id, problems)


def update(conn: Connection, key: bytes, row: Any, values: dict[str, Any],
           also: dict[str, Any] | None = None) -> SimpleNamespace:
    """Set ``values`` on the case row where its id, version and head are still as ``row`` read them,
    and sign its head over the row as it is now (``also``: recusals or links changed with it).

    Returns the row as it is now.

    StaleVersion when the row moved since it was read.
    """
    fields = dict(row._mapping) if hasattr(row, "_mapping") else dict(vars(row))
    after = {"recused_names": frozenset(), "link_keys": frozenset(), **fields, **(also or {}), **values}
    signed = {**values, **audit.sign_head(key, after, after["recused_names"], after["link_keys"])}
    if case_rows(conn).update_case(conn, row.id, row.version, row.head_seq, signed) != 1:
        raise StaleVersion(row.version, row.version + 1)
    return SimpleNamespace(**{**after, **signed})


def reseal(conn: Connection, key: bytes, case_id: int) -> None:
    """Sign a case's head again after a link to it was added (by another case's event).

    Everything else in the row must still agree with its head.
    """
    row = case_rows(conn).lock_case(conn, case_id)
    assert row is not None
    check(row, key, skip=("links",))
    update(conn, key, row, {})


def record(conn: Connection, key: bytes, row: Any, type_: str, actor: Actor, role: str, at: datetime,
           data: dict[str, Any], comment: str = "", also: dict[str, Any] | None = None) -> SimpleNamespace:
    """An event that does not move the state: the row checked, the event appended, the head re-signed,
    version unchanged."""
    check(row, key)
    digest = append(conn, row, type_, None, None, None, actor, role, at, data, comment)
    return update(conn, key, row, {"updated_at": at, **head(row.id, row.head_seq + 1, digest)}, also)


def due_at(state: StateDef, now: datetime, calendar: Callable[[], WorkCalendar]) -> datetime | None:
    """End of the deadline day (Beijing time) of a state entered at ``now``, if it has a deadline.

    A deadline in working days that falls in a year nobody entered gets no due date
    (logged), rather than a guessed one.
    """
    if state.final:
        return None
    today = now.astimezone(SHANGHAI).date()
    if state.deadline_working_days:
        try:
            day = calendar().add_working_days(today, state.deadline_working_days)
        except CalendarError:
            log.warning("no holiday schedule for the deadline of state %s; no due date set", state.name)
            return None
    elif state.deadline_days:
        day = today + timedelta(days=state.deadline_days)
    elif state.deadline_months:
        day = add_months(today, state.deadline_months)
    else:
        return None
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI).astimezone(UTC)
