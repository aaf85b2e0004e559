"""Frozen value objects that cross the engine boundary.

The engine hands out these snapshots, never ORM objects, so templates and
documents cannot lazy-load or change anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user with the roles they hold."""

    username: str
    name: str = ""
    roles: frozenset[str] = frozenset()
    unit: str = ""
    org_id: int = 0
    org_path: str = ""  # "/1/4/": the organization and its ancestors (see workflow.organizations)

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def display(self) -> str:
        return self.name or self.username


@dataclass(frozen=True)
class LinkView:
    case_id: int
    definition: str
    relation: str
    state: str = ""
    state_label: str = ""
    title: str = ""


@dataclass(frozen=True)
class CaseSnapshot:
    id: int
    definition: str
    definition_version: int
    definition_title: str
    title: str
    state: str
    state_label: str
    final: bool
    version: int
    subject_id: int | None
    data: dict[str, Any]
    created_by: str
    created_at: datetime
    updated_at: datetime
    state_entered_at: datetime
    due_at: datetime | None
    overdue: bool
    links: tuple[LinkView, ...] = ()
    available_events: tuple[str, ...] = ()
    recused: tuple[str, ...] = ()
    org_id: int = 0
    org_path: str = ""
    readers: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()  # who can move the case forward now (当前办理人), usernames
    holder_names: tuple[str, ...] = ()  # their display names, in the same order
    warnings: tuple[str, ...] = ()  # hints, not refusals (任职回避提示: queries/kinship.py); one case read only


@dataclass(frozen=True)
class HistoryItem:
    """One history event as rules read it (no hashes)."""

    seq: int
    type: str
    event: str | None
    from_state: str | None
    to_state: str | None
    actor: str
    role: str
    at: datetime
    data: Mapping[str, Any]
    on_behalf_of: str | None = field(default=None, kw_only=True)  # 委托: the delegator the actor acted for

    @property
    def principal(self) -> str:
        """Whose step the event is: the delegator's when a delegate fired it, else the actor's."""
        return self.on_behalf_of or self.actor


@dataclass(frozen=True)
class EventView(HistoryItem):
    """One history event as stored, with its hashes (data already sealed for the viewer)."""

    actor_name: str
    comment: str
    hash: str
    prev_hash: str
    sealed: bool = False
    on_behalf_of_name: str = field(default="", kw_only=True)

    @property
    def actor_text(self) -> str:
        """The actor as pages and PDFs print them: 「张三（代李四）」 for a delegate."""
        name = self.actor_name or self.actor
        if self.on_behalf_of is None:
            return name
        return f"{name}（代{self.on_behalf_of_name or self.on_behalf_of}）"


@dataclass(frozen=True)
class Approvals:
    required: int
    given: int
    approvers: tuple[str, ...] = ()
    awaited: tuple[str, ...] = ()


@dataclass(frozen=True)
class FireResult:
    case: CaseSnapshot
    waiting: Approvals | None = None

    @property
    def completed(self) -> bool:
        return self.waiting is None


@dataclass(frozen=True)
class ActionView:
    """An event the actor may fire now, with what a form needs."""

    event: str
    label: str
    fields: tuple[Any, ...]
    confirm: str = ""
    kind: str = "forward"
    approvals: Approvals | None = None
    dest: str = ""
    dest_label: str = ""
    offers: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # a field's only possible values


@dataclass(frozen=True)
class VerifyProblem:
    case_id: int | None
    seq: int | None
    problem: str
    person_id: int | None = None  # a problem of a person's record (its history chain, a photo)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    cases: int
    events: int
    problems: tuple[VerifyProblem, ...] = field(default_factory=tuple)
    people: int = 0
    person_entries: int = 0


@dataclass(frozen=True)
class LinkedCase:
    case_id: int
    definition: str
    relation: str
    state: str
    state_label: str
    final: bool
    subject_id: int | None
    data: Mapping[str, Any]
    labels: Mapping[str, str] = field(default_factory=dict)
    """The label of each choice value ``data`` holds (``{"conclusion": "不宜任用"}``), from its definition."""


MARK_KINDS = {"influence_period": "影响期", "concealment": "个人有关事项瞒报", "other": "其他不宜提拔情形"}


@dataclass(frozen=True)
class PersonMark:
    """A blocking mark on a person (影响期, 瞒报, ...) with its period."""

    kind: str
    label: str
    starts_on: date | None
    ends_on: date | None
    reason: str = ""

    def active_on(self, day: date) -> bool:
        if self.starts_on and day < self.starts_on:
            return False
        return self.ends_on is None or day <= self.ends_on


@dataclass(frozen=True)
class RecusalView:
    username: str
    reason: str
    recorded_by: str
    created_at: datetime


@dataclass(frozen=True)
class Upload:
    """A file sent with an event or to a case: its name as sent and its bytes."""

    filename: str
    content: bytes


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
