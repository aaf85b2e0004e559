"""统计分析: counts of cases by procedure and state, overdue, by organization, by month, and the
working days cases spend in each state.

Every figure is computed in SQL (GROUP BY) over the cases the viewer may see, with the same
visibility conditions as the lists (``persistence.visibility.case_conditions``): a case the
viewer cannot see never counts. The counts read the indexes of ``cases`` alone (migration 0012).
Time in a state comes from ``case_stays``, one row per state a case has left, which the database
writes from the history (persistence/stay_models.py): each event that moves a case into a state
(``to_state`` differs from ``from_state``) opens a stay, the next such event closes it. Only closed
stays count. A stay's length is in working days: the working days after the day it began up to
the day it ended (Beijing dates; the same day is 0), from the work calendar as it is now, applied
to the (began, ended) pairs the database counts."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

from sqlalchemy import Integer
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..clock import SHANGHAI
from ..errors import NotFound
from ..persistence.stay_models import JDN_OF_ORDINAL
from ..persistence.tables import cases_t
from ..persistence.tables import orgs_t
from ..persistence.tables import stays_t
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


def _month_of(at: datetime) -> str:
    """YYYY-MM of a UTC time, in Beijing."""
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return at.astimezone(SHANGHAI).strftime("%Y-%m")


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
            vis = self.policy.case_visibility(viewer)
            conds = case_conditions(conn, vis) + self._filters(q, cases_t.c, cases_t.c.created_at)
            overdue = and_(cases_t.c.final.is_(False), cases_t.c.due_at.is_not(None), cases_t.c.due_at < now)
            out.by_state, out.by_org = self._by_state_and_org(conn, conds, overdue)
            out.total = sum(s.count for s in out.by_state)
            out.overdue = sum(s.overdue for s in out.by_state)
            out.by_month = self._by_month(conn, conds)
            stays = case_conditions(conn, vis, on=stays_t) + self._filters(q, stays_t.c, stays_t.c.opened_at)
            out.durations = self._durations(conn, stays, calendar)
        return out

    def _filters(self, q: StatsQuery, c: Any, opened: Any) -> list[Any]:
        """The query's filters on a table with ``definition_key`` and ``org_id`` (``opened``: when the case began)."""
        conds: list[Any] = []
        if q.definition:
            conds.append(c.definition_key == q.definition)
        if q.managing_org is not None:
            conds.append(c.org_id == q.managing_org)
        if q.opened_from is not None:
            conds.append(opened >= _start_of(q.opened_from))
        if q.opened_to is not None:
            conds.append(opened < _start_of(q.opened_to + timedelta(days=1)))
        return conds

    def _label(self, key: str) -> str:
        return self.registry.get(key).title if self.registry.has(key) else key

    def _state_label(self, key: str, state: str) -> str:
        return self.registry.get(key).state_label(state) if self.registry.has(key) else state

    def _state_order(self, key: str, state: str) -> int:
        names = [s.name for s in self.registry.get(key).states] if self.registry.has(key) else []
        return names.index(state) if state in names else len(names)

    def _by_state_and_org(self, conn: Connection, conds: list[Any], overdue: Any
                          ) -> tuple[list[StateCount], list[OrgCount]]:
        """One statement, grouped in the order of an index that holds every column it reads."""
        c = cases_t.c
        late = func.sum(func.cast(overdue, Integer))
        stmt = (select(c.org_id, c.definition_key, c.state, c.final, func.count(), late).where(*conds)
                .group_by(c.org_id, c.definition_key, c.state, c.final))
        states: dict[tuple[str, str], list[Any]] = {}
        orgs: dict[int, list[int]] = {}
        for org, key, state, final, n, late_n in conn.execute(stmt):
            row = states.setdefault((key, state), [bool(final), 0, 0])
            row[1] += int(n)
            row[2] += int(late_n or 0)
            o = orgs.setdefault(int(org), [0, 0, 0])
            o[0] += int(n)
            o[1] += 0 if final else int(n)
            o[2] += int(late_n or 0)
        by_state = sorted((StateCount(k, self._label(k), s, self._state_label(k, s), f, n, o)
                           for (k, s), (f, n, o) in states.items()),
                          key=lambda x: (x.definition_label, self._state_order(x.definition, x.state)))
        names = dict(conn.execute(select(orgs_t.c.id, orgs_t.c.name).where(orgs_t.c.id.in_(sorted(orgs)))
                                  ).all()) if orgs else {}
        by_org = sorted((OrgCount(i, str(names.get(i, i)), n, o, late) for i, (n, o, late) in orgs.items()),
                        key=lambda x: (-x.count, x.org_id))
        return by_state, by_org

    def _by_month(self, conn: Connection, conds: list[Any]) -> list[MonthCount]:
        """Opened (``created_at``) and closed (a final case's ``state_entered_at``) per Beijing month: the
        months between the first and the last, then one count per month and kind, each a range of an
        index (no case row read, nothing sorted), in one statement."""
        c = cases_t.c
        done = [*conds, c.final.is_(True)]
        ends = conn.execute(select(func.min(c.created_at), func.max(c.created_at)).where(*conds)).one()
        closed_ends = conn.execute(select(func.min(c.state_entered_at), func.max(c.state_entered_at))
                                   .where(*done)).one()
        found = [_month_of(v) for v in (*ends, *closed_ends) if v is not None]
        months = _month_range(found)
        if not months:
            return []
        bounds = [_start_of(date(int(m[:4]), int(m[5:]), 1)) for m in months]
        last = _start_of(date(int(months[-1][:4]), int(months[-1][5:]), 1) + timedelta(days=31))
        bounds.append(_start_of(date(last.year, last.month, 1)))
        counts = []
        for start, end in zip(bounds, bounds[1:], strict=False):
            counts.append(select(func.count()).where(*conds, c.created_at >= start, c.created_at < end)
                          .scalar_subquery())
            counts.append(select(func.count()).where(*done, c.state_entered_at >= start, c.state_entered_at < end)
                          .scalar_subquery())
        row = conn.execute(select(*counts)).one()
        return [MonthCount(m, int(row[2 * i]), int(row[2 * i + 1])) for i, m in enumerate(months)]

    def _durations(self, conn: Connection, conds: list[Any], calendar: WorkCalendar) -> list[Duration]:
        """From ``case_stays``, counted by (began, ended) day in the order of its index; the working
        days between the two come from ``calendar``."""
        c = stays_t.c
        stmt = (select(c.org_id, c.definition_key, c.state, c.began_on, c.ended_on, func.count()).where(*conds)
                .group_by(c.org_id, c.definition_key, c.state, c.began_on, c.ended_on))
        rows = conn.execute(stmt).all()
        if not rows:
            return []
        first, last = min(r[3] for r in rows), max(r[4] for r in rows)
        n = [w for _day, w in day_ordinals(calendar, _date_of(first), _date_of(last))]
        hist: dict[tuple[str, str], dict[int, int]] = {}
        for _org, k, s, began, ended, count in rows:
            h = hist.setdefault((k, s), {})
            length = n[ended - first] - n[began - first]
            h[length] = h.get(length, 0) + int(count)
        out = []
        for (k, s), h in hist.items():
            total = sum(h.values())
            mean = sum(v * c for v, c in h.items()) / total
            out.append(Duration(k, self._label(k), s, self._state_label(k, s), total, round(mean, 1),
                                percentile(h, 0.9)))
        return sorted(out, key=lambda d: (d.definition_label, self._state_order(d.definition, d.state)))


def _date_of(jdn: int) -> date:
    return date.fromordinal(jdn - JDN_OF_ORDINAL)


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
