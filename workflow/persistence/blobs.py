"""Content stored once by its SHA-256 (``blobs``): attachments, photos, the issued copies of forms."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.engine import Connection

from .tables import blobs_t


def store_blob(conn: Connection, content: bytes, sha256: str | None = None) -> str:
    """The SHA-256 of ``content``, stored once (content-addressed)."""
    digest = sha256 or hashlib.sha256(content).hexdigest()
    if conn.execute(select(blobs_t.c.sha256).where(blobs_t.c.sha256 == digest)).first() is None:
        conn.execute(insert(blobs_t).values(sha256=digest, size=len(content), content=content))
    return digest


def blob(conn: Connection, sha256: str) -> bytes | None:
    row = conn.execute(select(blobs_t.c.content).where(blobs_t.c.sha256 == sha256)).first()
    return bytes(row.content) if row is not None else None
