"""The holiday table an administrator keeps (`cadreflow calendar`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select

from .clock import Clock
from .persistence.cases import work_calendar
from .persistence.db import Database
from .persistence.tables import days_t
from .persistence.tables import years_t
from .workdays import DayOverride
from .workdays import WorkCalendar


@dataclass(frozen=True)
class EnteredDay:
    """A day set here (not the package's): its status, name or reason, who set it and when."""

    day: date
    workday: bool
    name: str
    updated_by: str
    updated_at: datetime


class CalendarStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def calendar(self) -> WorkCalendar:
        with self.db.read() as conn:
            return work_calendar(conn)

    def set_day(self, day: date, workday: bool, name: str, by: str) -> None:
        with self.db.write() as conn:
            conn.execute(delete(days_t).where(days_t.c.day == day))
            conn.execute(insert(days_t).values(day=day, workday=workday, name=name[:50], updated_by=by,
                                               updated_at=self.clock.now()))

    def entered_days(self, year: int) -> list[EnteredDay]:
        """The days of ``year`` set here (one by one or by an import), in date order."""
        with self.db.read() as conn:
            rows = conn.execute(select(days_t).where(days_t.c.day >= date(year, 1, 1),
                                                     days_t.c.day <= date(year, 12, 31)).order_by(days_t.c.day))
            return [EnteredDay(r.day, r.workday, r.name, r.updated_by, r.updated_at) for r in rows]

    def clear_day(self, day: date) -> bool:
        """Forget a day set here, so the year's schedule rules it again; False if none was set."""
        with self.db.write() as conn:
            return bool(conn.execute(delete(days_t).where(days_t.c.day == day)).rowcount)

    def import_year(self, year: int, items: Iterable[DayOverride], source: str, by: str) -> int:
        """Record a whole year's schedule: its holidays and adjusted working days.

        Days of that year set before are replaced; weekends not listed are rest days.
        """
        items = list(items)
        wrong = [d.day for d in items if d.day.year != year]
        if wrong:
            raise ValueError(f"日期 {wrong[0].isoformat()} 不属于{year}年")
        now = self.clock.now()
        with self.db.write() as conn:
            conn.execute(delete(days_t).where(days_t.c.day >= date(year, 1, 1), days_t.c.day <= date(year, 12, 31)))
            for d in items:
                conn.execute(insert(days_t).values(day=d.day, workday=d.workday, name=d.name[:50], updated_by=by,
                                                   updated_at=now))
            conn.execute(delete(years_t).where(years_t.c.year == year))
            conn.execute(insert(years_t).values(year=year, source=source[:500], imported_by=by, imported_at=now))
        return len(items)

