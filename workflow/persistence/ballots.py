"""The SQL of the ballot tables (workflow/persistence/ballot_models.py); callers hold the transaction.

A vote touches ``ballot_codes`` (the code's used-mark), ``ballot_box`` and ``ballot_receipts``
(new rows under random keys) in one transaction, after taking a shared lock on the ballot's row
so that closing (an exclusive lock) waits for votes in flight and no vote lands after the count.
``reshuffle`` rewrites the three tables of a ballot at closing, in canonical order with new
random box ids, so that their rows no longer carry the transactions that wrote them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Row

from .db import json_text
from .models import inserted_id
from .tables import ballots_t
from .tables import box_t
from .tables import codes_t
from .tables import named_votes_t
from .tables import receipts_t
from .tables import slips_t


def insert_ballot(conn: Connection, values: dict[str, Any]) -> int:
    return inserted_id(conn.execute(insert(ballots_t).values(**values)))


def insert_codes(conn: Connection, ballot_id: int, hashes: Sequence[str]) -> None:
    if hashes:
        conn.execute(insert(codes_t), [{"code_hash": h, "ballot_id": ballot_id, "used": False} for h in hashes])


def put_slips(conn: Connection, ballot_id: int, sealed: bytes) -> None:
    conn.execute(insert(slips_t).values(ballot_id=ballot_id, sealed=sealed))


def slips(conn: Connection, ballot_id: int) -> bytes | None:
    value = conn.execute(select(slips_t.c.sealed).where(slips_t.c.ballot_id == ballot_id)).scalar()
    return bytes(value) if value is not None else None


def drop_slips(conn: Connection, ballot_id: int) -> None:
    conn.execute(delete(slips_t).where(slips_t.c.ballot_id == ballot_id))


def load(conn: Connection, ballot_id: int, lock: str = "") -> Row[Any] | None:
    """The ballot row; ``lock`` "share" (a vote) or "update" (closing) locks it on PostgreSQL."""
    stmt = select(ballots_t).where(ballots_t.c.id == ballot_id)
    if lock:
        stmt = stmt.with_for_update(read=lock == "share")
    return conn.execute(stmt).first()


def of_case(conn: Connection, case_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(ballots_t).where(ballots_t.c.case_id == case_id).order_by(ballots_t.c.id)))


def code(conn: Connection, code_hash: str) -> Any:
    return conn.execute(select(codes_t.c.ballot_id, codes_t.c.used).where(codes_t.c.code_hash == code_hash)).first()


def spend(conn: Connection, code_hash: str) -> bool:
    """Mark a code used; False when it already was (the one statement that decides a race)."""
    result = conn.execute(update(codes_t).where(codes_t.c.code_hash == code_hash, codes_t.c.used.is_(False))
                          .values(used=True))
    return result.rowcount == 1


def cast(conn: Connection, ballot_id: int, box_id: str, choices: dict[str, Any], receipt: str) -> None:
    conn.execute(insert(box_t).values(id=box_id, ballot_id=ballot_id, choices=choices))
    conn.execute(insert(receipts_t).values(ballot_id=ballot_id, receipt=receipt))


def used_count(conn: Connection, ballot_ids: Sequence[int]) -> dict[int, int]:
    """Codes used per ballot (anonymous ballots) plus named votes per ballot."""
    out = dict.fromkeys(ballot_ids, 0)
    if not ballot_ids:
        return out
    for table, used in ((codes_t, codes_t.c.used.is_(True)), (named_votes_t, None)):
        stmt = select(table.c.ballot_id, func.count()).where(table.c.ballot_id.in_(list(ballot_ids)))
        if used is not None:
            stmt = stmt.where(used)
        for ballot_id, n in conn.execute(stmt.group_by(table.c.ballot_id)):
            out[ballot_id] += int(n)
    return out


def contents(conn: Connection, ballot_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(box_t.c.choices).where(box_t.c.ballot_id == ballot_id)).scalars()
    return [dict(c or {}) for c in rows]


def receipts(conn: Connection, ballot_id: int) -> list[str]:
    named = select(named_votes_t.c.receipt).where(named_votes_t.c.ballot_id == ballot_id)
    anonymous = select(receipts_t.c.receipt).where(receipts_t.c.ballot_id == ballot_id)
    return sorted({*conn.execute(anonymous).scalars(), *conn.execute(named).scalars()})


def reshuffle(conn: Connection, ballot_id: int, new_id: Any) -> None:
    """Rewrite the box, the receipts and the codes of a ballot in canonical order (at closing)."""
    box = sorted(json_text(c) for c in contents(conn, ballot_id))
    kept = receipts(conn, ballot_id)
    codes = sorted((h, bool(u)) for h, u in conn.execute(
        select(codes_t.c.code_hash, codes_t.c.used).where(codes_t.c.ballot_id == ballot_id)))
    for table in (box_t, receipts_t, codes_t):
        conn.execute(delete(table).where(table.c.ballot_id == ballot_id))
    if box:
        conn.execute(insert(box_t), [{"id": new_id(), "ballot_id": ballot_id, "choices": json.loads(c)} for c in box])
    if kept:
        conn.execute(insert(receipts_t), [{"ballot_id": ballot_id, "receipt": r} for r in kept])
    if codes:
        conn.execute(insert(codes_t), [{"code_hash": h, "ballot_id": ballot_id, "used": u} for h, u in codes])


def named_votes(conn: Connection, ballot_id: int) -> dict[str, dict[str, Any]]:
    rows = conn.execute(select(named_votes_t.c.username, named_votes_t.c.choices)
                        .where(named_votes_t.c.ballot_id == ballot_id))
    return {r.username: dict(r.choices or {}) for r in rows}


def add_named_vote(conn: Connection, ballot_id: int, username: str, choices: dict[str, Any], receipt: str,
                   at: datetime) -> bool:
    """False when the member has voted already."""
    found = conn.execute(select(named_votes_t.c.username).where(
        named_votes_t.c.ballot_id == ballot_id, named_votes_t.c.username == username)).first()
    if found is not None:
        return False
    conn.execute(insert(named_votes_t).values(ballot_id=ballot_id, username=username, choices=choices,
                                              receipt=receipt, at=at))
    return True


def close(conn: Connection, ballot_id: int, by: str, at: datetime, tally: dict[str, Any]) -> bool:
    result = conn.execute(update(ballots_t).where(ballots_t.c.id == ballot_id, ballots_t.c.status == "open")
                          .values(status="closed", closed_by=by, closed_at=at, tally=tally,
                                  box_hash=tally["box_hash"]))
    return result.rowcount == 1


def closed_of_kind(conn: Connection, case_id: int, kind: str) -> Row[Any] | None:
    """The case's most recently closed ballot of ``kind``."""
    return conn.execute(select(ballots_t).where(ballots_t.c.case_id == case_id, ballots_t.c.kind == kind,
                                                ballots_t.c.status == "closed")
                        .order_by(ballots_t.c.closed_at.desc(), ballots_t.c.id.desc()).limit(1)).first()
