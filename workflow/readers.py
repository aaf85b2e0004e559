"""Read-side queries returning snapshots (never ORM objects)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from typing import TYPE_CHECKING
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

from .definition.schema import ProcessDefinition
from .guards.context import LinkedCase
from .models import Case
from .models import CaseEvent
from .models import Person
from .models import Recusal
from .models import table
from .types import READ_ONLY_ROLES
from .types import Actor
from .types import CaseSnapshot
from .types import EventView
from .types import LinkView

if TYPE_CHECKING:
    from .definition import DefinitionRegistry
    from .store import Store

cases_t = table(Case)
events_t = table(CaseEvent)
people_t = table(Person)
recusals_t = table(Recusal)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SORTS = {
    "id": cases_t.c.id, "updated": cases_t.c.updated_at, "created": cases_t.c.created_at,
    "due": cases_t.c.due_at, "state": cases_t.c.state, "title": cases_t.c.title,
    "definition": cases_t.c.definition_key,
}
SEALED_TEXT = "（评分密封中，评分结束后公开）"


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


def can_see_sealed(viewer: Actor | None) -> bool:
    return viewer is not None and bool(viewer.roles & {"auditor", "admin"})


class CaseReader:
    registry: DefinitionRegistry
    store: Store

    def now(self) -> datetime:
        raise NotImplementedError

    def _sealed_triggers(self, d: ProcessDefinition, state: str) -> dict[str, str]:
        """trigger -> append_to list for events whose data is sealed in ``state``."""
        return {t.trigger: t.append_to or "" for t in d.transitions if state in t.sealed_while}

    def build_snapshot(self, conn: Connection, row: Any, viewer: Actor | None,
                       events: Sequence[str] = (), *, links: Sequence[LinkedCase] | None = None,
                       recused: frozenset[str] | None = None) -> CaseSnapshot:
        """The snapshot of one case row; ``links`` and ``recused`` when already loaded (a list page)."""
        d = self.registry.get(row.definition_key, row.definition_version)
        data = dict(row.data or {})
        sealed = self._sealed_triggers(d, row.state)
        if sealed and not can_see_sealed(viewer):
            for key in set(sealed.values()):
                entries = data.get(key)
                if isinstance(entries, list):
                    me = viewer.username if viewer else None
                    data[key] = [e for e in entries if isinstance(e, dict) and e.get("by") == me]
                    data[f"{key}_count"] = len(entries)
        if links is None:
            links = self.store.links(conn, row.id)
        if recused is None:
            recused = self.store.recused(conn, row.id)
        views = tuple(LinkView(link.case_id, link.definition, link.relation, link.state, link.state_label)
                      for link in links)
        now = self.now()
        overdue = bool(not row.final and row.due_at is not None and row.due_at < now)
        return CaseSnapshot(
            id=row.id, definition=row.definition_key, definition_version=row.definition_version,
            definition_title=d.title, title=row.title, state=row.state, state_label=d.state_label(row.state),
            final=row.final, version=row.version, subject_id=row.subject_id, data=data,
            created_by=row.created_by, created_at=row.created_at, updated_at=row.updated_at,
            state_entered_at=row.state_entered_at, due_at=row.due_at, overdue=overdue, links=views,
            available_events=tuple(events), recused=tuple(sorted(recused)),
        )

    def get_case(self, case_id: int, viewer: Actor | None = None) -> CaseSnapshot:
        """The case as ``viewer`` may see it, with the events ``viewer`` may fire now."""
        from .engine import Engine

        assert isinstance(self, Engine)
        self.ensure_ready()
        with self.db.connect() as conn:
            return self.snapshot(conn, case_id, viewer, with_actions=True)

    def history(self, case_id: int, viewer: Actor | None = None) -> list[EventView]:
        from .engine import Engine

        assert isinstance(self, Engine)
        with self.db.connect() as conn:
            row = self.store.load_case(conn, case_id)
            d = self.registry.get(row.definition_key, row.definition_version)
            sealed = self._sealed_triggers(d, row.state)
            hide = bool(sealed) and not can_see_sealed(viewer)
            out = []
            for r in conn.execute(select(events_t).where(events_t.c.case_id == case_id).order_by(events_t.c.seq)):
                is_sealed = hide and r.event in sealed and (viewer is None or r.actor != viewer.username)
                out.append(EventView(
                    seq=r.seq, type=r.type, event=r.event, from_state=r.from_state, to_state=r.to_state,
                    actor=r.actor, actor_name=r.actor_name, role=r.role, at=r.at,
                    data={} if is_sealed else dict(r.data or {}), comment=SEALED_TEXT if is_sealed else r.comment,
                    hash=r.hash, prev_hash=r.prev_hash, sealed=is_sealed))
            return out

    def _filtered(self, q: CaseQuery, now: datetime | None = None) -> Select[Any]:
        now = now or self.now()
        stmt = select(cases_t)
        conds = []
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
        The page is chosen on ids alone (an index-only sort), then its rows, links and
        recusals are read in three queries: a page costs the same on 100 or 100,000 cases.
        """
        from .engine import Engine

        assert isinstance(self, Engine)
        self.ensure_ready()
        now = self.now()
        column = SORTS.get(q.sort, cases_t.c.updated_at)
        order = desc(column) if q.descending else asc(column)
        page = max(q.page, 1)
        per_page = min(max(q.per_page, 1), 200)
        with self.db.connect() as conn:
            total = self._count(conn, q, now)
            ids = [r[0] for r in conn.execute(
                self._filtered(q, now).with_only_columns(cases_t.c.id).order_by(order, desc(cases_t.c.id))
                .limit(per_page).offset((page - 1) * per_page))]
            found = {r.id: r for r in conn.execute(select(cases_t).where(cases_t.c.id.in_(ids)))} if ids else {}
            rows = [found[i] for i in ids if i in found]
            links = self.store.links_many(conn, ids)
            recused = self.store.recused_many(conn, ids)
            out = []
            for r in rows:
                events: list[str] = []
                if with_actions and viewer is not None:
                    facts = self.store.facts(conn, r, recused[r.id])
                    events = [a.event for a in self._actions(conn, r, viewer, facts)[0]]
                out.append(self.build_snapshot(conn, r, viewer, events, links=links[r.id], recused=recused[r.id]))
            return out, total

    def _count(self, conn: Connection, q: CaseQuery, now: datetime) -> int:
        def count(query: CaseQuery) -> int:
            stmt = self._filtered(query, now).with_only_columns(func.count(), maintain_column_froms=True)
            return int(conn.execute(stmt).scalar_one())

        if q.overdue is False:  # all minus overdue: two index-only counts instead of a scan
            return count(replace(q, overdue=None)) - count(replace(q, overdue=True))
        return count(q)

    def todo(self, actor: Actor, page: int = 1, per_page: int = 50) -> tuple[list[CaseSnapshot], int]:
        """Cases where ``actor`` may fire an event now (待办), most urgent first.

        A SQL filter keeps only open cases in states where one of the actor's roles has
        an event. Where one of those events asks nothing of the case but the role
        (``needs_only_role``), every case the actor is not recused from qualifies: SQL
        counts them and picks the page's candidates from an index. The cases of the other
        states go through the engine's own checks (named actors, separation of duties,
        approvals, guards) one by one. The page is then read in three queries.
        """
        from .engine import Engine

        assert isinstance(self, Engine)
        self.ensure_ready()
        if not (actor.roles - {"auditor", "admin"}):
            return [], 0
        pairs = todo_pairs(self.registry, actor)
        if not pairs:
            return [], 0
        sure = [p for p in pairs if needs_only_role(self.registry.get(p[0], p[1]), p[2], actor)]
        unsure = [p for p in pairs if p not in sure]
        page = max(page, 1)
        per_page = min(max(per_page, 1), 200)
        skip = (page - 1) * per_page
        order = (cases_t.c.due_at.is_(None), asc(cases_t.c.due_at), desc(cases_t.c.updated_at), desc(cases_t.c.id))
        found: list[Any] = []
        total = 0
        with self.db.connect() as conn:
            if sure:
                recused = select(recusals_t.c.case_id).where(recusals_t.c.username == actor.username)
                not_recused = cases_t.c.id.not_in(recused)
                # Counted per (definition, state) on the index alone; empty states are not read.
                counts = conn.execute(select(cases_t.c.definition_key, cases_t.c.state, func.count())
                                      .where(_in_states(self.registry, sure), not_recused)
                                      .group_by(cases_t.c.definition_key, cases_t.c.state)).all()
                total += sum(int(n) for _, _, n in counts)
                held = {(k, s) for k, s, n in counts if n}
                found += self._todo_candidates(conn, [p for p in sure if (p[0], p[2]) in held], not_recused,
                                               skip + per_page)
            if unsure:
                # No ``final`` test: the pairs' states are not final, and with it SQLite prefers the
                # (final, due_at) index and reads every open case.
                stmt = select(cases_t).where(_in_pairs(unsure)).order_by(*order)
                for row in conn.execute(stmt):
                    if self._actions(conn, row, actor)[0]:
                        total += 1
                        found.append((row.id, row.due_at, row.updated_at))
            found.sort(key=_urgency)
            return self._snapshots(conn, [f[0] for f in found[skip:skip + per_page]], actor), total

    def _todo_candidates(self, conn: Connection, pairs: list[tuple[str, int, str]], not_recused: Any,
                         limit: int) -> list[Any]:
        """The first ``limit`` (id, due_at, updated_at) in todo order of each pair's cases.

        One query per pair and part, each able to stop after ``limit`` rows on an index: a
        case has a due date only in a state with a deadline (the engine sets it on entering
        the state), so a deadline state is read in due order from the (final, due_at)
        index plus the few cases without a due date; any other state by update time from
        the (definition, state, updated) index. (No ``final`` test where it is not needed
        to reach an index: the pairs' states are not final.)
        """
        due = cases_t.c.due_at
        by_update = (desc(cases_t.c.updated_at), desc(cases_t.c.id))
        keys = (cases_t.c.id, cases_t.c.due_at, cases_t.c.updated_at)
        out: list[Any] = []
        for k, v, s in pairs:
            state = self.registry.get(k, v).state(s)
            pair = (cases_t.c.definition_key == k, cases_t.c.state == s, cases_t.c.definition_version == v,
                    not_recused)
            parts: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = [((due.is_(None),), by_update)]
            if state is not None and (state.deadline_days or state.deadline_working_days):
                parts.append(((cases_t.c.final.is_(False), due.is_not(None)), (asc(due), *by_update)))
            for where, order in parts:
                out += conn.execute(select(*keys).where(*pair, *where).order_by(*order).limit(limit)).all()
        return out

    def _snapshots(self, conn: Connection, ids: list[int], viewer: Actor) -> list[CaseSnapshot]:
        """Snapshots of ``ids`` in that order, with the viewer's events; rows, links, recusals in 3 queries."""
        from .engine import Engine

        assert isinstance(self, Engine)
        if not ids:
            return []
        rows = {r.id: r for r in conn.execute(select(cases_t).where(cases_t.c.id.in_(ids)))}
        links = self.store.links_many(conn, ids)
        recused = self.store.recused_many(conn, ids)
        out = []
        for case_id in ids:
            row = rows[case_id]
            facts = self.store.facts(conn, row, recused[case_id])
            events = [a.event for a in self._actions(conn, row, viewer, facts)[0]]
            out.append(self.build_snapshot(conn, row, viewer, events, links=links[case_id],
                                           recused=recused[case_id]))
        return out


def needs_only_role(d: ProcessDefinition, state: str, actor: Actor) -> bool:
    """Whether some event of ``state`` asks nothing of a case but one of the actor's roles.

    Such an event is open to the actor on every case in ``state`` the actor is not recused
    from: it has no guard, no named actors, no separation of duties, no approvals and no
    once-per-actor rule, the only checks of ``permissions.check_actor`` and
    ``Engine._check_guards`` that read the case. Keep this in step with them
    (tests/engine/test_todo.py compares todo with checking every case).
    """
    if not (actor.roles - READ_ONLY_ROLES - {"admin"}):
        return False
    return any(set(t.roles) & actor.roles and not (
        t.conditions or t.actors_field or t.distinct_from or t.approvals is not None or t.once_per_actor)
        for t in d.transitions_from(state))


def _in_pairs(pairs: Sequence[tuple[str, int, str]]) -> Any:
    """Cases in any of the (definition, version, state) pairs, grouped so that an index on
    (definition_key, state) serves each group."""
    groups: dict[tuple[str, int], list[str]] = {}
    for k, v, s in pairs:
        groups.setdefault((k, v), []).append(s)
    return or_(*[and_(cases_t.c.definition_key == k, cases_t.c.state.in_(sorted(states)),
                      cases_t.c.definition_version == v) for (k, v), states in groups.items()])


def _in_states(registry: DefinitionRegistry, pairs: Sequence[tuple[str, int, str]]) -> Any:
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
        if whole:
            conds.append(and_(cases_t.c.definition_key == k, cases_t.c.state.in_(whole)))
        conds += [and_(cases_t.c.definition_key == k, cases_t.c.state == s,
                       cases_t.c.definition_version.in_(sorted(vs))) for s, vs in states.items() if not vs >= every]
    return or_(*conds)


def _urgency(found: Any) -> tuple[bool, datetime, float, int]:
    """The todo order (due first, earliest due first, then latest update, then newest) as a sort key."""
    case_id, due_at, updated_at = found
    return due_at is None, due_at or _EPOCH, -updated_at.timestamp(), -case_id


def todo_pairs(registry: DefinitionRegistry, actor: Actor) -> list[tuple[str, int, str]]:
    """(definition, version, state) where one of the actor's roles may fire some event."""
    out = []
    for d in registry.versions():
        for s in d.states:
            if s.final:
                continue
            if any(set(t.roles) & actor.roles for t in d.transitions_from(s.name)):
                out.append((d.key, d.version, s.name))
    return out
