"""Reading what is recorded on a case: recusals, attachments (with their bytes), issued documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from typing import NamedTuple

from ..errors import NotFound
from ..persistence import records
from ..persistence.db import Database
from ..types import Actor
from ..types import AttachmentView
from ..types import RecusalView
from .cases import CaseReader


class IssuedDocument(NamedTuple):
    case_id: int
    name: str
    template_version: str
    issued_by: str
    issued_at: datetime


class RecordReader:
    def __init__(self, db: Database, reader: CaseReader) -> None:
        self.db = db
        self.reader = reader

    def recusals(self, case_id: int, viewer: Actor | None = None) -> list[RecusalView]:
        with self.db.read() as conn:
            self.reader.load_visible(conn, case_id, viewer)
            return [RecusalView(r.username, r.reason, r.recorded_by, r.created_at)
                    for r in records.recusals(conn, case_id)]

    def attachments(self, case_id: int, viewer: Actor | None = None) -> list[AttachmentView]:
        with self.db.read() as conn:
            self.reader.load_visible(conn, case_id, viewer)
            return [attachment_view(r) for r in records.attachments(conn, case_id)]

    def attachment(self, case_id: int, attachment_id: int, viewer: Actor | None = None
                   ) -> tuple[AttachmentView, bytes]:
        with self.db.read() as conn:
            self.reader.load_visible(conn, case_id, viewer)
            r = records.attachment(conn, case_id, attachment_id)
        if r is None:
            raise NotFound(f"附件不存在：{attachment_id}")
        return attachment_view(r), bytes(r.content)

    def find_document(self, sha256: str) -> list[IssuedDocument]:
        """Which case and template a printed PDF came from."""
        with self.db.read() as conn:
            return [IssuedDocument(r.case_id, r.name, r.template_version, r.issued_by, r.issued_at)
                    for r in records.documents_by_hash(conn, sha256)]


def attachment_view(r: Any) -> AttachmentView:
    return AttachmentView(r.id, r.case_id, r.filename, r.sha256, r.size, r.content_type, r.uploaded_by,
                          r.created_at)
