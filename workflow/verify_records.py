"""What verify checks of a case beside its chain: its recusals, links, attachments and copies (抄送).

``CaseRecords`` streams the recusal, link and attachment rows of every case in
case id order next to the cases (merge joins: nothing is kept but the current
case's rows). Recusals and attachments are compared with what the chained
events recorded (``Recorded``); attachments' stored bytes with their SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .persistence.tables import att_t
from .persistence.tables import blobs_t
from .persistence.tables import copies_t
from .persistence.tables import links_t
from .persistence.tables import recusals_t
from .types import VerifyProblem

Stream = Callable[[Connection, Any], Iterator[Any]]
BLOB_BATCH = 8  # attachments come with their bytes (up to 20 MiB each): a few rows at a time


def _blobs(conn: Connection, stmt: Any) -> Iterator[Any]:
    yield from conn.execution_options(stream_results=True, yield_per=BLOB_BATCH).execute(stmt)


class _Grouped:
    """The rows of one case at a time from a stream ordered by case id."""

    def __init__(self, rows: Iterator[Any]) -> None:
        self.rows = rows
        self.next = next(rows, None)

    def take(self, case_id: int) -> list[Any]:
        while self.next is not None and self.next.case_id < case_id:
            self.next = next(self.rows, None)
        out = []
        while self.next is not None and self.next.case_id == case_id:
            out.append(self.next)
            self.next = next(self.rows, None)
        return out


class Recorded:
    """What one case's chained events recorded: recusals (username: reason), attachments (id: SHA-256)."""

    def __init__(self) -> None:
        self.recusals: dict[str, str] = {}
        self.attachments: dict[int, str] = {}
        self.copies: set[str] = set()

    def see(self, ev: Any) -> None:
        data = ev.data if isinstance(ev.data, dict) else {}
        if ev.type == "recusal_recorded":
            self.recusals[str(data.get("username"))] = str(data.get("reason"))
        elif ev.type == "attachment_added" and isinstance(data.get("attachment_id"), int):
            self.attachments[data["attachment_id"]] = str(data.get("sha256"))
        elif ev.type == "case_copied" and isinstance(data.get("users"), list):
            self.copies.update(str(u) for u in data["users"])


RECUSALS = select(recusals_t.c.case_id, recusals_t.c.username, recusals_t.c.reason)
LINKS = select(links_t.c.case_id, links_t.c.target_id, links_t.c.relation)
COPIES = select(copies_t.c.case_id, copies_t.c.username)
ATTACHMENTS = (select(att_t.c.case_id, att_t.c.id, att_t.c.sha256, blobs_t.c.content)
               .join(blobs_t, blobs_t.c.sha256 == att_t.c.sha256, isouter=True))


class CaseRecords:
    """The recusal, link and attachment rows of each case, streamed (``all``) or of one case (``one``)."""

    def __init__(self, groups: tuple[Any, Any, Any, Any]) -> None:
        self.groups = groups

    @classmethod
    def all(cls, conn: Connection, stream: Stream) -> CaseRecords:
        return cls((_Grouped(stream(conn, RECUSALS.order_by(recusals_t.c.case_id, recusals_t.c.id))),
                    _Grouped(stream(conn, LINKS.order_by(links_t.c.case_id, links_t.c.id))),
                    _Grouped(_blobs(conn, ATTACHMENTS.order_by(att_t.c.case_id, att_t.c.id))),
                    _Grouped(stream(conn, COPIES.order_by(copies_t.c.case_id, copies_t.c.username)))))

    @classmethod
    def one(cls, conn: Connection, stream: Stream, case_id: int) -> CaseRecords:
        return cls((_Grouped(stream(conn, RECUSALS.where(recusals_t.c.case_id == case_id))),
                    _Grouped(stream(conn, LINKS.where(links_t.c.case_id == case_id))),
                    _Grouped(_blobs(conn, ATTACHMENTS.where(att_t.c.case_id == case_id).order_by(att_t.c.id))),
                    _Grouped(stream(conn, COPIES.where(copies_t.c.case_id == case_id)))))

    def take(self, case_id: int) -> tuple[list[Any], list[str], list[Any], list[str]]:
        """(recusal rows, "target:relation" of each link, attachment rows with their blob's bytes,
        the users the case was copied to)."""
        recusals, links, attachments, copies = (g.take(case_id) for g in self.groups)
        return recusals, [f"{r.target_id}:{r.relation}" for r in links], attachments, [r.username for r in copies]


def check_records(case_id: int, recorded: Recorded, recusals: list[Any], attachments: list[Any],
                  add: Callable[[VerifyProblem], None], copies: list[str] | None = None) -> None:
    """Recusal and attachment rows against the events that recorded them; stored bytes against SHA-256."""
    def problem(text: str) -> None:
        add(VerifyProblem(case_id, None, text))

    seen = set()
    for r in recusals:
        seen.add(r.username)
        if r.username not in recorded.recusals:
            problem(f"回避登记“{r.username}”未见于历史记录（回避登记被添加）")
        elif recorded.recusals[r.username] != r.reason:
            problem(f"回避登记“{r.username}”的事由与历史记录不符（回避登记被改写）")
    for username in recorded.recusals:
        if username not in seen:
            problem(f"历史记录中的回避登记“{username}”已不存在（回避登记被删除）")
    ids = set()
    for a in attachments:
        ids.add(a.id)
        if a.content is None:
            problem(f"附件{a.id}的存储内容已不存在（文件被删除）")
        elif hashlib.sha256(a.content).hexdigest() != a.sha256:
            problem(f"附件{a.id}的存储内容与记录的SHA-256不符（文件被替换）")
        if a.id not in recorded.attachments:
            problem(f"附件{a.id}未见于历史记录（附件被添加）")
        elif recorded.attachments[a.id] != a.sha256:
            problem(f"附件{a.id}的SHA-256与历史记录不符（附件被改写）")
    for aid in recorded.attachments:
        if aid not in ids:
            problem(f"历史记录中的附件{aid}已不存在（附件被删除）")
    for username in sorted(set(copies or ()) - recorded.copies):
        problem(f"抄送“{username}”未见于历史记录（抄送被添加）")
