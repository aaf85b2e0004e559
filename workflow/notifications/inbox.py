"""Reading and marking a user's notifications (消息通知): only their own; another's is NotFound."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import desc
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from ..clock import Clock
from ..errors import NotFound
from ..persistence.db import Database
from ..persistence.tables import notices_t
from . import KINDS


@dataclass(frozen=True)
class NotificationView:
    id: int
    at: datetime
    kind: str
    kind_label: str
    case_id: int
    text: str
    read: bool


@dataclass(frozen=True)
class Inbox:
    db: Database
    clock: Clock

    def list(self, username: str, unread_only: bool = False, limit: int = 200) -> tuple[list[NotificationView], int]:
        """The user's newest ``limit`` notifications (newest first) and how many are unread."""
        n = notices_t.c
        stmt = select(notices_t).where(n.username == username)
        if unread_only:
            stmt = stmt.where(n.read_at.is_(None))
        with self.db.read() as conn:
            rows = conn.execute(stmt.order_by(desc(n.id)).limit(max(1, min(limit, 500)))).all()
            unread = self._unread(conn, username)
        return [NotificationView(r.id, r.at, r.kind, KINDS.get(r.kind, r.kind), r.case_id, r.text,
                                 r.read_at is not None) for r in rows], unread

    def unread(self, username: str) -> int:
        with self.db.read() as conn:
            return self._unread(conn, username)

    def _unread(self, conn: object, username: str) -> int:
        n = notices_t.c
        stmt = select(func.count()).select_from(notices_t).where(n.username == username, n.read_at.is_(None))
        return int(conn.execute(stmt).scalar_one())  # type: ignore[attr-defined]

    def mark_read(self, notification_id: int, username: str) -> None:
        """Mark one of the user's notifications read (again: no change); NotFound for any other."""
        n = notices_t.c
        now = self.clock.now()
        with self.db.write() as conn:
            found = conn.execute(select(n.read_at).where(n.id == notification_id, n.username == username)).first()
            if found is None:
                raise NotFound(f"消息不存在：{notification_id}")
            if found.read_at is None:
                conn.execute(update(notices_t).where(n.id == notification_id).values(read_at=now))

    def mark_all_read(self, username: str) -> int:
        n = notices_t.c
        with self.db.write() as conn:
            result = conn.execute(update(notices_t).where(n.username == username, n.read_at.is_(None))
                                  .values(read_at=self.clock.now()))
        return int(result.rowcount or 0)
