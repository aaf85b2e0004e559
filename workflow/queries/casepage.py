"""Everything one viewer reads about one case at once, on ONE read snapshot.

``case_page`` serves the case page; ``case_record`` the documents (a form or the
case-history PDF): the same case, history, subject and linked cases that the
page shows, sealed for the same viewer, plus the chain's verification and head
for the history PDF. Reading on one snapshot, the parts always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime

from sqlalchemy.engine import Connection

from ..definition.schema import ProcessDefinition
from ..errors import NotFound
from ..people import MarkView
from ..people import PersonView
from ..people import mark_views
from ..people import person_view
from ..people import seen
from ..persistence import cases as store
from ..persistence import records
from ..service import Service
from ..types import ActionView
from ..types import Actor
from ..types import Approvals
from ..types import AttachmentView
from ..types import CaseSnapshot
from ..types import EventView
from ..types import RecusalView
from ..types import VerifyReport
from ..verify import verify_case
from .cases import CaseReader
from .facts import case_facts
from .kinship import case_warnings
from .records import attachment_view


@dataclass(frozen=True)
class CasePage:
    case: CaseSnapshot
    definition: ProcessDefinition
    history: tuple[EventView, ...]
    actions: tuple[ActionView, ...]
    blocked: tuple[tuple[str, str], ...]
    approvals: tuple[tuple[str, str, Approvals], ...]
    attachments: tuple[AttachmentView, ...]
    recusals: tuple[RecusalView, ...]
    subject: PersonView | None
    marks: tuple[MarkView, ...]
    verify: VerifyReport | None


@dataclass(frozen=True)
class CaseRecord:
    """What a document prints about a case, as its reader may see it."""

    case: CaseSnapshot
    definition: ProcessDefinition
    events: tuple[EventView, ...]
    subject: PersonView | None
    linked: tuple[CaseSnapshot, ...]
    report: VerifyReport
    head_seq: int
    head_hash: str
    read_at: datetime


@dataclass(frozen=True)
class CasePages(Service):
    key: bytes
    reader: CaseReader

    def case_page(self, case_id: int, viewer: Actor) -> CasePage:
        with self.db.read() as conn:
            row = store.load_case(conn, case_id)
            recused = store.recused(conn, case_id)
            snap = self.reader.snapshot_on(conn, row, viewer, with_actions=False, recused=recused)
            allowed, blocked = self.reader.actions_on(conn, row, viewer, case_facts(conn, row, recused))
            snap = replace(_with_events(snap, tuple(a.event for a in allowed)),
                           warnings=case_warnings(conn, self.policy, row, viewer))
            verify = verify_case(conn, self.key, self.registry, case_id) \
                if self.policy.has(viewer, "verify_chain") else None
            return CasePage(
                case=snap, definition=self.reader.definition(row),
                history=tuple(self.reader.history_on(conn, row, viewer)), actions=tuple(allowed),
                blocked=tuple(blocked), approvals=tuple(self.reader.approvals_on(conn, row)),
                attachments=tuple(attachment_view(r) for r in records.attachments(conn, case_id)),
                recusals=tuple(RecusalView(r.username, r.reason, r.recorded_by, r.created_at)
                               for r in records.recusals(conn, case_id)),
                subject=(subject := self._subject(conn, row.subject_id, viewer)),
                marks=tuple(mark_views(conn, subject.id)) if subject is not None and not subject.partial else (),
                verify=verify)

    def case_record(self, case_id: int, viewer: Actor | None) -> CaseRecord:
        with self.db.read() as conn:
            row = store.load_case(conn, case_id)
            snap = self.reader.snapshot_on(conn, row, viewer, with_actions=False)
            linked = []
            for link in store.links(conn, case_id):
                try:
                    linked.append(self.reader.snapshot_on(conn, store.load_case(conn, link.target_id), viewer,
                                                          with_actions=False))
                except NotFound:  # a linked case the reader may not see is left out
                    continue
            return CaseRecord(
                case=snap, definition=self.reader.definition(row),
                events=tuple(self.reader.history_on(conn, row, viewer)),
                subject=self._subject(conn, row.subject_id, viewer),
                linked=tuple(linked), report=verify_case(conn, self.key, self.registry, case_id),
                head_seq=row.head_seq, head_hash=row.head_hash, read_at=self.reader.clock.now())

    def _subject(self, conn: Connection, person_id: int | None, viewer: Actor | None) -> PersonView | None:
        """The case's subject as ``viewer`` reads the record (a participant: only the part their work needs)."""
        if person_id is None:
            return None
        try:
            return seen(conn, self.policy, person_view(conn, person_id), viewer)
        except NotFound:
            return None


def _with_events(snap: CaseSnapshot, events: tuple[str, ...]) -> CaseSnapshot:
    return replace(snap, available_events=events)
