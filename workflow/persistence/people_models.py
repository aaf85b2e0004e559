"""The tables of the cadre record (workflow/people): a person, the chained history of its changes,
its sanctions, photos and marks. Registered on the same metadata as workflow/persistence/models.py."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .models import Base


class Person(Base):
    """A cadre: what the 干部任免审批表 needs. Rarely-searched facts live in ``profile``."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    managing_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str] = mapped_column(String(4))
    birth_date: Mapped[date] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(200), default="")
    current_post: Mapped[str] = mapped_column(String(200), default="")
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The record is versioned (PATCH with expected_version) and every change is chained in
    # person_history; the head (count, last hash) is MAC'd like a case's (migration 0006).
    version: Mapped[int] = mapped_column(Integer, default=1)
    photo_id: Mapped[int | None] = mapped_column(Integer)
    head_seq: Mapped[int] = mapped_column(Integer, default=0)
    head_hash: Mapped[str] = mapped_column(String(64), default="")
    head_mac: Mapped[str] = mapped_column(String(64), default="")


class PersonHistory(Base):
    """One change of a person's record: who, when, each field's old and new value. Append-only;
    chained by SHA-256 per person (workflow/people/chain.py)."""

    __tablename__ = "person_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(100), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[int | None] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("person_id", "seq", name="uq_person_history_person_seq"),)


class PersonSanction(Base):
    """处分、问责、组织处理、诫勉: the decision and its 影响期 (``effect_until``, computed from the kind)."""

    __tablename__ = "person_sanctions"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100))
    months: Mapped[int | None] = mapped_column(Integer)
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    document_no: Mapped[str] = mapped_column(String(100), default="")
    effect_until: Mapped[date | None] = mapped_column(Date)
    case_id: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime]


class PersonPhoto(Base):
    """A photo of a person (JPEG or PNG), its bytes in ``blobs``; ``people.photo_id`` is the current one."""

    __tablename__ = "person_photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class PersonMark(Base):
    """A blocking mark on a person: 影响期, 瞒报, ... with its period."""

    __tablename__ = "person_marks"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
