"""Background jobs (migration 0009): what a user asked for and how far it got, whatever runs it.

The queue (huey on SQLite or Redis, web/jobs) only carries job ids; this row is the
truth the pages and the API show, so it survives a worker restart or a lost queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .models import Base


class Job(Base):
    """One background job: its kind and parameters, who asked, its state, progress and result."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_username_id", "username", "id"), Index("ix_jobs_status", "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued running done failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    result_name: Mapped[str] = mapped_column(String(255), default="")
    result_type: Mapped[str] = mapped_column(String(100), default="")
    result: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
