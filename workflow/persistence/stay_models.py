"""The table of the states each case has left (统计分析's time in a state), written by the database.

A trigger on ``case_events`` (migration 0012) adds a row when an event moves a case out of a state:
the stay began with the event that entered the state and ended with this one. Its days are Beijing
dates as Julian day numbers, so the dashboard counts stays by (began, ended) without reading the
history; the working days between them come from the calendar when the figures are read (a change
of the holiday table applies at once). The case's organization, procedure and opening time are
copied with it (they never change after the start), so visibility and the filters need no join.
Registered on the same metadata as models.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .models import Base

JDN_OF_ORDINAL = 1721425  # Julian day number of a Gregorian date = date.toordinal() + this


class CaseStay(Base):
    """One closed stay of a case in a state."""

    __tablename__ = "case_stays"
    __table_args__ = (
        # Grouped by organization first, the dashboard's statement reads this index in its own order.
        Index("ix_case_stays_org", "org_id", "definition_key", "state", "began_on", "ended_on", "case_id"),
    )
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)  # the event that ended the stay
    org_id: Mapped[int] = mapped_column(Integer)
    definition_key: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime]  # the case's created_at
    state: Mapped[str] = mapped_column(String(64))
    began_on: Mapped[int] = mapped_column(Integer)
    ended_on: Mapped[int] = mapped_column(Integer)
