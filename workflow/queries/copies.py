"""The 抄送 list: the cases copied to a user that they may still read, newest copy first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..errors import CaseNotFound
from ..persistence import cases as store
from ..persistence import daily
from ..service import Service
from ..types import Actor
from ..types import CaseSnapshot
from .cases import CaseReader


@dataclass(frozen=True)
class CopyView:
    case: CaseSnapshot
    by: str
    at: datetime


@dataclass(frozen=True)
class CopiedCases(Service):
    reader: CaseReader

    def copied_to(self, viewer: Actor, limit: int = 200) -> list[CopyView]:
        """The cases copied to ``viewer`` (a case they may no longer see, e.g. recused since, is left out)."""
        out = []
        with self.db.read() as conn:
            for r in daily.copies_to(conn, viewer.username)[:limit]:
                try:
                    snap = self.reader.snapshot_on(conn, store.load_case(conn, r.case_id), viewer, with_actions=False)
                except CaseNotFound:
                    continue
                out.append(CopyView(snap, r.copied_by, r.at))
        return out
