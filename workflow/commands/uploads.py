"""Storing an attachment on a case: the blob (content-addressed by SHA-256), the attachment row and
its ``attachment_added`` event, on the caller's write transaction.

A file that comes with an event (a file field) is stored by ``store_uploads``
inside the event's own transaction, so a refused event leaves no attachment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from ..definition.schema import TransitionDef
from ..errors import TooLarge
from ..errors import ValidationFailed
from ..files import MAX_ATTACHMENT
from ..files import clean_filename
from ..files import inspect
from ..persistence import records
from ..types import Actor
from ..types import AttachmentView
from ..types import Upload
from . import events


def checked(upload: Upload) -> str:
    """The content type of an acceptable upload; TooLarge or ValidationFailed (field ``file``) otherwise."""
    if len(upload.content) > MAX_ATTACHMENT:
        raise TooLarge(f"附件不得超过{MAX_ATTACHMENT // 1048576}MB（现为{len(upload.content) / 1048576:.1f}MB）")
    if not upload.content:
        raise ValidationFailed({"file": "附件：文件为空"})
    found = inspect(upload.content)
    if found.content_type is None:
        raise ValidationFailed({"file": found.problem})
    return found.content_type


def store(conn: Connection, key: bytes, row: Any, actor: Actor, role: str, at: datetime, upload: Upload,
          content_type: str) -> tuple[Any, AttachmentView]:
    """Store one checked upload on the case of ``row``; (the row after its event, what was stored)."""
    digest = hashlib.sha256(upload.content).hexdigest()
    name = clean_filename(upload.filename, content_type)
    aid = records.add_attachment(conn, row.id, digest, upload.content, name, content_type, actor.username, at)
    stored = AttachmentView(aid, row.id, name, digest, len(upload.content), content_type, actor.username, at)
    row = events.record(conn, key, row, "attachment_added", actor, role, at,
                        {"attachment_id": aid, "filename": name, "sha256": digest, "size": stored.size,
                         "content_type": content_type})
    return row, stored


def store_uploads(conn: Connection, key: bytes, row: Any, t: TransitionDef, actor: Actor, role: str,
                  at: datetime, uploads: Mapping[str, Sequence[Upload]]) -> tuple[Any, dict[str, Any]]:
    """Store the files of ``t``'s file fields; (the row after them, {field: attachment id or ids})."""
    out: dict[str, Any] = {}
    for name, files in uploads.items():
        f = t.field(name)
        if f is None or f.type != "file":
            raise ValidationFailed({name: f"{name}：“{t.label}”没有这个附件字段"})
        ids = []
        for upload in files:
            try:
                content_type = checked(upload)
            except ValidationFailed as exc:
                why = "；".join(m.split("：", 1)[-1] for m in exc.fields.values())
                raise ValidationFailed({f.name: f"{f.label}：{why}"}) from exc
            row, stored = store(conn, key, row, actor, role, at, upload, content_type)
            ids.append(stored.id)
        if ids:
            out[name] = ids if f.multiple else ids[0]
    return row, out
