"""Lists of cases: the case list with filters and sorts, and the inbox (待办).

Both choose a page on ids alone (an index-only sort), then read its rows, links
and recusals in three queries: a page costs the same on 100 or 100,000 cases.
A viewer sees only the cases the policy lets them see; lists and counts leave
the others out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import asc
from sqlalchemy import desc
from sqlalchemy import func
from sqlalchemy import not_
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..clock import SHANGHAI
from ..definition import DefinitionRegistry
from ..definition.schema import ProcessDefinition
from ..errors import CaseNotFound
from ..persistence import cases as store
from ..persistence.actors import active_actors
from ..persistence.tables import cases_t
from ..persistence.tables import events_t
from ..persistence.tables import people_t
from ..persistence.visibility import case_conditions
from ..persistence.visibility import org_scope
from ..policy import scope_of
from ..policy.acting import holding
from ..service import Service
from ..types import Actor
from ..types import CaseSnapshot
from .cases import CaseReader
from .facts import case_facts

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SORTS = {
    "id": cases_t.c.id, "updated": cases_t.c.updated_at, "created": cases_t.c.created_at,
    "due": cases_t.c.due_at, "state": cases_t.c.state, "title": cases_t.c.title,
    "definition": cases_t.c.definition_key,
}


@dataclass(frozen=True)
class CaseQuery:
    definition: str | None = None
    state: str | None = None
    overdue: bool | None = None
    subject_id: int | None = None
    person: str | None = None
    text: str | None = None
    open_only: bool = False
    created_by: str | None = None
    acted_by: str | None = None
    sort: str = "updated"
    descending: bool = True
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class CaseLists(Service):
    reader: CaseReader

    def _filtered(self, q: CaseQuery, now: datetime, seen: list[Any]) -> Select[Any]:
        """The cases of ``q`` among those ``seen`` (the viewer's visibility conditions) describes."""
        stmt = select(cases_t)
        conds = list(seen)
        if q.definition:
            conds.append(cases_t.c.definition_key == q.definition)
        if q.state:
            conds.append(cases_t.c.state == q.state)
        if q.subject_id is not None:
            conds.append(cases_t.c.subject_id == q.subject_id)
        if q.open_only:
            conds.append(cases_t.c.final.is_(False))
        if q.created_by:
            conds.append(cases_t.c.created_by == q.created_by)
        overdue = and_(cases_t.c.final.is_(False), cases_t.c.due_at.is_not(None), cases_t.c.due_at < now)
        if q.overdue is True:
            conds.append(overdue)
        elif q.overdue is False:
            conds.append(not_(overdue))  # one covering-index scan, where the OR form needs three
        if q.person:
            ids = select(people_t.c.id).where(people_t.c.name.contains(q.person, autoescape=True))
            conds.append(cases_t.c.subject_id.in_(ids))
        if q.text:
            conds.append(cases_t.c.title.contains(q.text, autoescape=True))
        if q.acted_by:
            acted = select(events_t.c.case_id).where(events_t.c.actor == q.acted_by)
            conds.append(cases_t.c.id.in_(acted))
        return stmt.where(and_(*conds)) if conds else stmt

    def list_cases(self, q: CaseQuery, viewer: Actor | None = None, *, with_actions: bool = False
                   ) -> tuple[list[CaseSnapshot], int]:
        """One page of cases and the total count.

        Snapshots carry no available_events unless ``with_actions`` (then they are
        computed for ``viewer``, as ``get_case`` does, on the same connection).
        """
        now = self.clock.now()
        column = SORTS.get(q.sort, cases_t.c.updated_at)
        order = desc(column) if q.descending else asc(column)
        page = max(q.page, 1)
        per_page = min(max(q.per_page, 1), 200)
        with self.db.read() as conn:
            seen = case_conditions(conn, self.policy.case_visibility(viewer))
            total = self._count(conn, q, now, seen)
            ids = [r[0] for r in conn.execute(
                self._filtered(q, now, seen).with_only_columns(cases_t.c.id).order_by(order, desc(cases_t.c.id))
                .limit(per_page).offset((page - 1) * per_page))]
            return self._snapshots(conn, ids, viewer, with_actions), total

    def case_heads(self, ids: Sequence[int], every: bool, year: int | None, viewer: Actor | None
                   ) -> list[tuple[int, str]]:
        """(id, head hash) of the cases ``ids`` (and of every case, or a year's, with ``every``) that
        ``viewer`` may see, in id order; ``year`` is the creation year in Beijing time."""
        stmt = select(cases_t).order_by(cases_t.c.id)
        found: dict[int, str] = {}
        with self.db.read() as conn:
            rows = []
            if every:
                conds = []
                if year is not None:
                    start = datetime(year, 1, 1, tzinfo=SHANGHAI)
                    conds = [cases_t.c.created_at >= start, cases_t.c.created_at < start.replace(year=year + 1)]
                rows += list(conn.execution_options(yield_per=1000).execute(stmt.where(*conds)))
            if ids:
                rows += list(conn.execute(stmt.where(cases_t.c.id.in_(list(ids)))))
            recused = store.recused_many(conn, [r.id for r in rows]) if viewer is not None else {}
            for r in rows:
                try:
                    self.reader.visible(conn, r, viewer, recused.get(r.id, frozenset()))
                except CaseNotFound:
                    continue
                found[int(r.id)] = str(r.head_hash)
        return sorted(found.items())

    def _count(self, conn: Connection, q: CaseQuery, now: datetime, seen: list[Any]) -> int:
        def count(query: CaseQuery) -> int:
            stmt = self._filtered(query, now, seen).with_only_columns(func.count(), maintain_column_froms=True)
            return int(conn.execute(stmt).scalar_one())

        if q.overdue is False:  # all minus overdue: two index-only counts instead of a scan
            return count(replace(q, overdue=None)) - count(replace(q, overdue=True))
        return count(q)

    def todo(self, actor: Actor, page: int = 1, per_page: int = 50, text: str | None = None
             ) -> tuple[list[CaseSnapshot], int]:
        """Cases ``actor`` holds now (待办: may move forward, policy.acting.holds), most urgent first;
        with ``text``, those whose title contains it.

        A SQL filter keeps only open cases in states where one of the actor's roles has
        a forward event. Where one of those events asks nothing of the case but the role
        (``needs_only_role``), every case the actor is not recused from qualifies: SQL
        counts them and picks the page's candidates from an index. The cases of the other
        states go through the engine's own checks (named actors, separation of duties,
        approvals, guards) one by one. The page is then read in three queries.
        """
        acting = self.policy.acting_roles(actor)
        if not acting:
            return [], 0
        pairs = todo_pairs(self.registry, acting)
        if not pairs:
            return [], 0
        sure = [p for p in pairs if needs_only_role(self.registry, self.registry.get(p[0], p[1]), p[2], acting)]
        unsure = [p for p in pairs if p not in sure]
        page = max(page, 1)
        per_page = min(max(per_page, 1), 200)
        skip = (page - 1) * per_page
        order = (cases_t.c.due_at.is_(None), asc(cases_t.c.due_at), desc(cases_t.c.updated_at), desc(cases_t.c.id))
        found: list[Any] = []
        total = 0
        with self.db.read() as conn:
            vis = self.policy.case_visibility(actor)
            split = org_scope(conn, vis)
            within, seen = split if split is not None else (None, case_conditions(conn, vis))
            if text:
                seen = [*seen, cases_t.c.title.contains(text, autoescape=True)]
            if sure:
                not_recused = and_(*seen, *([] if within is None else [within]))
                # Counted per (definition, state) on the index alone; empty states are not read.
                counts = conn.execute(select(cases_t.c.definition_key, cases_t.c.state, func.count())
                                      .where(_in_states(self.registry, sure, within), *seen)
                                      .group_by(cases_t.c.definition_key, cases_t.c.state)).all()
                total += sum(int(n) for _, _, n in counts)
                held = {(k, s) for k, s, n in counts if n}
                found += self._todo_candidates(conn, [p for p in sure if (p[0], p[2]) in held], not_recused,
                                               skip + per_page)
            if unsure:
                # No ``final`` test: the pairs' states are not final, and with it SQLite prefers the
                # (final, due_at) index and reads every open case.
                stmt = select(cases_t).where(_in_pairs(unsure, within), *seen).order_by(*order)
                rows = conn.execute(stmt).all()
                for chunk in (rows[i:i + 500] for i in range(0, len(rows), 500)):
                    # The recusals and histories the rules read, for 500 cases in two queries.
                    ids = [r.id for r in chunk]
                    recused, histories = store.recused_many(conn, ids), store.history_items_many(conn, ids)
                    for row in chunk:
                        facts = case_facts(conn, row, recused[row.id])
                        facts._history = histories[row.id]
                        if self.reader.holds_on(conn, row, actor, facts):
                            total += 1
                            found.append((row.id, row.due_at, row.updated_at))
            found.sort(key=_urgency)
            return self._snapshots(conn, [f[0] for f in found[skip:skip + per_page]], actor), total

    def _todo_candidates(self, conn: Connection, pairs: list[tuple[str, int, str]], not_recused: Any,
                         limit: int) -> list[Any]:
        """The first ``limit`` (id, due_at, updated_at) in todo order of each state's cases.

        One query per (definition, state) and part, each able to stop after ``limit`` rows on
        an index, the versions in one ``IN`` (left out where every version is held): a query
        per version would read, for a version nobody uses, the whole state. A case has a due
        date only in a state with a deadline (the engine sets it on entering the state), so a
        deadline state is read in due order from the (definition, state, due) index, and its
        cases without a due date (a deadline beyond the holiday schedules) only if one exists;
        any other state by update time from the (definition, state, updated) index. (No
        ``final`` test where it is not needed to reach an index: the states are not final.)
        """
        due = cases_t.c.due_at
        by_update = (desc(cases_t.c.updated_at), desc(cases_t.c.id))
        keys = (cases_t.c.id, cases_t.c.due_at, cases_t.c.updated_at)
        states: dict[tuple[str, str], list[int]] = {}
        for k, v, s in pairs:
            states.setdefault((k, s), []).append(v)
        out: list[Any] = []
        for (k, s), versions in states.items():
            every = {d.version for d in self.registry.versions() if d.key == k}
            which = [] if every <= set(versions) else [cases_t.c.definition_version.in_(sorted(versions))]
            pair = (cases_t.c.definition_key == k, cases_t.c.state == s, *which)
            dated = any(_has_deadline(self.registry.get(k, v).state(s)) for v in versions)
            parts: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
            if dated:
                parts.append(((cases_t.c.final.is_(False), due.is_not(None)), (asc(due), *by_update)))
            if not dated or conn.execute(select(cases_t.c.id).where(*pair, due.is_(None)).limit(1)).first():
                parts.append(((due.is_(None),), by_update))
            for where, order in parts:
                out += conn.execute(select(*keys).where(*pair, not_recused, *where).order_by(*order)
                                    .limit(limit)).all()
        return out

    def _reads_history(self, row: Any) -> bool:
        """Whether the rules of the case's state may read its history (then read with the page's)."""
        return not row.final and any(_rules_read_history(t) for t in self.registry.machine(
            self.reader.definition(row)).moves_from(row.state))

    def _snapshots(self, conn: Connection, ids: list[int], viewer: Actor | None, with_actions: bool = True
                   ) -> list[CaseSnapshot]:
        """Snapshots of ``ids`` in that order, with the viewer's events; rows, links, recusals in 3 queries."""
        rows = store.load_cases(conn, ids)
        links = store.links_many(conn, ids)
        recused = store.recused_many(conn, ids)
        readers = store.readers_many(conn, ids)
        paths = store.org_paths(conn, [r.org_id for r in rows.values()])
        candidates = active_actors(conn, {r for d in self.registry.versions() for t in d.transitions for r in t.roles})
        histories = store.history_items_many(conn, [i for i in ids if self._reads_history(rows[i])])
        out = []
        for case_id in ids:
            row = rows[case_id]
            facts = case_facts(conn, row, recused[case_id])
            if case_id in histories:
                facts._history = histories[case_id]
            events: list[str] = []
            if with_actions and viewer is not None:
                events = [a.event for a in self.reader.actions_on(conn, row, viewer, facts)[0]]
            scope = scope_of(row, self.reader.definition(row), recused[case_id], paths.get(row.org_id, ""),
                             readers[case_id])
            holders = self.reader.holders_on(conn, row, scope, facts, candidates)
            out.append(self.reader.build_snapshot(row, viewer, events, links[case_id], recused[case_id],
                                                  paths.get(row.org_id, ""), readers[case_id], holders))
        return out


def _rules_read_history(t: Any) -> bool:
    return bool(t.conditions or t.distinct_from or t.approvals is not None or t.once_per_actor)


def needs_only_role(registry: DefinitionRegistry, d: ProcessDefinition, state: str, acting: frozenset[str]) -> bool:
    """Whether some forward event of ``state`` asks nothing of a case but one of the actor's roles.

    Not where the actor's roles may sign a 会签 of the state (a signer no longer holds the case,
    which only its history tells). Such an event is open to the actor on every case in ``state``
    the actor is not recused from: it has no guard, no named actors, no separation of duties, no approvals and no
    once-per-actor rule, the only checks of ``permissions.check_actor`` and
    ``facts.evaluate`` that read the case. Keep this in step with them
    (tests/engine/test_todo.py compares todo with checking every case).
    """
    moves = registry.machine(d).moves_from(state)
    if any(t.approvals is not None and set(t.roles) & acting for t in moves):
        return False
    return any(holding(t) and set(t.roles) & acting and not (
        t.conditions or t.actors_field or t.distinct_from or t.once_per_actor) for t in moves)


def _in_pairs(pairs: Sequence[tuple[str, int, str]], within: Any = None) -> Any:
    """Cases in any of the (definition, version, state) pairs, grouped so that an index on
    (definition_key, state) serves each group (with ``within``, the organization, in each group)."""
    groups: dict[tuple[str, int], list[str]] = {}
    for k, v, s in pairs:
        groups.setdefault((k, v), []).append(s)
    lead = () if within is None else (within,)
    return or_(*[and_(*lead, cases_t.c.definition_key == k, cases_t.c.state.in_(sorted(states)),
                      cases_t.c.definition_version == v) for (k, v), states in groups.items()])


def _in_states(registry: DefinitionRegistry, pairs: Sequence[tuple[str, int, str]], within: Any = None) -> Any:
    """``_in_pairs`` for a count that an index on (definition_key, state) answers alone.

    The version is left out where the pairs hold every version of the definition; ``final``
    is left out because a case in a non-final state is never final (the engine sets both).
    """
    by_key: dict[str, dict[str, set[int]]] = {}
    for k, v, s in pairs:
        by_key.setdefault(k, {}).setdefault(s, set()).add(v)
    conds = []
    for k, states in by_key.items():
        every = {d.version for d in registry.versions() if d.key == k}
        whole = sorted(s for s, versions in states.items() if versions >= every)
        lead = () if within is None else (within,)
        if whole:
            conds.append(and_(*lead, cases_t.c.definition_key == k, cases_t.c.state.in_(whole)))
        conds += [and_(*lead, cases_t.c.definition_key == k, cases_t.c.state == s,
                       cases_t.c.definition_version.in_(sorted(vs))) for s, vs in states.items() if not vs >= every]
    return or_(*conds)


def _has_deadline(state: Any) -> bool:
    return state is not None and bool(state.deadline_days or state.deadline_working_days
                                      or state.deadline_months)


def _urgency(found: Any) -> tuple[bool, datetime, float, int]:
    """The todo order (due first, earliest due first, then latest update, then newest) as a sort key."""
    case_id, due_at, updated_at = found
    return due_at is None, due_at or _EPOCH, -updated_at.timestamp(), -case_id


def todo_pairs(registry: DefinitionRegistry, acting: frozenset[str]) -> list[tuple[str, int, str]]:
    """(definition, version, state) where one of the actor's acting roles may fire a forward event."""
    out = []
    for d in registry.versions():
        for s in d.states:
            if s.final:
                continue
            if any(holding(t) and set(t.roles) & acting for t in registry.machine(d).moves_from(s.name)):
                out.append((d.key, d.version, s.name))
    return out
