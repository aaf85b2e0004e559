"""查阅登记, the read-access register: who read which case or record, when, from where.

Every view of a case page or a person's record, every download of a history PDF,
a form or an attachment, and every export is a row, appended under a hash chain
whose head is MAC'd (``cadreflow verify`` checks it). Auditors browse it within
what they may see; the numbers of the rows go into the watermarks of the PDFs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select

from .clock import Clock
from .persistence import access
from .persistence.db import Database
from .persistence.tables import access_t
from .persistence.tables import cases_t
from .persistence.tables import people_t
from .persistence.visibility import case_conditions
from .persistence.visibility import people_conditions
from .policy import Policy
from .types import Actor

ACTIONS = ("view", "download", "export", "delegate", "revoke")
OBJECTS = ("case", "person", "history_pdf", "document", "attachment", "export", "delegation")
ACTION_LABELS = {"view": "查阅", "download": "下载", "export": "导出", "delegate": "委托", "revoke": "撤销"}
OBJECT_LABELS = {"case": "案件", "person": "干部信息", "history_pdf": "全程记录", "document": "文书",
                 "attachment": "附件", "export": "导出", "delegation": "委托"}
OPERATOR = "cli"


@dataclass(frozen=True)
class AccessEntry:
    seq: int
    at: datetime
    username: str
    action: str
    object: str
    case_id: int | None
    person_id: int | None
    detail: str
    address: str


class AccessRegister:
    def __init__(self, db: Database, clock: Clock, key: bytes, policy: Policy) -> None:
        self.db = db
        self.clock = clock
        self.key = key
        self.policy = policy

    def record(self, actor: Actor | None, action: str, object_: str, *, case_id: int | None = None,
               person_id: int | None = None, detail: str = "", address: str = "") -> int:
        """Append one read; returns its number (the reference a watermark carries)."""
        if action not in ACTIONS or object_ not in OBJECTS:
            raise ValueError(f"unknown access {action} {object_}")
        with self.db.write() as conn:
            return access.append(conn, self.key, self.clock.now(), actor.username if actor else OPERATOR, action,
                                 object_, case_id, person_id, detail[:500], (address or "")[:64])

    def entries(self, viewer: Actor, *, case_id: int | None = None, person_id: int | None = None,
                username: str | None = None, page: int = 1, per_page: int = 50) -> tuple[list[AccessEntry], int]:
        """One page of the register for an auditor: the reads of cases and records ``viewer`` may see."""
        self.policy.require(viewer, "read_audit")
        conds: list[Any] = []
        with self.db.read() as conn:
            if self.policy.has(viewer, "read_cases") or self.policy.has(viewer, "read_people"):
                cases = select(cases_t.c.id).where(*case_conditions(conn, self.policy.case_visibility(viewer)))
                people = select(people_t.c.id).where(*people_conditions(conn, self.policy.people_visibility(viewer)))
                conds.append(or_(access_t.c.case_id.in_(cases), access_t.c.person_id.in_(people),
                                 access_t.c.object == "delegation"))  # 委托 (workflow/delegations.py)
            if case_id is not None:
                conds.append(access_t.c.case_id == case_id)
            if person_id is not None:
                conds.append(access_t.c.person_id == person_id)
            if username:
                conds.append(access_t.c.username == username)
            rows, total = access.entries(conn, conds, page, per_page)
        return [AccessEntry(r.seq, r.at, r.username, r.action, r.object, r.case_id, r.person_id, r.detail,
                            r.address) for r in rows], total
