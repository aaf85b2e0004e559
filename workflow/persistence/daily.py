"""The rows of 委托 (delegations) and 抄送 (case copies): the only SQL that reads or writes them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import and_
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Row

from .tables import copies_t
from .tables import delegations_t

# --- delegations -------------------------------------------------------------------------------------


def add_delegation(conn: Connection, delegator: str, delegate: str, starts_on: date, ends_on: date,
                   definitions: Sequence[str], at: datetime) -> int:
    result = conn.execute(insert(delegations_t).values(
        delegator=delegator, delegate=delegate, starts_on=starts_on, ends_on=ends_on,
        definitions=",".join(definitions), created_at=at).returning(delegations_t.c.id))
    return int(result.scalar_one())


def delegation(conn: Connection, delegation_id: int, lock: bool = False) -> Row[Any] | None:
    stmt = select(delegations_t).where(delegations_t.c.id == delegation_id)
    return conn.execute(stmt.with_for_update() if lock else stmt).first()


def revoke(conn: Connection, delegation_id: int, by: str, at: datetime) -> None:
    conn.execute(update(delegations_t).where(delegations_t.c.id == delegation_id,
                                             delegations_t.c.revoked_at.is_(None))
                 .values(revoked_at=at, revoked_by=by))


def live(conn: Connection, *, delegator: str | None = None, delegate: str | None = None,
         on: date | None = None, ending_from: date | None = None) -> list[Row[Any]]:
    """Delegations not revoked: of ``delegator`` / to ``delegate``, in force ``on`` a day, or not ended
    before ``ending_from``."""
    conds: list[Any] = [delegations_t.c.revoked_at.is_(None)]
    if delegator is not None:
        conds.append(delegations_t.c.delegator == delegator)
    if delegate is not None:
        conds.append(delegations_t.c.delegate == delegate)
    if on is not None:
        conds.append(and_(delegations_t.c.starts_on <= on, delegations_t.c.ends_on >= on))
    if ending_from is not None:
        conds.append(delegations_t.c.ends_on >= ending_from)
    return list(conn.execute(select(delegations_t).where(*conds).order_by(delegations_t.c.starts_on,
                                                                          delegations_t.c.id)))


def delegations(conn: Connection, username: str | None = None) -> list[Row[Any]]:
    """Every delegation (revoked ones too), newest first; of or to ``username`` when given."""
    stmt = select(delegations_t).order_by(delegations_t.c.id.desc())
    if username is not None:
        stmt = stmt.where((delegations_t.c.delegator == username) | (delegations_t.c.delegate == username))
    return list(conn.execute(stmt))


# --- copies --------------------------------------------------------------------------------------------


def copied(conn: Connection, case_id: int) -> frozenset[str]:
    """The users the case was copied to (抄送)."""
    return frozenset(r.username for r in conn.execute(
        select(copies_t.c.username).where(copies_t.c.case_id == case_id)))


def add_copies(conn: Connection, case_id: int, usernames: Sequence[str], seq: int, by: str, at: datetime) -> None:
    have = copied(conn, case_id)
    fresh = [u for u in dict.fromkeys(usernames) if u not in have]
    if fresh:
        conn.execute(insert(copies_t), [{"case_id": case_id, "username": u, "seq": seq, "copied_by": by, "at": at}
                                        for u in fresh])


def copies_to(conn: Connection, username: str) -> list[Row[Any]]:
    """(case_id, seq, copied_by, at) of the cases copied to ``username``, newest first."""
    return list(conn.execute(select(copies_t).where(copies_t.c.username == username)
                             .order_by(copies_t.c.at.desc(), copies_t.c.case_id.desc())))
