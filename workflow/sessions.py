"""Server-side sign-in sessions: the browser's cookie carries a random token, the database its SHA-256.

A session is valid while it has not ended, has been seen within the idle timeout and
is younger than its lifetime (both given by the caller: web/config.py settings). Sign-out
ends one session; a password change, deactivation or a change of roles end every session
of the user (``end_all``, also called by ``Users.update`` inside its own transaction), so a
copy of a cookie taken before is refused afterwards.

``last_seen_at`` is written at most once a minute per session: on SQLite every write takes
the database's single write lock, and a write per page view would queue the readers of
every worker behind the writers.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection

from .clock import Clock
from .persistence.db import Database
from .persistence.tables import sessions_t
from .persistence.tables import users_t

TOUCH_EVERY = timedelta(seconds=60)
# Why a session ended, as Users.update and the web layer name it.
LOGOUT, PASSWORD, DEACTIVATED, ROLES, IDLE, LIFETIME = "logout", "password", "deactivated", "roles", "idle", "lifetime"


@dataclass(frozen=True)
class SessionCheck:
    """The user a session token stands for now, or why not (``reason``: an end reason, or ``unknown``)."""

    user_id: int | None
    reason: str = ""


def session_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def end_all(conn: Connection, user_id: int, at: datetime, reason: str) -> int:
    """End every open session of ``user_id`` on the caller's transaction; how many were open."""
    result = conn.execute(update(sessions_t).where(sessions_t.c.user_id == user_id, sessions_t.c.ended_at.is_(None))
                          .values(ended_at=at, end_reason=reason))
    return int(result.rowcount or 0)


class Sessions:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def start(self, user_id: int) -> str:
        """A new session of ``user_id``; returns its token (stored only as its SHA-256)."""
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        with self.db.write() as conn:
            conn.execute(insert(sessions_t).values(id=session_digest(token), user_id=user_id, created_at=now,
                                                   last_seen_at=now, ended_at=None, end_reason=""))
        return token

    def check(self, token: str, idle: timedelta, lifetime: timedelta) -> SessionCheck:
        """The user of a valid session (recording that it was seen), else why it is not valid.

        An expired session is marked ended (``idle`` or ``lifetime``), so it stays refused even if
        the settings are later relaxed.
        """
        if not token or len(token) > 200:
            return SessionCheck(None, "unknown")
        digest = session_digest(token)
        with self.db.read() as conn:
            row = conn.execute(select(sessions_t, users_t.c.active)
                               .join(users_t, users_t.c.id == sessions_t.c.user_id)
                               .where(sessions_t.c.id == digest)).first()
        if row is None:
            return SessionCheck(None, "unknown")
        if row.ended_at is not None:
            return SessionCheck(None, row.end_reason or LOGOUT)
        now = self.clock.now()
        expired = (LIFETIME if now - row.created_at >= lifetime else
                   IDLE if now - row.last_seen_at >= idle else DEACTIVATED if not row.active else "")
        if expired:
            self._end(digest, expired)
            return SessionCheck(None, expired)
        if now - row.last_seen_at >= TOUCH_EVERY:
            with self.db.write() as conn:
                conn.execute(update(sessions_t).where(sessions_t.c.id == digest, sessions_t.c.ended_at.is_(None))
                             .values(last_seen_at=now))
        return SessionCheck(int(row.user_id))

    def end(self, token: str, reason: str = LOGOUT) -> None:
        """End one session (sign-out); nothing happens for an unknown or already ended token."""
        if token and len(token) <= 200:
            self._end(session_digest(token), reason)

    def end_all(self, user_id: int, reason: str) -> int:
        """End every open session of ``user_id``; how many were open."""
        with self.db.write() as conn:
            return end_all(conn, user_id, self.clock.now(), reason)

    def open_count(self, user_id: int) -> int:
        with self.db.read() as conn:
            rows = conn.execute(select(sessions_t.c.id).where(sessions_t.c.user_id == user_id,
                                                             sessions_t.c.ended_at.is_(None))).all()
        return len(rows)

    def _end(self, digest: str, reason: str) -> None:
        with self.db.write() as conn:
            conn.execute(update(sessions_t).where(sessions_t.c.id == digest, sessions_t.c.ended_at.is_(None))
                         .values(ended_at=self.clock.now(), end_reason=reason))
