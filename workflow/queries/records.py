"""Reading what is recorded on a case: recusals, attachments (with their bytes), issued documents."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any
from typing import NamedTuple

from .. import audit
from ..errors import CaseTampered
from ..errors import NotFound
from ..persistence import cases as store
from ..persistence import records
from ..persistence.blobs import blob
from ..persistence.db import Database
from ..types import Actor
from ..types import AttachmentView
from ..types import RecusalView
from .cases import CaseReader

log = logging.getLogger(__name__)
ISSUED = "document_issued"


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
        """The attachment and its bytes, checked against the SHA-256 its chained event recorded.

        CaseTampered (logged) when the stored bytes, the attachment row and the event disagree.
        """
        with self.db.read() as conn:
            case = self.reader.load_visible(conn, case_id, viewer)
            r = records.attachment(conn, case_id, attachment_id)
            if r is None:
                raise NotFound(f"附件不存在：{attachment_id}")
            recorded = [ev for ev in records.attachment_events(conn, case_id)
                        if isinstance(ev.data, dict) and ev.data.get("attachment_id") == attachment_id]
        content = bytes(r.content)
        problem = ""
        if len(recorded) != 1 or audit.row_hash(recorded[0], case.full_hash_from) != recorded[0].hash:
            problem = f"附件{attachment_id}的历史记录缺失或与哈希不符"
        elif hashlib.sha256(content).hexdigest() != r.sha256 or r.sha256 != recorded[0].data.get("sha256"):
            problem = f"附件{attachment_id}的存储内容与历史记录中的SHA-256不符（文件被替换）"
        if problem:
            log.error("case %s: attachment %s refused: %s", case_id, attachment_id, problem)
            raise CaseTampered(case_id, [problem], "提供该附件")
        return attachment_view(r), content

    def issued_copy(self, case_id: int, name: str, template_version: str, viewer: Actor | None
                    ) -> tuple[int, bytes] | None:
        """(seq, the PDF) of the form's last issuance on this template version, while the case has not
        changed since (nothing after it but other issuances): issuing it again hands out that copy."""
        with self.db.read() as conn:
            self.reader.load_visible(conn, case_id, viewer)
            items = store.history_items(conn, case_id)
            for item in reversed(items):
                if item.type != ISSUED:
                    return None  # the case changed after the last issuance
                if item.data.get("document") == name and item.data.get("template_version") == template_version:
                    content = blob(conn, str(item.data.get("sha256")))
                    return None if content is None else (item.seq, content)
            return None

    def issued(self, case_id: int, seq: int, viewer: Actor | None) -> tuple[str, bytes]:
        """(title, the PDF) issued by the case's event ``seq``, checked against the SHA-256 it recorded;
        NotFound when that event issued nothing or its copy was not kept (issued before copies were)."""
        with self.db.read() as conn:
            self.reader.load_visible(conn, case_id, viewer)
            item = next((i for i in store.history_items(conn, case_id) if i.seq == seq and i.type == ISSUED), None)
            content = blob(conn, str(item.data.get("sha256"))) if item is not None else None
        if item is None or content is None or hashlib.sha256(content).hexdigest() != item.data.get("sha256"):
            raise NotFound(f"没有保存这份出具的文书（第{seq}条记录）")
        return str(item.data.get("title") or item.data.get("document")), content

    def find_document(self, sha256: str) -> list[IssuedDocument]:
        """Which case and template a printed PDF came from."""
        with self.db.read() as conn:
            return [IssuedDocument(r.case_id, r.name, r.template_version, r.issued_by, r.issued_at)
                    for r in records.documents_by_hash(conn, sha256)]


def attachment_view(r: Any) -> AttachmentView:
    return AttachmentView(r.id, r.case_id, r.filename, r.sha256, r.size, r.content_type, r.uploaded_by,
                          r.created_at)
