"""Appending a history event: the only code that builds an event row and re-signs a case's head.

``append`` inserts the event after the case's head (hash-chained, through
``persistence.rows``); ``head`` gives the head columns to set with it; ``record``
does both for an event that does not move the state (a recusal, an attachment,
an issued document); ``due_at`` is the deadline a state sets on entering it.
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
from ..errors import StaleVersion
from ..persistence.rows import case_rows
from ..types import Actor
from ..workdays import WorkCalendar

log = logging.getLogger(__name__)


def append(conn: Connection, row: Any, type_: str, event: str | None, from_state: str | None,
           to_state: str | None, actor: Actor, role: str, at: datetime, data: dict[str, Any],
           comment: str) -> str:
    """Insert one event after ``row``'s head; returns its hash."""
    if type_ not in audit.EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")
    seq = row.head_seq + 1
    prev = row.head_hash or audit.GENESIS
    digest = audit.event_hash(row.id, seq, type_, event, from_state, to_state, actor.username, role, at, data,
                              comment, prev)
    case_rows(conn).insert_event(conn, {
        "case_id": row.id, "seq": seq, "type": type_, "event": event, "from_state": from_state,
        "to_state": to_state, "actor": actor.username, "actor_name": actor.name, "role": role, "at": at,
        "data": data, "comment": comment, "prev_hash": prev, "hash": digest,
    })
    return digest


def head(key: bytes, case_id: int, seq: int, digest: str) -> dict[str, Any]:
    """The head columns of a case whose last event is ``seq`` with hash ``digest``."""
    return {"head_seq": seq, "head_hash": digest, "head_mac": audit.head_mac(key, case_id, seq, digest)}


def update(conn: Connection, row: Any, values: dict[str, Any]) -> SimpleNamespace:
    """Set ``values`` on the case row where its id, version and head are still as ``row`` read them.

    Returns the row as it is now.

    StaleVersion when the row moved since it was read.
    """
    if case_rows(conn).update_case(conn, row.id, row.version, row.head_seq, values) != 1:
        raise StaleVersion(row.version, row.version + 1)
    fields = dict(row._mapping) if hasattr(row, "_mapping") else dict(vars(row))
    return SimpleNamespace(**{**fields, **values})


def record(conn: Connection, key: bytes, row: Any, type_: str, actor: Actor, role: str, at: datetime,
           data: dict[str, Any], comment: str = "") -> SimpleNamespace:
    """An event that does not move the state: appended, head re-signed, version unchanged."""
    digest = append(conn, row, type_, None, None, None, actor, role, at, data, comment)
    return update(conn, row, {"updated_at": at, **head(key, row.id, row.head_seq + 1, digest)})


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
    else:
        return None
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI).astimezone(UTC)
