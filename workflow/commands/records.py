"""Things recorded on a case besides its state: recusals, attachments, issued documents.

Each is its row plus one history event under the case's hash chain, in one
transaction. None of them moves the state or bumps the case version. Who may
record what is the policy's (``record_recusals``, ``declare_recusal``,
``add_attachments``, ``issue_documents``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from ..errors import ValidationFailed
from ..notifications.write import Notifier
from ..persistence import cases as store
from ..persistence import records
from ..persistence.blobs import store_blob
from ..types import Actor
from ..types import AttachmentView
from ..types import RecusalView
from ..types import Upload
from . import events
from .base import CaseCommand
from .uploads import checked
from .uploads import store as store_upload

OPERATOR = "cli"  # the instance's operator at the command line (a document log's issued_by)


def recuse(conn: Connection, key: bytes, row: Any, username: str, reason: str, actor: Actor, role: str,
           now: datetime, notifier: Notifier | None) -> Any:
    """The one write of a recusal on the locked case ``row``: its row, its ``recusal_recorded`` event
    under the case's chain and seal, and the user no longer a holder. Returns the row as it is now."""
    records.add_recusal(conn, row.id, username, reason, actor.username, now)
    after = events.record(conn, key, row, "recusal_recorded", actor, role, now,
                          {"username": username, "reason": reason},
                          also={"recused_names": row.recused_names | {username}})
    if notifier is not None:
        notifier.recused(conn, row.id, username)
    return after


@dataclass(frozen=True)
class CaseRecords(CaseCommand):
    notifier: Notifier | None = None

    def add_recusal(self, case_id: int, username: str, reason: str, actor: Actor) -> RecusalView:
        """Record that ``username`` recuses on a case: from now they can neither act nor be assigned."""
        errors = {}
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            errors["reason"] = "回避事由：此项为必填项"
        elif len(reason) > 2000:
            errors["reason"] = "回避事由：不得超过2000个字"
        with self.db.write() as conn:
            row = store.lock_case(conn, case_id)
            scope = self.reader.scope(conn, row, row.recused_names)
            own = username == actor.username
            if own and self.policy.can(actor, "declare_recusal", scope) and not self.policy.can(
                    actor, "record_recusals", scope):
                role = "self"
            else:
                role = self.policy.require(actor, "record_recusals", scope)
            if not isinstance(username, str) or store.user_roles(conn, username) is None:
                errors["username"] = f"用户：不存在 {username}"
            if errors:
                raise ValidationFailed(errors)
            if username in row.recused_names:
                raise ValidationFailed({"username": f"用户：{username} 已登记回避"})
            now = self.clock.now()
            recuse(conn, self.key, row, username, reason, actor, role, now, self.notifier)
        return RecusalView(username, reason, actor.username, now)

    def add_attachment(self, case_id: int, filename: str, content: bytes, actor: Actor) -> AttachmentView:
        """Store a file on a case, content-addressed by SHA-256; type checked from the bytes."""
        upload = Upload(filename, content)
        content_type = checked(upload)
        with self.db.write() as conn:
            row = store.lock_case(conn, case_id)
            role = self.policy.require(actor, "add_attachments",
                                       self.reader.scope(conn, row, row.recused_names))
            _, stored = store_upload(conn, self.key, row, actor, role, self.clock.now(), upload, content_type)
        return stored

    def record_document(self, case_id: int, name: str, title: str, template_version: str, sha256: str,
                        actor: Actor | None, by: str | None = None, content: bytes | None = None) -> None:
        """Record that a PDF was handed out: template, version and the PDF's SHA-256.

        An official form issued by someone who may issue documents also goes into the
        case history; any other PDF (a history read by an auditor, an export at the
        command line, ``actor`` None) is only logged, so reading never changes a case.
        """
        with self.db.write() as conn:
            row = store.lock_case(conn, case_id)
            now = self.clock.now()
            records.log_document(conn, case_id, name, template_version, sha256,
                                 by or (actor.username if actor else OPERATOR), now)
            scope = self.reader.scope(conn, row, row.recused_names)
            if actor is not None and name in {d.name for d in scope.definition.documents} and self.policy.can(
                    actor, "issue_documents", scope):
                role = self.policy.require(actor, "issue_documents", scope)
                if content is not None:  # the issued copy, kept: issuing again unchanged hands it out
                    store_blob(conn, content, sha256)
                events.record(conn, self.key, row, "document_issued", actor, role, now,
                              {"document": name, "title": title, "template_version": template_version,
                               "sha256": sha256})

    def check_document_reader(self, case_id: int, actor: Actor) -> None:
        """CaseNotFound or PermissionDenied unless ``actor`` may have this case's forms (checked before rendering)."""
        with self.db.read() as conn:
            row = store.load_case(conn, case_id)
            self.reader.visible(conn, row, actor, store.recused(conn, case_id))
