"""Things recorded on a case besides its state: recusals, attachments, issued documents.

Each is one row plus one history event under the case's hash chain, in one
transaction. None of them moves the state or bumps the case version.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import filetype
from sqlalchemy import insert
from sqlalchemy import select

from .errors import NotFound
from .errors import PermissionDenied
from .errors import TooLarge
from .errors import ValidationFailed
from .models import Attachment
from .models import Blob
from .models import DocumentLog
from .models import Recusal
from .models import User
from .models import inserted_id
from .models import table
from .permissions import RECUSAL_SOURCE
from .types import Actor

if TYPE_CHECKING:
    from .engine import Engine

att_t = table(Attachment)
blobs_t = table(Blob)
doclog_t = table(DocumentLog)
recusals_t = table(Recusal)
users_t = table(User)
MAX_ATTACHMENT = 20 * 1024 * 1024
ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/ofd": "OFD",
}
RECORDING_ROLES = ("officer", "reviewer", "admin")


@dataclass(frozen=True)
class AttachmentView:
    id: int
    case_id: int
    filename: str
    sha256: str
    size: int
    content_type: str
    uploaded_by: str
    created_at: datetime


@dataclass(frozen=True)
class RecusalView:
    username: str
    reason: str
    recorded_by: str
    created_at: datetime


def detect_type(content: bytes) -> str | None:
    """The content type by the bytes themselves (never the file name), or None if not allowed."""
    if content[:5] == b"%PDF-":
        return "application/pdf"
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "OFD.xml" in names:
            return "application/ofd"
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return None
    kind = filetype.guess(content)
    if kind is not None and kind.mime in ("image/jpeg", "image/png"):
        return str(kind.mime)
    return None


def clean_filename(name: str) -> str:
    name = (name or "").replace("\\", "/").split("/")[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name[:200] or "附件"


class CaseRecords:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _business_role(self, actor: Actor, allowed: tuple[str, ...]) -> str:
        role = next((r for r in allowed if r in actor.roles), None)
        if role is None:
            if "auditor" in actor.roles and len(actor.roles) == 1:
                raise PermissionDenied("监督检查人员为只读角色，不能修改案件")
            raise PermissionDenied("您没有办理此项的角色")
        return role

    # --- recusals --------------------------------------------------------------------------------

    def add_recusal(self, case_id: int, username: str, reason: str, actor: Actor) -> RecusalView:
        """Record that ``username`` recuses on a case: from now they can neither act nor be assigned."""
        self.engine.ensure_ready()
        self_declared = username == actor.username and bool(actor.roles - {"auditor", "admin"})
        role = "self" if self_declared and not set(RECORDING_ROLES) & actor.roles else None
        if role is None:
            role = self._business_role(actor, RECORDING_ROLES)
        errors = {}
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            errors["reason"] = "回避事由：此项为必填项"
        elif len(reason) > 2000:
            errors["reason"] = "回避事由：不得超过2000个字"
        with self.engine.w.begin() as conn:
            row = self.engine.store.lock_case(conn, case_id)
            if not isinstance(username, str) or conn.execute(
                    select(users_t.c.id).where(users_t.c.username == username)).first() is None:
                errors["username"] = f"用户：不存在 {username}"
            if errors:
                raise ValidationFailed(errors)
            if actor.username in self.engine.store.recused(conn, case_id) and not self_declared:
                raise PermissionDenied(f"您已回避本案件，不能办理（回避制度，{RECUSAL_SOURCE}）")
            if username in self.engine.store.recused(conn, case_id):
                raise ValidationFailed({"username": f"用户：{username} 已登记回避"})
            now = self.engine.now()
            conn.execute(insert(recusals_t).values(case_id=case_id, username=username, reason=reason,
                                                   recorded_by=actor.username, created_at=now))
            self.engine.store.append_event(conn, row, "recusal_recorded", None, None, None, actor, role, now,
                                           {"username": username, "reason": reason}, "", bump=True)
        return RecusalView(username, reason, actor.username, now)

    def recusals(self, case_id: int) -> list[RecusalView]:
        with self.engine.db.connect() as conn:
            rows = conn.execute(select(recusals_t).where(recusals_t.c.case_id == case_id).order_by(recusals_t.c.id))
            return [RecusalView(r.username, r.reason, r.recorded_by, r.created_at) for r in rows]

    # --- attachments -----------------------------------------------------------------------------

    def add_attachment(self, case_id: int, filename: str, content: bytes, actor: Actor) -> AttachmentView:
        """Store a file on a case, content-addressed by SHA-256; type checked from the bytes."""
        self.engine.ensure_ready()
        if len(content) > MAX_ATTACHMENT:
            raise TooLarge(f"附件不得超过20 MiB（现为{len(content) / 1048576:.1f} MiB）")
        if not content:
            raise ValidationFailed({"file": "附件：文件为空"})
        content_type = detect_type(content)
        if content_type is None:
            raise ValidationFailed({"file": "附件：只接受 PDF、JPEG、PNG、DOCX、OFD 文件"
                                            "（按文件内容识别，不看扩展名）"})
        digest = hashlib.sha256(content).hexdigest()
        name = clean_filename(filename)
        with self.engine.w.begin() as conn:
            row = self.engine.store.lock_case(conn, case_id)
            d = self.engine.registry.get(row.definition_key, row.definition_version)
            roles = tuple({r for t in d.transitions for r in t.roles} | set(d.start.roles))
            role = self._business_role(actor, roles)
            if actor.username in self.engine.store.recused(conn, case_id):
                raise PermissionDenied(f"您已回避本案件，不能办理（回避制度，{RECUSAL_SOURCE}）")
            if row.final:
                raise PermissionDenied("案件已办结，不能再添加附件")
            if conn.execute(select(blobs_t.c.sha256).where(blobs_t.c.sha256 == digest)).first() is None:
                conn.execute(insert(blobs_t).values(sha256=digest, size=len(content), content=content))
            now = self.engine.now()
            result = conn.execute(insert(att_t).values(case_id=case_id, sha256=digest, filename=name,
                                                       content_type=content_type, size=len(content),
                                                       uploaded_by=actor.username, created_at=now))
            aid = inserted_id(result)
            self.engine.store.append_event(conn, row, "attachment_added", None, None, None, actor, role, now,
                                           {"attachment_id": aid, "filename": name, "sha256": digest,
                                            "size": len(content), "content_type": content_type}, "", bump=True)
        return AttachmentView(aid, case_id, name, digest, len(content), content_type, actor.username, now)

    def attachments(self, case_id: int) -> list[AttachmentView]:
        with self.engine.db.connect() as conn:
            rows = conn.execute(select(att_t).where(att_t.c.case_id == case_id).order_by(att_t.c.id))
            return [AttachmentView(r.id, r.case_id, r.filename, r.sha256, r.size, r.content_type, r.uploaded_by,
                                   r.created_at) for r in rows]

    def attachment(self, case_id: int, attachment_id: int) -> tuple[AttachmentView, bytes]:
        with self.engine.db.connect() as conn:
            r = conn.execute(select(att_t, blobs_t.c.content).join(blobs_t, blobs_t.c.sha256 == att_t.c.sha256)
                             .where(att_t.c.id == attachment_id, att_t.c.case_id == case_id)).first()
        if r is None:
            raise NotFound(f"附件不存在：{attachment_id}")
        view = AttachmentView(r.id, r.case_id, r.filename, r.sha256, r.size, r.content_type, r.uploaded_by,
                              r.created_at)
        return view, bytes(r.content)

    # --- issued documents ------------------------------------------------------------------------

    def record_document(self, case_id: int, name: str, title: str, template_version: str, sha256: str,
                        actor: Actor, *, in_history: bool = True) -> None:
        """Record that a PDF was handed out: template, version and the PDF's SHA-256.

        Official forms also go into the case history (``in_history``); a case-history
        PDF fetched by an auditor is only logged, so reading never changes a case.
        """
        now = self.engine.now()
        with self.engine.w.begin() as conn:
            row = self.engine.store.lock_case(conn, case_id)
            conn.execute(insert(doclog_t).values(case_id=case_id, name=name, template_version=template_version,
                                                 sha256=sha256, issued_by=actor.username, issued_at=now))
            if in_history:
                role = next((r for r in sorted(actor.roles) if r not in ("auditor", "admin")),
                            next(iter(sorted(actor.roles)), ""))
                self.engine.store.append_event(conn, row, "document_issued", None, None, None, actor, role, now,
                                               {"document": name, "title": title,
                                                "template_version": template_version, "sha256": sha256},
                                               "", bump=True)

    def find_document(self, sha256: str) -> list[tuple[int, str, str, str, datetime]]:
        """Which case and template a printed PDF came from: (case_id, name, version, by, at)."""
        with self.engine.db.connect() as conn:
            rows = conn.execute(select(doclog_t).where(doclog_t.c.sha256 == sha256).order_by(doclog_t.c.id))
            return [(r.case_id, r.name, r.template_version, r.issued_by, r.issued_at) for r in rows]
