"""Database reads and writes the engine needs inside its transactions.

Only the engine calls this module. Writes of ``state``, ``version`` and history
happen in engine.py and audit.py; this module creates cases, appends side
events (under the same hash chain) and loads the facts guards read.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING
from typing import Any

from sqlalchemy import and_
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Row
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import ProgrammingError

from . import audit
from .clock import local_today
from .definition import DefinitionRegistry
from .definition.schema import ProcessDefinition
from .errors import CaseNotFound
from .errors import DefinitionError
from .errors import StaleVersion
from .errors import WorkflowError
from .fastsql import FastSQL
from .guards.context import GuardContext
from .guards.context import HistoryItem
from .guards.context import LinkedCase
from .guards.context import PersonMark
from .models import Attachment
from .models import CalendarDay
from .models import CalendarYear
from .models import Case
from .models import CaseEvent
from .models import CaseLedger
from .models import CaseLink
from .models import Counter
from .models import DefinitionVersion
from .models import LedgerHead
from .models import Person
from .models import PersonMark as PersonMarkRow
from .models import Recusal
from .models import User
from .models import inserted_id
from .models import table
from .permissions import CaseFacts
from .types import Actor
from .workdays import DayOverride
from .workdays import WorkCalendar

if TYPE_CHECKING:
    from .engine import Engine

cases_t = table(Case)
events_t = table(CaseEvent)
links_t = table(CaseLink)
ledger_t = table(CaseLedger)
head_t = table(LedgerHead)
recusals_t = table(Recusal)
users_t = table(User)
people_t = table(Person)
marks_t = table(PersonMarkRow)
att_t = table(Attachment)
counters_t = table(Counter)
days_t = table(CalendarDay)
years_t = table(CalendarYear)
defs_t = table(DefinitionVersion)


# Statements of the fire path, built once (SQLAlchemy caches their compiled form).
_LOAD_CASE = select(cases_t).where(cases_t.c.id == bindparam("case_id"))
_LINKS_SELECT = (select(links_t.c.case_id, links_t.c.target_id, links_t.c.relation, cases_t.c.definition_key,
                        cases_t.c.definition_version, cases_t.c.state, cases_t.c.final, cases_t.c.subject_id,
                        cases_t.c.data)
                 .join(cases_t, cases_t.c.id == links_t.c.target_id).order_by(links_t.c.id))
_CASE_MOVE_COLUMNS = ("state", "final", "data", "version", "updated_at", "state_entered_at", "due_at",
                      "head_seq", "head_hash", "head_mac")
_STATE_COLUMNS = frozenset({"state", "final", "state_entered_at", "due_at"})
class NotInitialised(WorkflowError):
    code = "not_initialised"


class _Lookups:
    """fields.Lookups over one connection and (optionally) one case."""

    def __init__(self, conn: Connection, case_id: int | None, recused: frozenset[str],
                 registry: DefinitionRegistry) -> None:
        self.conn = conn
        self.case_id = case_id
        self.recused = recused
        self.registry = registry

    def user_roles(self, username: str) -> frozenset[str] | None:
        row = self.conn.execute(select(users_t.c.roles, users_t.c.active).where(
            users_t.c.username == username)).first()
        if row is None or not row.active:
            return None
        return frozenset(row.roles or [])

    def is_recused(self, username: str) -> bool:
        return username in self.recused

    def person_exists(self, person_id: int) -> bool:
        return self.conn.execute(select(people_t.c.id).where(people_t.c.id == person_id)).first() is not None

    def attachment_on_case(self, attachment_id: int) -> bool:
        if self.case_id is None:
            return False
        return self.conn.execute(select(att_t.c.id).where(
            att_t.c.id == attachment_id, att_t.c.case_id == self.case_id)).first() is not None

    def role_label(self, role: str) -> str:
        return self.registry.role_label(role)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._fast: dict[str, FastSQL] = {}

    # --- definitions ----------------------------------------------------------------------------

    def sync_definitions(self, registry: DefinitionRegistry) -> DefinitionRegistry:
        try:
            with self.engine.w.begin() as conn:
                stored = {(r.key, r.version): r for r in conn.execute(select(defs_t))}
                problems = []
                for d in registry.versions():
                    old = stored.get((d.key, d.version))
                    if old is None:
                        conn.execute(insert(defs_t).values(
                            key=d.key, version=d.version, title=d.title, content_hash=d.content_hash,
                            path=d.path, source=d.source, loaded_at=self.engine.now()))
                    elif old.content_hash != d.content_hash:
                        problems.append(
                            f"{d.path}:1: 流程 '{d.key}' 版本{d.version} 已经使用，文件内容却已改变"
                            f"（库中 {old.content_hash[:12]}，文件 {d.content_hash[:12]}）；"
                            f"请把修改另存为新版本（version: {d.version + 1}）")
                if problems:
                    raise DefinitionError(problems)
                self._ensure_ledger_head(conn)
        except (OperationalError, ProgrammingError) as exc:
            if "definition_versions" in str(exc) or "no such table" in str(exc):
                raise NotInitialised("数据库尚未初始化，请先运行 cadreflow init") from None
            raise
        missing = [(r.path, r.source) for key, r in stored.items() if not registry.has(*key)]
        return registry.with_stored(missing)

    def _ensure_ledger_head(self, conn: Connection) -> None:
        if conn.execute(select(head_t.c.id).where(head_t.c.id == 1)).first() is None:
            key = self.engine.settings.head_key
            conn.execute(insert(head_t).values(id=1, count=0, head_hash=audit.GENESIS,
                                               mac=audit.ledger_mac(key, 0, audit.GENESIS)))

    # --- cases ----------------------------------------------------------------------------------

    def fast(self, conn: Connection) -> FastSQL:
        sql = self._fast.get(conn.dialect.name)
        if sql is None:
            sql = self._fast[conn.dialect.name] = FastSQL(conn.dialect.name)
        return sql

    def lock_case(self, conn: Connection, case_id: int) -> Any:
        """The case row, locked for this transaction (FOR UPDATE; SQLite writers are serialised)."""
        row = self.fast(conn).lock_case(conn, case_id)
        if row is None:
            raise CaseNotFound(case_id)
        return row

    def load_case(self, conn: Connection, case_id: int) -> Row[Any]:
        row = conn.execute(_LOAD_CASE, {"case_id": case_id}).first()
        if row is None:
            raise CaseNotFound(case_id)
        return row

    def recused(self, conn: Connection, case_id: int) -> frozenset[str]:
        return self.fast(conn).recused(conn, case_id)

    def update_case(self, conn: Connection, row: Any, values: dict[str, Any]) -> None:
        """The version bump: ``UPDATE ... WHERE id = :id AND version = :expected``.

        The state columns are set only when they change: each is in two or three of
        the list indexes, and SQLite rewrites an index entry for every column named
        in SET, changed or not (an event that stays in its state, such as a 记实
        record, would otherwise rewrite seven index pages instead of five).
        """
        changed = {key: values.get(key, getattr(row, key)) for key in _CASE_MOVE_COLUMNS
                   if key not in _STATE_COLUMNS or (key in values and values[key] != getattr(row, key))}
        if self.fast(conn).update_case(conn, row.id, row.version, changed) != 1:
            raise StaleVersion(row.version, row.version + 1)

    @staticmethod
    def row_after(row: Any, values: dict[str, Any]) -> SimpleNamespace:
        """The case row as the UPDATE just left it, without reading it back."""
        fields = dict(row._mapping) if hasattr(row, "_mapping") else dict(vars(row))
        return SimpleNamespace(**{**fields, **values})

    def history_items(self, conn: Connection, case_id: int) -> list[HistoryItem]:
        rows = conn.execute(select(events_t.c.seq, events_t.c.type, events_t.c.event, events_t.c.from_state,
                                   events_t.c.to_state, events_t.c.actor, events_t.c.role, events_t.c.at,
                                   events_t.c.data).where(events_t.c.case_id == case_id)
                            .order_by(events_t.c.seq))
        return [HistoryItem(r.seq, r.type, r.event, r.from_state, r.to_state, r.actor, r.role, r.at,
                            r.data or {}) for r in rows]

    def facts(self, conn: Connection, row: Any, recused: frozenset[str] | None = None) -> CaseFacts:
        if recused is None:
            recused = getattr(row, "recused_names", None)  # read with a locked row
        if recused is None:
            recused = self.recused(conn, row.id)
        return CaseFacts(row.id, row.state, dict(row.data or {}), recused, lambda: self.history_items(conn, row.id))

    def lookups(self, conn: Connection, row: Row[Any] | None, registry: DefinitionRegistry,
                recused: frozenset[str] | None = None) -> _Lookups:
        if row is None:
            return _Lookups(conn, None, frozenset(), registry)
        return _Lookups(conn, row.id, self.recused(conn, row.id) if recused is None else recused, registry)

    def person_exists(self, conn: Connection, person_id: int) -> bool:
        return conn.execute(select(people_t.c.id).where(people_t.c.id == person_id)).first() is not None

    def links(self, conn: Connection, case_id: int) -> list[LinkedCase]:
        return [self._linked(r) for r in self.fast(conn).links(conn, case_id)]

    def _linked(self, r: Any) -> LinkedCase:
        reg = self.engine.registry
        label = r.state
        if reg.has(r.definition_key, r.definition_version):
            label = reg.get(r.definition_key, r.definition_version).state_label(r.state)
        return LinkedCase(r.target_id, r.definition_key, r.relation, r.state, label, r.final, r.subject_id,
                          r.data or {})

    def links_many(self, conn: Connection, case_ids: Sequence[int]) -> dict[int, list[LinkedCase]]:
        """The links of several cases in one query (a page of a list)."""
        out: dict[int, list[LinkedCase]] = {case_id: [] for case_id in case_ids}
        if not case_ids:
            return out
        for r in conn.execute(_LINKS_SELECT.where(links_t.c.case_id.in_(list(case_ids)))):
            out[r.case_id].append(self._linked(r))
        return out

    def recused_many(self, conn: Connection, case_ids: Sequence[int]) -> dict[int, frozenset[str]]:
        """The recused usernames of several cases in one query."""
        found: dict[int, set[str]] = {case_id: set() for case_id in case_ids}
        if case_ids:
            for r in conn.execute(select(recusals_t.c.case_id, recusals_t.c.username)
                                  .where(recusals_t.c.case_id.in_(list(case_ids)))):
                found[r.case_id].add(r.username)
        return {case_id: frozenset(names) for case_id, names in found.items()}

    def person(self, conn: Connection, person_id: int | None) -> Mapping[str, Any] | None:
        if person_id is None:
            return None
        r = conn.execute(select(people_t).where(people_t.c.id == person_id)).first()
        if r is None:
            return None
        return {"id": r.id, "name": r.name, "gender": r.gender, "birth_date": r.birth_date.isoformat(),
                "unit": r.unit, "current_post": r.current_post, **(r.profile or {})}

    def marks(self, conn: Connection, person_id: int | None) -> list[PersonMark]:
        if person_id is None:
            return []
        rows = conn.execute(select(marks_t).where(marks_t.c.person_id == person_id).order_by(marks_t.c.id))
        return [PersonMark(r.kind, r.label, r.starts_on, r.ends_on, r.reason) for r in rows]

    def calendar(self, conn: Connection) -> WorkCalendar:
        overrides = {r.day: DayOverride(r.day, r.workday, r.name) for r in conn.execute(select(days_t))}
        years = [r.year for r in conn.execute(select(years_t.c.year))]
        return WorkCalendar(overrides, years)

    def calendar_now(self) -> WorkCalendar:
        with self.engine.db.connect() as conn:
            return self.calendar(conn)

    def guard_context(self, conn: Connection, row: Row[Any], d: ProcessDefinition, actor: Actor,
                      data: Mapping[str, Any], facts: CaseFacts) -> GuardContext:
        now = self.engine.now()
        case_data = dict(row.data or {})
        case_data.setdefault("_title", row.title)
        return GuardContext(
            case_id=row.id, definition=d.key, state=row.state, case_data=case_data, data=data, actor=actor,
            now=now, today=local_today(self.engine.clock), subject_id=row.subject_id, recused=facts.recused,
            _calendar=lambda: self.calendar(conn), _history=lambda: facts.history,
            _links=lambda: self.links(conn, row.id), _person=lambda: self.person(conn, row.subject_id),
            _marks=lambda: self.marks(conn, row.subject_id), field_label=d.field_label,
        )

    def append_event(self, conn: Connection, row: Row[Any], type_: str, event: str | None,
                     from_state: str | None, to_state: str | None, actor: Actor, role: str, at: datetime,
                     data: dict[str, Any], comment: str, *, bump: bool) -> str:
        """Append one event after the case's head. With ``bump`` also move the head and version.

        Without ``bump`` the caller updates the case row itself (engine.fire).
        """
        seq = row.head_seq + 1
        digest = audit.record_event(conn, case_id=row.id, seq=seq, prev_hash=row.head_hash or audit.GENESIS,
                                    type_=type_, event=event, from_state=from_state, to_state=to_state,
                                    actor=actor.username, actor_name=actor.name, role=role, at=at,
                                    data=data, comment=comment)
        if bump:
            values: dict[str, Any] = {
                "head_seq": seq, "head_hash": digest, "updated_at": at,
                "head_mac": audit.head_mac(self.engine.settings.head_key, row.id, seq, digest),
            }
            if type_ in ("transition_fired", "approval_recorded"):
                values["version"] = row.version + 1
            result = conn.execute(update(cases_t).where(cases_t.c.id == row.id,
                                                        cases_t.c.head_seq == row.head_seq).values(**values))
            if result.rowcount != 1:
                raise StaleVersion(row.version, row.version + 1)
        return digest

    def side_event(self, case_id: int, type_: str, actor: Actor, role: str, data: dict[str, Any],
                   comment: str = "") -> None:
        """Append an event that does not move the state (document issued, recusal, ...)."""
        with self.engine.w.begin() as conn:
            row = self.lock_case(conn, case_id)
            self.append_event(conn, row, type_, None, None, None, actor, role, self.engine.now(), data,
                              comment, bump=True)

    def create_case(self, conn: Connection, d: ProcessDefinition, actor: Actor, role: str, title: str,
                    subject_id: int | None, data: dict[str, Any], comment: str,
                    parent: tuple[int, str] | None = None,
                    on_created: Callable[[Connection, Any], dict[str, Any]] | None = None) -> int:
        """Insert a case in its initial state with its ledger entry and `case_started` event.

        ``on_created`` (the start actions) runs on the new row before the event is
        recorded; whatever it returns joins the case data and the event data.
        """
        now = self.engine.now()
        initial = d.initial
        result = conn.execute(insert(cases_t).values(
            definition_key=d.key, definition_version=d.version, definition_hash=d.content_hash, title=title,
            subject_id=subject_id, state=initial.name, final=False, version=1, data=data, created_by=actor.username,
            created_at=now, updated_at=now, state_entered_at=now, due_at=self.engine.due_at(initial, now),
            head_seq=0, head_hash=audit.GENESIS, head_mac=""))
        case_id = inserted_id(result)
        self._ledger_append(conn, case_id, d.key, now)
        if on_created is not None:
            row = conn.execute(_LOAD_CASE, {"case_id": case_id}).first()
            extra = on_created(conn, row)
            if extra:
                data = {**data, **extra}
                conn.execute(update(cases_t).where(cases_t.c.id == case_id).values(data=data))
        start_data = {"title": title, "subject_id": subject_id, "definition": d.key,
                      "definition_version": d.version, "definition_hash": d.content_hash, **data}
        if parent is not None:
            start_data["opened_by_case"] = parent[0]
        digest = audit.record_event(conn, case_id=case_id, seq=1, prev_hash=audit.GENESIS, type_="case_started",
                                    event="start", from_state=None, to_state=initial.name, actor=actor.username,
                                    actor_name=actor.name, role=role, at=now, data=start_data, comment=comment)
        conn.execute(update(cases_t).where(cases_t.c.id == case_id).values(
            head_seq=1, head_hash=digest,
            head_mac=audit.head_mac(self.engine.settings.head_key, case_id, 1, digest)))
        return case_id

    def _ledger_append(self, conn: Connection, case_id: int, key: str, now: datetime) -> None:
        head = conn.execute(select(head_t).where(head_t.c.id == 1).with_for_update()).first()
        if head is None:
            self._ensure_ledger_head(conn)
            head = conn.execute(select(head_t).where(head_t.c.id == 1).with_for_update()).first()
        assert head is not None
        seq = int(head._mapping["count"]) + 1
        digest = audit.ledger_hash(seq, case_id, key, now, head.head_hash)
        conn.execute(insert(ledger_t).values(seq=seq, case_id=case_id, definition_key=key, created_at=now,
                                             prev_hash=head.head_hash, hash=digest))
        conn.execute(update(head_t).where(head_t.c.id == 1).values(
            count=seq, head_hash=digest, mac=audit.ledger_mac(self.engine.settings.head_key, seq, digest)))

    def add_link(self, conn: Connection, case_id: int, target_id: int, relation: str, back: str) -> None:
        now = self.engine.now()
        for a, b, rel in ((case_id, target_id, relation), (target_id, case_id, back)):
            exists = conn.execute(select(links_t.c.id).where(and_(
                links_t.c.case_id == a, links_t.c.target_id == b, links_t.c.relation == rel))).first()
            if exists is None:
                conn.execute(insert(links_t).values(case_id=a, target_id=b, relation=rel, created_at=now))

    def next_number(self, conn: Connection, name: str) -> int:
        row = conn.execute(select(counters_t.c.value).where(counters_t.c.name == name).with_for_update()).first()
        if row is None:
            conn.execute(insert(counters_t).values(name=name, value=1))
            return 1
        conn.execute(update(counters_t).where(counters_t.c.name == name).values(value=row.value + 1))
        return int(row.value) + 1

    def find_cases(self, conn: Connection, definitions: list[str], states: list[str],
                   subject_id: int | None) -> list[int]:
        if subject_id is None:
            return []
        rows = conn.execute(select(cases_t.c.id).where(
            cases_t.c.definition_key.in_(definitions), cases_t.c.state.in_(states),
            cases_t.c.subject_id == subject_id).order_by(cases_t.c.id))
        return [r[0] for r in rows]

    def add_mark(self, conn: Connection, person_id: int, kind: str, label: str, starts_on: date | None,
                 ends_on: date | None, reason: str, case_id: int | None, by: str) -> None:
        conn.execute(insert(marks_t).values(person_id=person_id, kind=kind, label=label, starts_on=starts_on,
                                            ends_on=ends_on, reason=reason, case_id=case_id, created_by=by,
                                            created_at=self.engine.now()))

    def count_cases(self, conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(cases_t)).scalar_one())
