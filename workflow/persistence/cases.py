"""Reads of cases and what hangs off them, and the small writes beside a case's row.

Every function takes the connection of the caller's unit of work (a command's
write transaction or a query's read snapshot). The case and event rows are
written only by ``rows``; this module writes links, counters and the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_
from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Row

from .. import audit
from ..errors import CaseNotFound
from ..types import HistoryItem
from ..types import PersonMark
from ..workdays import DayOverride
from ..workdays import WorkCalendar
from .rows import case_rows
from .tables import att_t
from .tables import cases_t
from .tables import counters_t
from .tables import days_t
from .tables import events_t
from .tables import head_t
from .tables import ledger_t
from .tables import links_t
from .tables import marks_t
from .tables import orgs_t
from .tables import people_t
from .tables import readers_t
from .tables import recusals_t
from .tables import sanctions_t
from .tables import users_t
from .tables import years_t

_LOAD_CASE = select(cases_t).where(cases_t.c.id == bindparam("case_id"))
_LINKS_SELECT = (select(links_t.c.case_id, links_t.c.target_id, links_t.c.relation, cases_t.c.definition_key,
                        cases_t.c.definition_version, cases_t.c.state, cases_t.c.final, cases_t.c.subject_id,
                        cases_t.c.data)
                 .join(cases_t, cases_t.c.id == links_t.c.target_id).order_by(links_t.c.id))


def lock_case(conn: Connection, case_id: int) -> Any:
    """The case row, locked for this transaction (FOR UPDATE; SQLite writers are serialised)."""
    row = case_rows(conn).lock_case(conn, case_id)
    if row is None:
        raise CaseNotFound(case_id)
    return row


def load_case(conn: Connection, case_id: int) -> Row[Any]:
    row = conn.execute(_LOAD_CASE, {"case_id": case_id}).first()
    if row is None:
        raise CaseNotFound(case_id)
    return row


def load_cases(conn: Connection, ids: Sequence[int]) -> dict[int, Row[Any]]:
    if not ids:
        return {}
    return {r.id: r for r in conn.execute(select(cases_t).where(cases_t.c.id.in_(list(ids))))}


def recused(conn: Connection, case_id: int) -> frozenset[str]:
    return case_rows(conn).recused(conn, case_id)


def readers(conn: Connection, case_id: int) -> frozenset[str]:
    """The users the case names (recommender, panel, team): they read it for that reason."""
    return frozenset(r.username for r in conn.execute(
        select(readers_t.c.username).where(readers_t.c.case_id == case_id)))


def readers_many(conn: Connection, case_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    found: dict[int, set[str]] = {case_id: set() for case_id in case_ids}
    if case_ids:
        for r in conn.execute(select(readers_t.c.case_id, readers_t.c.username)
                              .where(readers_t.c.case_id.in_(list(case_ids)))):
            found[r.case_id].add(r.username)
    return {case_id: frozenset(names) for case_id, names in found.items()}


def set_readers(conn: Connection, case_id: int, named: dict[str, set[str]]) -> None:
    """Make the case's readers exactly ``named`` ({username: {field, ...}}), touching only what changed."""
    now = {(r.username, r.reason) for r in conn.execute(
        select(readers_t.c.username, readers_t.c.reason).where(readers_t.c.case_id == case_id))}
    wanted = {(u, reason) for u, reasons in named.items() for reason in reasons}
    for username, reason in now - wanted:
        conn.execute(delete(readers_t).where(readers_t.c.case_id == case_id, readers_t.c.username == username,
                                             readers_t.c.reason == reason))
    for username, reason in sorted(wanted - now):
        conn.execute(insert(readers_t).values(case_id=case_id, username=username, reason=reason))


def org_paths(conn: Connection, org_ids: Sequence[int]) -> dict[int, str]:
    if not org_ids:
        return {}
    return {r.id: r.path for r in conn.execute(select(orgs_t.c.id, orgs_t.c.path)
                                               .where(orgs_t.c.id.in_(sorted(set(org_ids)))))}


def recused_many(conn: Connection, case_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """The recused usernames of several cases in one query."""
    found: dict[int, set[str]] = {case_id: set() for case_id in case_ids}
    if case_ids:
        for r in conn.execute(select(recusals_t.c.case_id, recusals_t.c.username)
                              .where(recusals_t.c.case_id.in_(list(case_ids)))):
            found[r.case_id].add(r.username)
    return {case_id: frozenset(names) for case_id, names in found.items()}


def links(conn: Connection, case_id: int) -> list[Any]:
    """The cases ``case_id`` links to: (case_id, target_id, relation, definition_key, version, state, ...)."""
    return case_rows(conn).links(conn, case_id)


def links_many(conn: Connection, case_ids: Sequence[int]) -> dict[int, list[Any]]:
    """The links of several cases in one query (a page of a list)."""
    out: dict[int, list[Any]] = {case_id: [] for case_id in case_ids}
    if case_ids:
        for r in conn.execute(_LINKS_SELECT.where(links_t.c.case_id.in_(list(case_ids)))):
            out[r.case_id].append(r)
    return out


_HISTORY_SELECT = select(events_t.c.case_id, events_t.c.seq, events_t.c.type, events_t.c.event,
                         events_t.c.from_state, events_t.c.to_state, events_t.c.actor, events_t.c.role,
                         events_t.c.at, events_t.c.data, events_t.c.on_behalf_of)


def history_items(conn: Connection, case_id: int) -> list[HistoryItem]:
    return history_items_many(conn, [case_id])[case_id]


def history_items_many(conn: Connection, case_ids: Sequence[int]) -> dict[int, list[HistoryItem]]:
    """The history (as rules read it) of several cases in one query (a page of a list)."""
    out: dict[int, list[HistoryItem]] = {case_id: [] for case_id in case_ids}
    if case_ids:
        rows = conn.execute(_HISTORY_SELECT.where(events_t.c.case_id.in_(list(case_ids)))
                            .order_by(events_t.c.case_id, events_t.c.seq))
        for r in rows:
            out[r.case_id].append(HistoryItem(r.seq, r.type, r.event, r.from_state, r.to_state, r.actor, r.role,
                                              r.at, r.data or {}, on_behalf_of=r.on_behalf_of))
    return out


def events(conn: Connection, case_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(events_t).where(events_t.c.case_id == case_id).order_by(events_t.c.seq)))


def person_facts(conn: Connection, person_id: int | None) -> Mapping[str, Any] | None:
    if person_id is None:
        return None
    r = conn.execute(select(people_t).where(people_t.c.id == person_id)).first()
    if r is None:
        return None
    return {"id": r.id, "name": r.name, "gender": r.gender, "birth_date": r.birth_date.isoformat(),
            "unit": r.unit, "current_post": r.current_post, **(r.profile or {})}


def managing_org(conn: Connection, person_id: int) -> int | None:
    row = conn.execute(select(people_t.c.managing_org_id).where(people_t.c.id == person_id)).first()
    return int(row.managing_org_id) if row is not None else None


def person_exists(conn: Connection, person_id: int, conditions: Sequence[Any] = ()) -> bool:
    """Whether the person exists (and meets ``conditions``: those of who may see them)."""
    return conn.execute(select(people_t.c.id).where(people_t.c.id == person_id, *conditions)).first() is not None


def marks(conn: Connection, person_id: int | None) -> list[PersonMark]:
    """The person's blocking marks: those recorded as marks, and the 影响期 of every sanction in the
    register (kind ``influence_period``, from the decision to the last day of the period)."""
    if person_id is None:
        return []
    rows = conn.execute(select(marks_t).where(marks_t.c.person_id == person_id).order_by(marks_t.c.id))
    out = [PersonMark(r.kind, r.label, r.starts_on, r.ends_on, r.reason) for r in rows]
    sanctions = conn.execute(select(sanctions_t).where(sanctions_t.c.person_id == person_id,
                                                   or_(sanctions_t.c.months.is_(None), sanctions_t.c.months != 0))
                             .order_by(sanctions_t.c.decided_on, sanctions_t.c.id))
    out += [PersonMark("influence_period", f"{s.label}（{s.decided_by}决定）", s.decided_on, s.effect_until, s.reason)
            for s in sanctions]
    return out


def user_roles(conn: Connection, username: str) -> frozenset[str] | None:
    """The roles of an active user, or None."""
    row = conn.execute(select(users_t.c.roles, users_t.c.active).where(users_t.c.username == username)).first()
    if row is None or not row.active:
        return None
    return frozenset(row.roles or [])


def attachment_on_case(conn: Connection, case_id: int, attachment_id: int) -> bool:
    return conn.execute(select(att_t.c.id).where(att_t.c.id == attachment_id,
                                                 att_t.c.case_id == case_id)).first() is not None


def find_cases(conn: Connection, definitions: list[str], states: list[str], subject_id: int | None) -> list[int]:
    if subject_id is None:
        return []
    rows = conn.execute(select(cases_t.c.id).where(
        cases_t.c.definition_key.in_(definitions), cases_t.c.state.in_(states),
        cases_t.c.subject_id == subject_id).order_by(cases_t.c.id))
    return [r[0] for r in rows]


def subject_cases(conn: Connection, subject_id: int | None, other_than: int | None) -> list[Any]:
    """The cases of one person but ``other_than``: (id, definition_key, definition_version, state, title)."""
    if subject_id is None:
        return []
    return list(conn.execute(select(cases_t.c.id, cases_t.c.definition_key, cases_t.c.definition_version,
                                    cases_t.c.state, cases_t.c.title)
                             .where(cases_t.c.subject_id == subject_id, cases_t.c.id != (other_than or 0))
                             .order_by(cases_t.c.id)))


def add_link(conn: Connection, case_id: int, target_id: int, relation: str, back: str, at: datetime) -> None:
    for a, b, rel in ((case_id, target_id, relation), (target_id, case_id, back)):
        exists = conn.execute(select(links_t.c.id).where(and_(
            links_t.c.case_id == a, links_t.c.target_id == b, links_t.c.relation == rel))).first()
        if exists is None:
            conn.execute(insert(links_t).values(case_id=a, target_id=b, relation=rel, created_at=at))


def next_number(conn: Connection, name: str) -> int:
    row = conn.execute(select(counters_t.c.value).where(counters_t.c.name == name).with_for_update()).first()
    if row is None:
        conn.execute(insert(counters_t).values(name=name, value=1))
        return 1
    conn.execute(update(counters_t).where(counters_t.c.name == name).values(value=row.value + 1))
    return int(row.value) + 1


def work_calendar(conn: Connection) -> WorkCalendar:
    """The holiday calendar: the package's schedules under the days and years entered here."""
    overrides = {r.day: DayOverride(r.day, r.workday, r.name) for r in conn.execute(select(days_t))}
    return WorkCalendar(overrides, [r.year for r in conn.execute(select(years_t.c.year))])


# --- the case ledger -------------------------------------------------------------------------------


def ensure_ledger_head(conn: Connection, key: bytes) -> None:
    if conn.execute(select(head_t.c.id).where(head_t.c.id == 1)).first() is None:
        conn.execute(insert(head_t).values(id=1, count=0, head_hash=audit.GENESIS,
                                           mac=audit.ledger_mac(key, 0, audit.GENESIS)))


def ledger_append(conn: Connection, key: bytes, case_id: int, definition_key: str, at: datetime) -> None:
    """Chain a new case into the ledger and re-sign its head (deleting a case breaks either)."""
    head = conn.execute(select(head_t).where(head_t.c.id == 1).with_for_update()).first()
    if head is None:
        ensure_ledger_head(conn, key)
        head = conn.execute(select(head_t).where(head_t.c.id == 1).with_for_update()).first()
    assert head is not None
    seq = int(head._mapping["count"]) + 1
    digest = audit.ledger_hash(seq, case_id, definition_key, at, head.head_hash)
    conn.execute(insert(ledger_t).values(seq=seq, case_id=case_id, definition_key=definition_key, created_at=at,
                                         prev_hash=head.head_hash, hash=digest))
    conn.execute(update(head_t).where(head_t.c.id == 1).values(
        count=seq, head_hash=digest, mac=audit.ledger_mac(key, seq, digest)))
