"""What the engine hands out about a person: frozen views, and what a viewer may see of them.

``seen`` applies the lead's visibility rules to every read: a viewer who reads the whole
record (``Policy.reads_whole_record``: the managing organization, auditors above it) gets
everything; a participant (the recommender, panel or team of a case on the person) gets
the ``participant_person_fields`` of roles.yaml, and history entries only for those
fields; anyone else gets NotFound (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import NotFound
from ..persistence import people as rows
from ..persistence.orgs import path_of
from ..persistence.tables import people_t
from ..persistence.visibility import people_conditions
from ..policy import Policy
from ..sanctions import active_on
from ..types import Actor
from .chain import KINDS


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    gender: str
    birth_date: date
    unit: str
    current_post: str
    profile: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    managing_org_id: int = 0
    managing_org: str = ""  # the organization's code
    partial: bool = False  # only the part a participant reads (Policy.reads_whole_record)
    version: int = 1
    photo_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "name": self.name, "gender": self.gender,
                "birth_date": self.birth_date.isoformat(), "unit": self.unit, "current_post": self.current_post,
                "managing_org": self.managing_org, "photo": None if self.partial else self.photo_id,
                **self.profile}

    @property
    def post_with_unit(self) -> str:
        """现任职务 as the forms print it: with its unit unless the post already names it."""
        post, unit = self.current_post.strip(), self.unit.strip()
        return post if not unit or not post or post.startswith(unit) else f"{unit}{post}"


@dataclass(frozen=True)
class MarkView:
    id: int
    kind: str
    label: str
    starts_on: date | None
    ends_on: date | None
    reason: str
    case_id: int | None

    def active_on(self, day: date) -> bool:
        if self.starts_on and day < self.starts_on:
            return False
        return self.ends_on is None or day <= self.ends_on


@dataclass(frozen=True)
class SanctionView:
    id: int
    kind: str
    label: str
    months: int | None
    decided_on: date
    decided_by: str
    reason: str
    document_no: str
    effect_until: date | None
    case_id: int | None
    recorded_by: str
    recorded_at: datetime

    def active_on(self, day: date) -> bool:
        """Whether the 影响期 still runs on ``day`` (its last day, ``effect_until``, included)."""
        return active_on(self.months, self.decided_on, self.effect_until, day)

    @property
    def period_text(self) -> str:
        if self.months == 0:
            return "无影响期"
        if self.effect_until is None:
            return f"自{self.decided_on.isoformat()}起，无截止日期"
        return f"{self.decided_on.isoformat()}至{self.effect_until.isoformat()}"


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    at: datetime
    kind: str
    actor: str
    actor_name: str
    changes: dict[str, dict[str, Any]]
    note: str
    case_id: int | None
    hash: str
    prev_hash: str

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def person_of(r: Any) -> PersonView:
    return PersonView(r.id, r.name, r.gender, r.birth_date, r.unit, r.current_post, dict(r.profile or {}),
                      r.created_at, r.updated_at, r.managing_org_id, r.org_code, False, r.version, r.photo_id)


def person_view(conn: Connection, person_id: int) -> PersonView:
    r = rows.person_row(conn, person_id)
    if r is None:
        raise NotFound(f"人员不存在：{person_id}")
    return person_of(r)


def seen(conn: Connection, policy: Policy, view: PersonView, viewer: Actor | None) -> PersonView:
    """``view`` as ``viewer`` may read it: whole, the participant's part, or NotFound."""
    if viewer is None:
        return view
    if policy.reads_whole_record(viewer, view.managing_org_id, path_of(conn, view.managing_org_id)):
        return view
    visible = people_conditions(conn, policy.people_visibility(viewer))
    if not conn.execute(select(people_t.c.id).where(people_t.c.id == view.id, *visible)).first():
        raise NotFound(f"人员不存在：{view.id}")
    keep = policy.catalog.participant_person_fields
    return replace(view, profile={k: v for k, v in view.profile.items() if k in keep}, partial=True)


def whole(conn: Connection, policy: Policy, person_id: int, viewer: Actor | None) -> PersonView:
    """The person for a viewer who reads the whole record; NotFound for anyone else (a participant
    too: the family, sanctions, photo and files are not theirs to read)."""
    view = seen(conn, policy, person_view(conn, person_id), viewer)
    if view.partial:
        raise NotFound(f"人员不存在：{person_id}")
    return view


def visible_entries(entries: list[HistoryEntry], view: PersonView, policy: Policy) -> list[HistoryEntry]:
    """The history as the reader of ``view`` may see it: a participant only the changes of the fields
    they read (entries left empty are dropped)."""
    if not view.partial:
        return entries
    keep = policy.catalog.participant_person_fields | {"name", "gender", "birth_date", "unit", "current_post"}
    out = []
    for e in entries:
        changes = {k: v for k, v in e.changes.items() if k in keep}
        if changes:
            out.append(replace(e, changes=changes))
    return out


def entry_of(r: Any) -> HistoryEntry:
    return HistoryEntry(r.seq, r.at, r.kind, r.actor, r.actor_name, dict(r.changes or {}), r.note, r.case_id,
                        r.hash, r.prev_hash)


def sanction_of(r: Any) -> SanctionView:
    return SanctionView(r.id, r.kind, r.label, r.months, r.decided_on, r.decided_by, r.reason, r.document_no,
                        r.effect_until, r.case_id, r.recorded_by, r.recorded_at)


def mark_of(r: Any) -> MarkView:
    return MarkView(r.id, r.kind, r.label, r.starts_on, r.ends_on, r.reason, r.case_id)


def mark_views(conn: Connection, person_id: int) -> list[MarkView]:
    return [mark_of(r) for r in rows.marks(conn, person_id)]
