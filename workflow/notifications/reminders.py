"""The reminders run: 临期 (a deadline within N working days) and 逾期 (past its deadline).

Set-based: one INSERT ... SELECT per due day in the window and one for every overdue case,
joining open cases to their stored holders (``case_holders``, active users, not recused).
Idempotent: a reminder is written once per case, holder, kind and due date (NOT EXISTS,
backed by a unique index), so running it again adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from typing import Any
from typing import Protocol

from sqlalchemy import String
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import exists
from sqlalchemy import insert
from sqlalchemy import literal
from sqlalchemy import null
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..clock import SHANGHAI
from ..clock import Clock
from ..errors import CalendarError
from ..persistence import cases as store
from ..persistence.db import Database
from ..persistence.tables import cases_t
from ..persistence.tables import holders_t
from ..persistence.tables import notices_t
from ..persistence.tables import recusals_t
from ..persistence.tables import users_t
from ..settings import Settings
from .mail import Mailer

log = logging.getLogger(__name__)


class ReminderSource(Protocol):
    """What the run needs: an Engine has it all."""

    db: Database
    settings: Settings
    clock: Clock
    mailer: Mailer


def _day_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _insert(conn: Connection, kind: str, text: Any, now: datetime, where: Any, mail: bool) -> int:
    """Add ``kind`` for every stored holder of the open cases ``where`` selects who has none yet."""
    c, h, u, n, r = cases_t.c, holders_t.c, users_t.c, notices_t.c, recusals_t.c
    mail_state = (case((u.email != "", literal("pending", String)), else_=null()) if mail
                  else null())
    already = exists().where(n.case_id == c.id, n.username == h.username, n.kind == kind, n.due_at == c.due_at)
    recused = exists().where(r.case_id == c.id, r.username == h.username)
    rows = (select(h.username, c.id, literal(kind, String), text, literal(now, notices_t.c.at.type), c.due_at,
                   null(), mail_state, literal("", String))
            .select_from(cases_t.join(holders_t, h.case_id == c.id).join(users_t, u.username == h.username))
            .where(c.final.is_(False), c.due_at.is_not(None), where, u.active.is_(True), ~recused, ~already))
    cols = ["username", "case_id", "kind", "text", "at", "due_at", "read_at", "mail_state", "mail_error"]
    # Counted from RETURNING: psycopg reports no rowcount for an INSERT ... SELECT here.
    return len(conn.execute(insert(notices_t).from_select(cols, rows).returning(notices_t.c.id)).all())


def remind_on(conn: Connection, now: datetime, days: int, mail: bool) -> int:
    """The run on the caller's connection; how many notifications it added."""
    c = cases_t.c
    today = now.astimezone(SHANGHAI).date()
    added = 0
    dues: Sequence[datetime] = []
    try:
        last = store.work_calendar(conn).add_working_days(today, days)
    except CalendarError as exc:  # a year nobody entered: 逾期 still, 临期 once the schedule is entered
        log.warning("no 临期 reminders: %s", exc.message)
    else:
        limit = datetime.combine(last, time(23, 59, 59), tzinfo=SHANGHAI).astimezone(UTC)
        dues = conn.execute(select(c.due_at).distinct().where(
            c.final.is_(False), c.due_at.is_not(None), c.due_at >= now, c.due_at <= limit)).scalars().all()
    for due in dues:  # a due date is the end of a Beijing day: a handful of days, not a loop over cases
        text = literal("《", String) + c.title + literal(
            f"》的办理期限为{_day_text(due.astimezone(SHANGHAI).date())}，请抓紧办理。", String)
        added += _insert(conn, "due_soon", text, now, c.due_at == due, mail)
    text = literal("《", String) + c.title + literal("》已超过办理期限，请尽快办理。", String)
    added += _insert(conn, "overdue", text, now, and_(c.due_at < now), mail)
    return added


def run_reminders(source: ReminderSource, now: datetime | None = None) -> int:
    """Add the 临期 and 逾期 notifications due at ``now`` (the clock's when None); send their emails
    after the commit. Returns how many were added (0 when run again)."""
    at = now or source.clock.now()
    with source.db.write() as conn:
        added = remind_on(conn, at, source.settings.remind_working_days, source.mailer.enabled)
    source.mailer.deliver()
    return added
