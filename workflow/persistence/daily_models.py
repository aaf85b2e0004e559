"""The tables of 委托 (delegations) and 抄送 (copies of a case to named users).
Registered on the same metadata as models.py."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .models import Base


class Delegation(Base):
    """``delegator`` lets ``delegate`` act for them on the procedures ``definitions`` (keys joined
    by commas) from ``starts_on`` to ``ends_on`` (Beijing dates, both included), until revoked."""

    __tablename__ = "delegations"
    __table_args__ = (
        Index("ix_delegations_delegate", "delegate", "starts_on"),
        Index("ix_delegations_delegator", "delegator", "starts_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    delegator: Mapped[str] = mapped_column(String(64))
    delegate: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    definitions: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(64))


class CaseCopy(Base):
    """抄送: ``username`` may read the case (read-only), copied by ``copied_by`` with the event ``seq``."""

    __tablename__ = "case_copies"
    __table_args__ = (Index("ix_case_copies_username", "username", "case_id"),)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int]
    copied_by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
