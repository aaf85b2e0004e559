"""What the ballot service hands out: frozen views, never rows."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from ..ballot_kinds import kind_label


@dataclass(frozen=True)
class BallotView:
    id: int
    case_id: int
    kind: str
    title: str
    status: str
    voters: int
    cast: int
    named: bool = False
    members: tuple[str, ...] = ()
    items: tuple[dict[str, Any], ...] = ()
    deadline: datetime | None = None
    created_by: str = ""
    created_at: datetime | None = None
    closed_at: datetime | None = None
    tally: dict[str, Any] | None = None
    box_hash: str = ""
    printable: bool = False  # its slips can still be printed (no vote cast yet)
    voted: frozenset[str] = field(default_factory=frozenset)  # named ballots: who has voted

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class VoterBallot:
    """What a code's holder sees before voting: the ballot, nothing about the others."""

    title: str
    kind: str
    items: tuple[dict[str, Any], ...]

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def view_of(row: Any, cast: int, printable: bool = False, voted: frozenset[str] = frozenset()) -> BallotView:
    return BallotView(
        id=row.id, case_id=row.case_id, kind=row.kind, title=row.title, status=row.status, voters=row.voters,
        cast=cast, named=bool(row.named), members=tuple(row.members or ()),
        items=tuple(dict(i) for i in row.items or ()), deadline=row.deadline, created_by=row.created_by,
        created_at=row.created_at, closed_at=row.closed_at, tally=dict(row.tally) if row.tally else None,
        box_hash=row.box_hash or "", printable=printable, voted=voted)
