"""The tables of notifications (消息通知) and of the holders each case's last event left
(the reminders run reads them in one statement). Registered on the same metadata as models.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .models import Base


class Notification(Base):
    """One message to one user about one case; ``due_at`` is set for the reminders (临期, 逾期),
    and a reminder is written once per case, user, kind and due date (the unique index)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "username", "read_at", "id"),
        Index("uq_notifications_reminder", "case_id", "username", "kind", "due_at", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    # Email: None (not sent by email), "pending", "sending", "sent" or "failed" (with the error).
    mail_state: Mapped[str | None] = mapped_column(String(8), index=True)
    mail_error: Mapped[str] = mapped_column(Text, default="")


class CaseHolder(Base):
    """A holder (当前办理人) of an open case as its last event (or recusal) left it."""

    __tablename__ = "case_holders"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
