"""Failure counters (sign-in, vote codes) that concurrent requests bump without losing a count.

A missing row cannot be locked, so two first failures at once would both insert it; the row is
therefore created if absent (ON CONFLICT DO NOTHING, both dialects) and then locked for update.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection

from .tables import failures_t


def bump(conn: Connection, key: str, now: datetime, window: timedelta) -> int:
    """Count one failure under ``key``; a count older than ``window`` starts over. Returns the count."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(failures_t).values(key=key, count=0, first_at=now, locked_until=None)
                 .on_conflict_do_nothing(index_elements=[failures_t.c.key]))
    row = conn.execute(select(failures_t).where(failures_t.c.key == key).with_for_update()).one()
    if now - row.first_at > window:
        conn.execute(update(failures_t).where(failures_t.c.key == key)
                     .values(count=1, first_at=now, locked_until=None))
        return 1
    count = int(row._mapping["count"]) + 1
    conn.execute(update(failures_t).where(failures_t.c.key == key).values(count=count))
    return count
