"""The SQL of the read-access register (查阅登记): append a row after the MAC'd head; read rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection

from .. import audit
from .tables import access_head_t
from .tables import access_t


def append(conn: Connection, key: bytes, at: datetime, username: str, action: str, object_: str,
           case_id: int | None, person_id: int | None, detail: str, address: str) -> int:
    """Chain one row after the register's head and re-sign the head; returns its number."""
    head = conn.execute(select(access_head_t).where(access_head_t.c.id == 1).with_for_update()).first()
    if head is None:
        conn.execute(insert(access_head_t).values(id=1, count=0, head_hash=audit.GENESIS,
                                                  mac=audit.access_mac(key, 0, audit.GENESIS)))
        count, prev = 0, audit.GENESIS
    else:
        count, prev = int(head._mapping["count"]), str(head.head_hash)
    seq = count + 1
    digest = audit.access_hash(seq, at, username, action, object_, case_id, person_id, detail, address, prev)
    conn.execute(insert(access_t).values(seq=seq, at=at, username=username, action=action, object=object_,
                                         case_id=case_id, person_id=person_id, detail=detail, address=address,
                                         prev_hash=prev, hash=digest))
    conn.execute(update(access_head_t).where(access_head_t.c.id == 1).values(
        count=seq, head_hash=digest, mac=audit.access_mac(key, seq, digest)))
    return seq


def entries(conn: Connection, conditions: Sequence[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of rows, newest first, and how many match."""
    stmt = select(access_t).where(*conditions)
    total = int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())
    rows = list(conn.execute(stmt.order_by(access_t.c.seq.desc()).limit(per_page).offset((page - 1) * per_page)))
    return rows, total


def head(conn: Connection) -> Any:
    return conn.execute(select(access_head_t).where(access_head_t.c.id == 1)).first()


def stream(conn: Connection, batch: int = 2000) -> Any:
    return conn.execution_options(stream_results=True, yield_per=batch).execute(
        select(access_t).order_by(access_t.c.seq))
