"""The ballot tables (workflow/ballots): kept apart so that nothing stored links a voter to a choice.

``ballots`` holds each ballot's definition and, once closed, its tally; ``ballot_codes`` the HMAC of
each one-time code and whether it was used; ``ballot_box`` what was chosen, under a random id;
``ballot_receipts`` the receipts, published after closing. The last three are SQLite ``WITHOUT
ROWID`` tables keyed by random values, so their storage order says nothing of arrival; none has a
time column. ``ballot_named_votes`` holds the votes of named ballots (not anonymous by design).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .models import Base


class Ballot(Base):
    """A ballot on a case (民主推荐, 民主测评, 表决): its items, who may vote, and after closing its tally.

    What voters chose is in ``ballot_box``, who has voted in ``ballot_codes``; see workflow/ballots.
    """

    __tablename__ = "ballots"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    named: Mapped[bool] = mapped_column(Boolean, default=False)
    voters: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[Any]] = mapped_column(default=list)
    members: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(8), default="open")
    deadline: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None]
    tally: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    box_hash: Mapped[str] = mapped_column(String(64), default="")


class BallotCode(Base):
    """A one-time voting code, kept only as its HMAC, with whether it has been used. No time, no order."""

    __tablename__ = "ballot_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"), index=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = {"sqlite_with_rowid": False}


class BallotSlips(Base):
    """The codes of a ballot sealed under the instance key, only until the first vote (printing the slips)."""

    __tablename__ = "ballot_slips"
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"), primary_key=True, autoincrement=False)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class BallotContent(Base):
    """One cast ballot: what was chosen, under a random id. No code, no voter, no address, no time."""

    __tablename__ = "ballot_box"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"), index=True)
    choices: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = {"sqlite_with_rowid": False}


class BallotReceipt(Base):
    """The receipt handed to a voter, published after closing; not linked to any ballot's content."""

    __tablename__ = "ballot_receipts"
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"), primary_key=True, autoincrement=False)
    receipt: Mapped[str] = mapped_column(String(32), primary_key=True)

    __table_args__ = {"sqlite_with_rowid": False}


class NamedVote(Base):
    """A member's vote on a named ballot (讨论决定 逐一表态): not anonymous by design."""

    __tablename__ = "ballot_named_votes"
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id"), primary_key=True, autoincrement=False)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    choices: Mapped[dict[str, Any]] = mapped_column(default=dict)
    receipt: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
