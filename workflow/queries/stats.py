"""统计分析: counts of cases by procedure and state, overdue, by organization, by month, and the
working days cases spend in each state.

Every figure is computed in SQL (GROUP BY) over the cases the viewer may see, with the same
visibility conditions as the lists (``persistence.visibility.case_conditions``): a case the
viewer cannot see never counts. Time in a state comes from the history: each event that moves a
case into a state (``to_state`` differs from ``from_state``) opens a stay, the next such event
closes it (``LEAD`` over the case's events by ``seq``). Only closed stays count. A stay's length
is in working days: the working days after the day it began up to the day it ended (Beijing
dates; the same day is 0), read from a table of day ordinals built from the work calendar and
joined in SQL, so the database returns one row per (procedure, state, length).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import and_
from sqlalchemy import column
from sqlalchemy import func
from sqlalchemy import literal_column
from sqlalchemy import select
from sqlalchemy import values
from sqlalchemy.engine import Connection

from ..clock import SHANGHAI
from ..errors import NotFound
from ..persistence.tables import cases_t
from ..persistence.tables import events_t
from ..persistence.tables import orgs_t
from ..persistence.visibility import case_conditions
from ..service import Service
from ..types import Actor
from ..workdays import WorkCalendar

CAPABILITY = "read_stats"


@dataclass(frozen=True)
class StatsQuery:
    definition: str | None = None
    managing_org: int | None = None
    opened_from: date | None = None  # cases opened on or after this Beijing date
    opened_to: date | None = None  # ... and on or before this one


@dataclass(frozen=True)
class StateCount:
    definition: str
    definition_label: str
    state: str
    state_label: str
    final: bool
    count: int
    overdue: int


@dataclass(frozen=True)
class OrgCount:
    org_id: int
    org_name: str
    count: int
    open: int
    overdue: int


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM, Beijing
    opened: int
    closed: int


@dataclass(frozen=True)
class Duration:
    definition: str
    definition_label: str
    state: str
    state_label: str
    count: int  # closed stays
    average: float  # working days
    p90: int  # 90th percentile (nearest rank), working days


@dataclass
class Stats:
    total: int = 0
    overdue: int = 0
    by_state: list[StateCount] = field(default_factory=list)
    by_org: list[OrgCount] = field(default_factory=list)
    by_month: list[MonthCount] = field(default_factory=list)
    durations: list[Duration] = field(default_factory=list)


def percentile(histogram: dict[int, int], share: float) -> int:
    """The nearest-rank percentile of a histogram {value: count} (0 when empty)."""
    total = sum(histogram.values())
    if not total:
        return 0
    rank = max(1, math.ceil(share * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def _bj_text(col: Any, dialect: str, fmt: str) -> Any:
    """A UTC timestamp column as Beijing date text (``fmt``: 'day' YYYY-MM-DD or 'month' YYYY-MM)."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m-%d" if fmt == "day" else "%Y-%m", col, "+8 hours")
    return func.to_char(func.timezone("Asia/Shanghai", col), "YYYY-MM-DD" if fmt == "day" else "YYYY-MM")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=SHANGHAI)


@dataclass(frozen=True)
class CaseStats(Service):
    def stats(self, q: StatsQuery, viewer: Actor, calendar: WorkCalendar) -> Stats:
        """The dashboard's figures for ``viewer`` (PermissionDenied without ``read_stats``)."""
        self.policy.require(viewer, CAPABILITY)
        if q.definition and not self.registry.has(q.definition):
            raise NotFound(f"没有流程“{q.definition}”")
        now = self.clock.now()
        out = Stats()
        with self.db.read() as conn:
            conds = case_conditions(conn, self.policy.case_visibility(viewer)) + self._filters(q)
            overdue = and_(cases_t.c.final.is_(False), cases_t.c.due_at.is_not(None), cases_t.c.due_at < now)
            out.by_state = self._by_state(conn, conds, overdue)
            out.total = sum(s.count for s in out.by_state)
            out.overdue = sum(s.overdue for s in out.by_state)
            out.by_org = self._by_org(conn, conds, overdue)
            out.by_month = self._by_month(conn, conds)
            out.durations = self._durations(conn, conds, calendar, now)
        return out

    def _filters(self, q: StatsQuery) -> list[Any]:
        conds: list[Any] = []
        if q.definition:
            conds.append(cases_t.c.definition_key == q.definition)
        if q.managing_org is not None:
            conds.append(cases_t.c.org_id == q.managing_org)
        if q.opened_from is not None:
            conds.append(cases_t.c.created_at >= _start_of(q.opened_from))
        if q.opened_to is not None:
            conds.append(cases_t.c.created_at < _start_of(q.opened_to + timedelta(days=1)))
        return conds

    def _label(self, key: str) -> str:
        return self.registry.get(key).title if self.registry.has(key) else key

    def _state_label(self, key: str, state: str) -> str:
        return self.registry.get(key).state_label(state) if self.registry.has(key) else state

    def _state_order(self, key: str, state: str) -> int:
        names = [s.name for s in self.registry.get(key).states] if self.registry.has(key) else []
        return names.index(state) if state in names else len(names)

    def _by_state(self, conn: Connection, conds: list[Any], overdue: Any) -> list[StateCount]:
        late = func.sum(func.cast(overdue, Integer))
        stmt = (select(cases_t.c.definition_key, cases_t.c.state, cases_t.c.final, func.count(), late)
                .where(*conds).group_by(cases_t.c.definition_key, cases_t.c.state, cases_t.c.final))
        merged: dict[tuple[str, str], list[Any]] = {}
        for key, state, final, n, o in conn.execute(stmt):
            row = merged.setdefault((key, state), [bool(final), 0, 0])
            row[1] += int(n)
            row[2] += int(o or 0)
        out = [StateCount(k, self._label(k), s, self._state_label(k, s), f, n, o)
               for (k, s), (f, n, o) in merged.items()]
        return sorted(out, key=lambda c: (c.definition_label, self._state_order(c.definition, c.state)))

    def _by_org(self, conn: Connection, conds: list[Any], overdue: Any) -> list[OrgCount]:
        stmt = (select(cases_t.c.org_id, func.count(), func.sum(func.cast(cases_t.c.final.is_(False), Integer)),
                       func.sum(func.cast(overdue, Integer)))
                .where(*conds).group_by(cases_t.c.org_id))
        rows = conn.execute(stmt).all()
        names = dict(conn.execute(select(orgs_t.c.id, orgs_t.c.name).where(orgs_t.c.id.in_([r[0] for r in rows]))
                                  ).all()) if rows else {}
        out = [OrgCount(int(i), str(names.get(i, i)), int(n), int(o or 0), int(late or 0)) for i, n, o, late in rows]
        return sorted(out, key=lambda c: (-c.count, c.org_id))

    def _by_month(self, conn: Connection, conds: list[Any]) -> list[MonthCount]:
        dialect = conn.dialect.name
        opened_m = _bj_text(cases_t.c.created_at, dialect, "month").label("m")
        closed_m = _bj_text(cases_t.c.state_entered_at, dialect, "month").label("m")
        opened: dict[str, int] = dict(conn.execute(  # type: ignore[arg-type]
            select(opened_m, func.count()).where(*conds).group_by(opened_m)).all())
        closed: dict[str, int] = dict(conn.execute(  # type: ignore[arg-type]
            select(closed_m, func.count()).where(*conds, cases_t.c.final.is_(True)).group_by(closed_m)).all())
        months = _month_range(set(opened) | set(closed))
        return [MonthCount(m, int(opened.get(m, 0)), int(closed.get(m, 0))) for m in months]

    def _durations(self, conn: Connection, conds: list[Any], calendar: WorkCalendar, now: datetime) -> list[Duration]:
        first = conn.execute(select(func.min(cases_t.c.created_at)).where(*conds)).scalar_one()
        if first is None:
            return []
        days = day_ordinals(calendar, first.astimezone(SHANGHAI).date(), now.astimezone(SHANGHAI).date())
        dialect = conn.dialect.name
        moves = (events_t.c.from_state.is_(None)) | (events_t.c.from_state != events_t.c.to_state)
        # The events of the visible cases, read in (case_id, seq) order from the unique index: the
        # window's own order, so LEAD needs no sort.
        seen = select(cases_t.c.id).where(*conds) if conds else None
        stays = (select(events_t.c.case_id.label("c"), events_t.c.to_state.label("s"),
                        events_t.c.at.label("began"),
                        func.lead(events_t.c.at).over(partition_by=events_t.c.case_id,
                                                      order_by=events_t.c.seq).label("ended"))
                 .where(*([] if seen is None else [events_t.c.case_id.in_(seen)]), events_t.c.to_state.is_not(None),
                        moves).subquery("stays"))
        table = values(column("d", String), column("n", Integer), name="workdays").data(days).cte("workdays")
        began, ended = table.alias("b"), table.alias("e")
        length = (ended.c.n - began.c.n).label("len")
        key = cases_t.c.definition_key
        stmt = (select(key, stays.c.s, length, func.count())
                .select_from(stays.join(cases_t, cases_t.c.id == stays.c.c)
                             .join(began, began.c.d == _bj_text(stays.c.began, dialect, "day"))
                             .join(ended, ended.c.d == _bj_text(stays.c.ended, dialect, "day")))
                .where(stays.c.ended.is_not(None)).group_by(key, stays.c.s, literal_column("len")))
        hist: dict[tuple[str, str], dict[int, int]] = {}
        for k, s, n, count in conn.execute(stmt):
            h = hist.setdefault((k, s), {})
            h[int(n)] = h.get(int(n), 0) + int(count)
        out = []
        for (k, s), h in hist.items():
            total = sum(h.values())
            mean = sum(v * c for v, c in h.items()) / total
            out.append(Duration(k, self._label(k), s, self._state_label(k, s), total, round(mean, 1),
                                percentile(h, 0.9)))
        return sorted(out, key=lambda d: (d.definition_label, self._state_order(d.definition, d.state)))


def day_ordinals(calendar: WorkCalendar, first: date, last: date) -> list[tuple[str, int]]:
    """(YYYY-MM-DD, working days from ``first`` up to that day) for every day in [first, last]:
    the difference of two days' numbers is the working days after the first up to the second."""
    out = []
    n = 0
    day = first
    while day <= last:
        if day > first and calendar.is_workday(day):
            n += 1
        out.append((day.isoformat(), n))
        day += timedelta(days=1)
    return out


def _month_range(months: Iterable[str]) -> list[str]:
    """Every month from the first to the last of ``months`` (those without cases too)."""
    found = sorted(m for m in months if m)
    if not found:
        return []
    y, m = map(int, found[0].split("-"))
    end = tuple(map(int, found[-1].split("-")))
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


__all__ = ["CAPABILITY", "CaseStats", "Duration", "MonthCount", "OrgCount", "StateCount", "Stats", "StatsQuery",
           "day_ordinals", "percentile"]
