"""The engine facade: wires the database, the definitions, the policy and the clock into the
commands and queries, and hands them out. It has no SQL and no rules of its own.

Only the web layer and the CLI import it; the modules of ``workflow/`` receive
what they need explicitly. Every state change goes through ``fire`` (or
``start_case``), one write transaction with its history event.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .access import AccessRegister
from .ballots.service import Ballots
from .calendar_store import CalendarStore
from .clock import Clock
from .clock import SystemClock
from .commands.fire import Firing
from .commands.kinship import KinshipRecusals
from .commands.records import CaseRecords
from .commands.signers import SignerAdding
from .commands.start import CaseStarter
from .commands.urge import Urging
from .commands.withdraw import Withdrawing
from .definition import DefinitionRegistry
from .definition import FormReads
from .delegations import Delegations
from .extensions import Extensions
from .extensions import builtins
from .jobs import Jobs
from .loading import load
from .notifications.inbox import Inbox
from .notifications.mail import Mailer
from .notifications.reminders import run_reminders as remind
from .notifications.write import Notifier
from .organizations import Organizations
from .people import People
from .persistence import definitions
from .persistence.db import Database
from .queries import returns
from .queries.casepage import CasePage
from .queries.casepage import CasePages
from .queries.casepage import CaseRecord
from .queries.cases import CaseReader
from .queries.copies import CopiedCases
from .queries.lists import CaseLists
from .queries.lists import CaseQuery
from .queries.records import IssuedDocument
from .queries.records import RecordReader
from .queries.reports import RecommenderReport
from .queries.reports import recommendations_by_recommender
from .queries.stats import CaseStats
from .queries.stats import Stats
from .queries.stats import StatsQuery
from .sessions import Sessions
from .settings import Settings
from .types import ActionView
from .types import Actor
from .types import Approvals
from .types import AttachmentView
from .types import CaseSnapshot
from .types import EventView
from .types import FireResult
from .types import RecusalView
from .types import Upload
from .types import VerifyReport
from .users import Users
from .verify import verify_all
from .verify import verify_case


class Engine:
    """What web views and CLI commands call."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None,
                 forms: Mapping[str, FormReads] | None = None, extensions: Extensions | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.db = Database(settings.database_url, settings.sqlite_synchronous)
        self.extensions = extensions or builtins()
        registry, self.policy = load(settings.definitions_dir, forms, self.extensions)
        self.users = Users(self.db, self.clock, self.policy)
        self.sessions = Sessions(self.db, self.clock)
        # A change of a family list recuses the newly related users on the person's open cases.
        self.people = People(self.db, self.clock, self.policy, settings.head_key,
                             lambda *change: self.kinship.family_changed(*change))
        self.calendar = CalendarStore(self.db, self.clock)
        self.orgs = Organizations(self.db, self.clock, self.policy)
        self.access = AccessRegister(self.db, self.clock, settings.head_key, self.policy)
        self.mailer = Mailer(self.db, settings.smtp)  # 消息通知 by email, sent after each commit
        self.notifications = Inbox(self.db, self.clock)
        self.jobs = Jobs(self.db, self.clock)  # background jobs as users see them (web/jobs runs them)
        self._wire(registry)
        self._synced = False

    def _wire(self, registry: DefinitionRegistry) -> None:
        key = self.settings.head_key
        self.registry = registry
        base = (self.db, registry, self.policy, self.clock)  # every Service's fields, in order
        self.reader = CaseReader(*base, guards=self.extensions.guards)
        self.notifier = Notifier(self.reader, mail=self.mailer.enabled)
        self.lists = CaseLists(*base, reader=self.reader)
        self.case_stats = CaseStats(*base)  # 统计分析 (queries/stats.py)
        self.pages = CasePages(*base, key=key, reader=self.reader)
        self.record_reader = RecordReader(self.db, self.reader)
        self.kinship = KinshipRecusals(*base, key=key, reader=self.reader, notifier=self.notifier)  # 亲属回避
        self.starter = CaseStarter(*base, key=key, reader=self.reader,
                                   actions=self.extensions.actions, notifier=self.notifier, kinship=self.kinship)
        self.firing = Firing(*base, key=key, reader=self.reader, extensions=self.extensions,
                             open_case=self.starter.create, notifier=self.notifier)
        self.records = CaseRecords(*base, key=key, reader=self.reader, notifier=self.notifier)
        self.urging = Urging(*base, key=key, reader=self.reader, per_day=self.settings.urges_per_day,
                             notifier=self.notifier)
        self.signers = SignerAdding(*base, key=key, reader=self.reader, notifier=self.notifier)
        self.withdrawing = Withdrawing(*base, key=key, reader=self.reader, notifier=self.notifier)
        self.ballots = Ballots(*base, key=key, reader=self.reader)  # 民主推荐, 民主测评, 表决 (workflow/ballots)
        self.delegations = Delegations(*base, key=key, notifier=self.notifier)  # 委托 (workflow/delegations.py)
        self.copies = CopiedCases(*base, reader=self.reader)  # 抄送 (queries/copies.py)

    # --- set-up -------------------------------------------------------------------------------

    def sync_definitions(self) -> None:
        """Record the loaded definition versions; refuse a changed file under a used version."""
        self._wire(definitions.sync(self.db, self.registry, self.settings.head_key, self.clock.now(),
                                    self.settings.organization))
        self._synced = True

    def _ready(self) -> None:
        if not self._synced:
            self.sync_definitions()

    def dispose(self) -> None:
        self.db.dispose()

    # --- commands -----------------------------------------------------------------------------

    def start_case(self, definition: str, actor: Actor, *, title: str, subject_id: int | None = None,
                   data: Mapping[str, Any] | None = None, comment: str = "") -> CaseSnapshot:
        self._ready()
        snap = self.starter.start(definition, actor, title=title, subject_id=subject_id, data=data, comment=comment)
        self.mailer.deliver()
        return snap

    def fire(self, case_id: int, event: str, actor: Actor, data: Mapping[str, Any] | None = None,
             expected_version: int | None = None, comment: str = "",
             uploads: Mapping[str, Sequence[Upload]] | None = None, cc: Sequence[str] | None = None) -> FireResult:
        """Fire ``event``; ``cc``: users to copy the case to (抄送), in the same transaction."""
        self._ready()
        result = self.firing.fire(case_id, event, actor, data, expected_version, comment, uploads,
                                  list(cc) if isinstance(cc, list | tuple) else cc)
        self.mailer.deliver()  # after the commit: a failing mail server never fails the event
        return result

    def check_event(self, case_id: int, event: str, actor: Actor, data: Mapping[str, Any] | None = None,
                    sent_files: frozenset[str] = frozenset()) -> None:
        """``fire``'s checks without firing: raises ValidationFailed/GuardFailed/... or returns."""
        self._ready()
        self.firing.check(case_id, event, actor, data, sent_files)

    def add_recusal(self, case_id: int, username: str, reason: str, actor: Actor) -> RecusalView:
        self._ready()
        return self.records.add_recusal(case_id, username, reason, actor)

    def urge(self, case_id: int, username: str, text: str, actor: Actor) -> datetime:
        """催办: urge ``username``, a holder of the case, with ``text`` (a history event; throttled)."""
        self._ready()
        at = self.urging.urge(case_id, username, text, actor)
        self.mailer.deliver()
        return at

    def add_signer(self, case_id: int, username: str, reason: str, actor: Actor, event: str | None = None
                   ) -> tuple[str, Approvals]:
        """加签: add ``username`` to the 会签 waiting in the case's state (history event ``signer_added``).

        Returns (the event, its approvals after the addition)."""
        self._ready()
        added = self.signers.add_signer(case_id, username, reason, actor, event)
        self.mailer.deliver()
        return added

    def withdraw(self, case_id: int, actor: Actor, expected_version: int | None = None,
                 comment: str = "") -> FireResult:
        """撤回: take back ``actor``'s own last step (history event ``step_withdrawn``)."""
        self._ready()
        result = self.withdrawing.withdraw(case_id, actor, expected_version, comment)
        self.mailer.deliver()
        return result

    def add_attachment(self, case_id: int, filename: str, content: bytes, actor: Actor) -> AttachmentView:
        self._ready()
        return self.records.add_attachment(case_id, filename, content, actor)

    def record_document(self, case_id: int, name: str, title: str, template_version: str, sha256: str,
                        actor: Actor | None, *, issue: bool = True, content: bytes | None = None) -> None:
        self._ready()
        self.records.record_document(case_id, name, title, template_version, sha256, actor if issue else None,
                                     by=actor.username if actor else None, content=content)

    def issued_copy(self, case_id: int, name: str, template_version: str, viewer: Actor | None
                    ) -> tuple[int, bytes] | None:
        """The copy issuing this form again hands out: the last one, while the case is unchanged since."""
        self._ready()
        return self.record_reader.issued_copy(case_id, name, template_version, viewer)

    def issued(self, case_id: int, seq: int, viewer: Actor | None) -> tuple[str, bytes]:
        """(title, PDF) of the form the case's event ``seq`` issued (NotFound when not kept)."""
        self._ready()
        return self.record_reader.issued(case_id, seq, viewer)

    def check_document_reader(self, case_id: int, actor: Actor) -> None:
        """Refuses (404/403) a reader who may not have this case's forms; checked before rendering one."""
        self._ready()
        self.records.check_document_reader(case_id, actor)

    # --- queries ------------------------------------------------------------------------------

    def get_case(self, case_id: int, viewer: Actor | None = None) -> CaseSnapshot:
        self._ready()
        return self.reader.get_case(case_id, viewer)

    def history(self, case_id: int, viewer: Actor | None = None) -> list[EventView]:
        self._ready()
        return self.reader.history(case_id, viewer)

    def actions(self, case_id: int, actor: Actor) -> tuple[list[ActionView], list[tuple[str, str]]]:
        self._ready()
        return self.reader.actions(case_id, actor)

    def available_events(self, case_id: int, actor: Actor) -> list[str]:
        return [a.event for a in self.actions(case_id, actor)[0]]

    def withdrawable(self, case_id: int, actor: Actor) -> str | None:
        """The label of the step ``actor`` may take back now (撤回), or None."""
        self._ready()
        return self.reader.withdrawable(case_id, actor)

    def approval_status(self, case_id: int, viewer: Actor | None = None) -> list[tuple[str, str, Approvals]]:
        self._ready()
        return self.reader.approval_status(case_id, viewer)

    def list_cases(self, q: CaseQuery, viewer: Actor | None = None, *, with_actions: bool = False
                   ) -> tuple[list[CaseSnapshot], int]:
        self._ready()
        return self.lists.list_cases(q, viewer, with_actions=with_actions)

    def todo(self, actor: Actor, page: int = 1, per_page: int = 50, text: str | None = None
             ) -> tuple[list[CaseSnapshot], int]:
        self._ready()
        return self.lists.todo(actor, page, per_page, text)

    def returned(self, cases: Sequence[CaseSnapshot]) -> frozenset[int]:
        """Which of these cases (already read by the caller) were last moved by a return (退回)."""
        self._ready()
        return returns.returned_ids(self.db, self.registry, cases)

    def last_return(self, case: CaseSnapshot, history: Sequence[EventView]) -> EventView | None:
        """The return event that is the case's last move, if it is one (退回 banner)."""
        return returns.last_return(self.registry, case, history)

    def case_heads(self, ids: Sequence[int], every: bool = False, year: int | None = None,
                   viewer: Actor | None = None) -> list[tuple[int, str]]:
        """(id, head hash) of the cases to export, in id order (those ``viewer`` may see)."""
        self._ready()
        return self.lists.case_heads(ids, every, year, viewer)

    def case_page(self, case_id: int, viewer: Actor) -> CasePage:
        self._ready()
        return self.pages.case_page(case_id, viewer)

    def case_record(self, case_id: int, viewer: Actor | None) -> CaseRecord:
        """The case, its history, subject, linked cases and verification, as a document prints them."""
        self._ready()
        return self.pages.case_record(case_id, viewer)

    def recusals(self, case_id: int, viewer: Actor | None = None) -> list[RecusalView]:
        return self.record_reader.recusals(case_id, viewer)

    def attachments(self, case_id: int, viewer: Actor | None = None) -> list[AttachmentView]:
        return self.record_reader.attachments(case_id, viewer)

    def attachment(self, case_id: int, attachment_id: int, viewer: Actor | None = None
                   ) -> tuple[AttachmentView, bytes]:
        return self.record_reader.attachment(case_id, attachment_id, viewer)

    def find_document(self, sha256: str) -> list[IssuedDocument]:
        return self.record_reader.find_document(sha256)

    def recommendations_report(self, viewer: Actor) -> list[RecommenderReport]:
        self._ready()
        return recommendations_by_recommender(self.db, self.registry, self.policy, viewer)

    def run_reminders(self, now: datetime | None = None) -> int:
        """临期 and 逾期 notifications for the holders of open cases (idempotent); how many were added."""
        self._ready()
        self.delegations.refresh_holders()
        return remind(self, now)

    def stats(self, query: StatsQuery, viewer: Actor) -> Stats:
        """统计分析 over the cases ``viewer`` may see (PermissionDenied without ``read_stats``)."""
        self._ready()
        return self.case_stats.stats(query, viewer, self.calendar.calendar())

    # --- verification -------------------------------------------------------------------------

    def verify(self, progress: Any = None) -> VerifyReport:
        with self.db.read() as conn:
            return verify_all(conn, self.settings.head_key, self.registry, progress)

    def verify_case(self, case_id: int) -> VerifyReport:
        """Verify one case's chain, head and ledger entry (the case page's 核验 status)."""
        with self.db.read() as conn:
            return verify_case(conn, self.settings.head_key, self.registry, case_id)
