"""Working days on the official Chinese holiday calendar.

The ``chinesecalendar`` package knows the State Council schedules it was
released with (2004-2026 for 1.11). A table kept in the database extends and
overrides it: single days set by an administrator, and whole years imported
when the State Council publishes them. A date in a year that neither knows is
an error, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

import chinese_calendar

from .errors import CalendarError

HOLIDAY_NAMES = {h.value: getattr(h, "chinese", h.value) for h in chinese_calendar.Holiday}


@dataclass(frozen=True)
class DayOverride:
    day: date
    workday: bool
    name: str = ""


def package_knows(year: int) -> bool:
    """True if the chinesecalendar package has the schedule of that year."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Working-day arithmetic over the package data plus database overrides."""

    def __init__(self, overrides: Mapping[date, DayOverride] | None = None,
                 entered_years: Iterable[int] = ()) -> None:
        self._overrides = dict(overrides or {})
        self._entered = frozenset(entered_years)
        self._known: dict[int, bool] = {}

    def knows_year(self, year: int) -> bool:
        if year in self._entered:
            return True
        if year not in self._known:
            self._known[year] = package_knows(year)
        return self._known[year]

    def is_workday(self, day: date) -> bool:
        override = self._overrides.get(day)
        if override is not None:
            return override.workday
        if not self.knows_year(day.year):
            raise CalendarError(
                f"{day.year}年的法定节假日安排尚未录入，无法计算工作日（{day.isoformat()}）；"
                f"请系统管理员按国务院办公厅通知用 cadreflow calendar import 录入该年安排"
            )
        if day.year in self._entered:
            return day.weekday() < 5
        return bool(chinese_calendar.is_workday(day))

    def holiday_name(self, day: date) -> str:
        override = self._overrides.get(day)
        if override is not None:
            return override.name
        if day.year in self._entered or not self.knows_year(day.year):
            return ""
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if not name:
            return ""
        text = HOLIDAY_NAMES.get(str(name), str(name))
        return text if on_holiday else f"{text}调休上班"

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in [start, end], both ends included; 0 if end < start."""
        count = 0
        day = start
        while day <= end:
            if self.is_workday(day):
                count += 1
            day += timedelta(days=1)
        return count

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (start itself not counted)."""
        day = start
        left = n
        while left > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def year_days(self, year: int) -> list[tuple[date, bool, str]]:
        """Every day of a year with its status: for `cadreflow calendar list`."""
        out = []
        day = date(year, 1, 1)
        while day.year == year:
            out.append((day, self.is_workday(day), self.holiday_name(day)))
            day += timedelta(days=1)
        return out


def parse_schedule(text: str) -> list[DayOverride]:
    """Parse a year's schedule as the State Council publishes it, one line per item.

    Each non-empty line: ``YYYY-MM-DD[~YYYY-MM-DD] 休|班 [名称]``; ``#`` starts a
    comment. ``休`` marks holidays (放假), ``班`` adjusted working days (调休上班).
    Raises ValueError naming the line on any problem.
    """
    out: list[DayOverride] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2 or parts[1] not in ("休", "班"):
            raise ValueError(f"第{number}行格式错误：应为“YYYY-MM-DD[~YYYY-MM-DD] 休|班 名称”：{raw.strip()}")
        span = parts[0].replace("～", "~").split("~")
        try:
            first = date.fromisoformat(span[0])
            last = date.fromisoformat(span[-1])
        except ValueError:
            raise ValueError(f"第{number}行日期无效：{parts[0]}") from None
        if last < first or len(span) > 2:
            raise ValueError(f"第{number}行日期区间无效：{parts[0]}")
        name = " ".join(parts[2:])
        day = first
        while day <= last:
            out.append(DayOverride(day, parts[1] == "班", name))
            day += timedelta(days=1)
    return out

