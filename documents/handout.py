"""Handing a PDF or a file to a reader: registered in 查阅登记 first, then watermarked for that reader.

Pages, the API and the export all hand out documents through these functions, so
every download is registered and every PDF carries its reader's watermark.
"""

from __future__ import annotations

from workflow import Actor
from workflow import Engine
from workflow.errors import ValidationFailed
from workflow.files import pdf_problem
from workflow.types import AttachmentView

from .watermark import OPERATOR
from .watermark import Watermark
from .watermark import stamp


def watermark_for(engine: Engine, actor: Actor | None, action: str, object_: str, case_id: int | None,
                  detail: str = "", address: str = "") -> Watermark:
    """Register the read and return the watermark that names its reader and the register's row."""
    seq = engine.access.record(actor, action, object_, case_id=case_id, detail=detail, address=address)
    now = engine.clock.now()
    if actor is None:
        return Watermark(OPERATOR, "cli", engine.settings.organization, now, seq)
    organization = engine.orgs.by_id(actor.org_id).name if actor.org_id else engine.settings.organization
    return Watermark(actor.name or actor.username, actor.username, organization, now, seq)


def attachment(engine: Engine, case_id: int, attachment_id: int, actor: Actor, address: str = ""
               ) -> tuple[AttachmentView, bytes]:
    """An attachment as ``actor`` downloads it: registered; a PDF watermarked for them."""
    view, content = engine.attachment(case_id, attachment_id, actor)
    mark = watermark_for(engine, actor, "download", "attachment", case_id, view.filename, address)
    if view.content_type == "application/pdf":
        if pdf_problem(content):  # stored before uploads were parsed: never hand it out unmarked
            raise ValidationFailed({"file": "附件：该 PDF 已损坏，无法加盖查阅水印，不能下载"})
        content = stamp(content, mark)
    return view, content
