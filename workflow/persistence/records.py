"""The rows recorded on a case beside its history: recusals, attachments and their blobs, issued documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Row

from .blobs import store_blob
from .models import inserted_id
from .tables import att_t
from .tables import blobs_t
from .tables import doclog_t
from .tables import events_t
from .tables import recusals_t


def add_recusal(conn: Connection, case_id: int, username: str, reason: str, by: str, at: datetime) -> None:
    conn.execute(insert(recusals_t).values(case_id=case_id, username=username, reason=reason, recorded_by=by,
                                           created_at=at))


def recusals(conn: Connection, case_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(recusals_t).where(recusals_t.c.case_id == case_id).order_by(recusals_t.c.id)))


def add_attachment(conn: Connection, case_id: int, sha256: str, content: bytes, filename: str, content_type: str,
                   by: str, at: datetime) -> int:
    """Store the content once (by its SHA-256) and the attachment row; the attachment's id."""
    store_blob(conn, content, sha256)
    result = conn.execute(insert(att_t).values(case_id=case_id, sha256=sha256, filename=filename,
                                               content_type=content_type, size=len(content), uploaded_by=by,
                                               created_at=at))
    return inserted_id(result)


def attachments(conn: Connection, case_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(att_t).where(att_t.c.case_id == case_id).order_by(att_t.c.id)))


def attachment(conn: Connection, case_id: int, attachment_id: int) -> Row[Any] | None:
    return conn.execute(select(att_t, blobs_t.c.content).join(blobs_t, blobs_t.c.sha256 == att_t.c.sha256)
                        .where(att_t.c.id == attachment_id, att_t.c.case_id == case_id)).first()


def attachment_events(conn: Connection, case_id: int) -> list[Row[Any]]:
    """The ``attachment_added`` history rows of a case (what each attachment's SHA-256 was when stored)."""
    return list(conn.execute(select(events_t).where(events_t.c.case_id == case_id,
                                                    events_t.c.type == "attachment_added")))


def log_document(conn: Connection, case_id: int, name: str, template_version: str, sha256: str, by: str,
                 at: datetime) -> None:
    conn.execute(insert(doclog_t).values(case_id=case_id, name=name, template_version=template_version,
                                         sha256=sha256, issued_by=by, issued_at=at))


def documents_by_hash(conn: Connection, sha256: str) -> list[Row[Any]]:
    return list(conn.execute(select(doclog_t).where(doclog_t.c.sha256 == sha256).order_by(doclog_t.c.id)))
