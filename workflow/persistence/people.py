"""The SQL of the person record: rows, history, sanctions, marks and photos (``workflow.people`` calls it).

Nothing here decides anything: ``workflow.people.chain`` is the one write path that
calls these inside its transaction, with the history entry of every change.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Row

from .models import inserted_id
from .tables import blobs_t
from .tables import marks_t
from .tables import orgs_t
from .tables import people_t
from .tables import person_history_t
from .tables import photos_t
from .tables import sanctions_t

PERSON_ROW = (select(people_t, orgs_t.c.code.label("org_code"), orgs_t.c.path.label("org_path"))
              .join(orgs_t, orgs_t.c.id == people_t.c.managing_org_id))


def person_row(conn: Connection, person_id: int, *, lock: bool = False) -> Row[Any] | None:
    stmt = PERSON_ROW.where(people_t.c.id == person_id)
    if lock and conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=people_t)
    return conn.execute(stmt).first()


def insert_person(conn: Connection, values: Mapping[str, Any]) -> int:
    return inserted_id(conn.execute(insert(people_t).values(**values)))


def update_person(conn: Connection, person_id: int, version: int, values: Mapping[str, Any]) -> bool:
    """Update the row if it still has ``version``; False when somebody else changed it first."""
    result = conn.execute(update(people_t).where(people_t.c.id == person_id, people_t.c.version == version)
                          .values(**values))
    return bool(result.rowcount == 1)


def append_history(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(insert(person_history_t).values(**values))


def history_rows(conn: Connection, person_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(person_history_t).where(person_history_t.c.person_id == person_id)
                             .order_by(person_history_t.c.seq)))


def stream_history(conn: Connection, batch: int) -> Iterator[Row[Any]]:
    """Every history row in (person, seq) order, streamed."""
    stmt = select(person_history_t).order_by(person_history_t.c.person_id, person_history_t.c.seq)
    yield from conn.execution_options(stream_results=True, yield_per=batch).execute(stmt)


def stream_people(conn: Connection, batch: int) -> Iterator[Row[Any]]:
    stmt = PERSON_ROW.order_by(people_t.c.id)
    yield from conn.execution_options(stream_results=True, yield_per=batch).execute(stmt)


# --- sanctions, marks, photos -------------------------------------------------------------------

def sanctions(conn: Connection, person_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(sanctions_t).where(sanctions_t.c.person_id == person_id)
                             .order_by(sanctions_t.c.decided_on, sanctions_t.c.id)))


def insert_sanction(conn: Connection, values: Mapping[str, Any]) -> int:
    return inserted_id(conn.execute(insert(sanctions_t).values(**values)))


def marks(conn: Connection, person_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(marks_t).where(marks_t.c.person_id == person_id).order_by(marks_t.c.id)))


def insert_mark(conn: Connection, values: Mapping[str, Any]) -> int:
    return inserted_id(conn.execute(insert(marks_t).values(**values)))


def photo(conn: Connection, photo_id: int) -> Row[Any] | None:
    return conn.execute(select(photos_t).where(photos_t.c.id == photo_id)).first()


def insert_photo(conn: Connection, person_id: int, sha256: str, content_type: str, size: int, by: str,
                 at: datetime) -> int:
    return inserted_id(conn.execute(insert(photos_t).values(
        person_id=person_id, sha256=sha256, content_type=content_type, size=size, uploaded_by=by, created_at=at)))


def photos_of_people(conn: Connection) -> Iterator[Any]:
    """Every photo (id, person_id, sha256) with its stored bytes (``content``, None when the blob is gone)."""
    stmt = (select(photos_t.c.id, photos_t.c.person_id, photos_t.c.sha256, blobs_t.c.content)
            .join(blobs_t, blobs_t.c.sha256 == photos_t.c.sha256, isouter=True).order_by(photos_t.c.id))
    yield from conn.execution_options(stream_results=True, yield_per=200).execute(stmt)
