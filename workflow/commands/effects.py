"""The ``Effects`` an action may use, bound to one case inside the engine's write transaction.

What an action sets on the case (``set_data``) is also written into the
history event of the transition it belongs to; opening or linking a case and
marking a person happen on the same connection, so a refused event leaves none
of them behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from typing import Protocol

from sqlalchemy.engine import Connection

from ..clock import SHANGHAI
from ..definition import DefinitionRegistry
from ..definition.schema import ProcessDefinition
from ..errors import ValidationFailed
from ..people import records as person_records
from ..people.chain import Writer
from ..people.fields import check_person
from ..people.views import person_view
from ..persistence import cases as store
from ..persistence import people as person_rows
from ..types import Actor
from ..types import PersonMark
from . import events


class OpenCase(Protocol):
    """Creates a case inside the caller's transaction; returns its id (``CaseStarter.create``)."""

    def __call__(self, conn: Connection, d: ProcessDefinition, actor: Actor, role: str, title: str,
                 subject_id: int | None, data: dict[str, Any], comment: str = "",
                 parent: tuple[int, str] | None = None) -> int: ...


class CaseEffects:
    def __init__(self, conn: Connection, row: Any, actor: Actor, role: str, now: datetime,
                 registry: DefinitionRegistry, open_case: OpenCase, key: bytes = b"") -> None:
        self.conn = conn
        self.row = row
        self.actor = actor
        self.role = role
        self.now = now
        self.registry = registry
        self._open_case = open_case
        self.key = key
        self.writer = Writer(key)
        self.data: dict[str, Any] = {}
        self.linked = False  # whether this event linked the case to another

    def set_data(self, key: str, value: Any) -> None:
        self.data[key] = value

    def next_number(self, counter: str) -> int:
        return store.next_number(self.conn, counter)

    def open_case(self, definition: str, relation: str, title: str, data: Mapping[str, Any],
                  subject_id: int | None = None) -> int:
        child = self.registry.get(definition)
        subject = self.row.subject_id if subject_id is None else subject_id
        case_id = self._open_case(self.conn, child, self.actor, self.role, title or self.row.title,
                                  subject, dict(data), parent=(self.row.id, relation))
        store.add_link(self.conn, self.row.id, case_id, relation, "parent", self.now)
        events.reseal(self.conn, self.key, case_id)
        self.linked = True
        return case_id

    def link_case(self, case_id: int, relation: str) -> None:
        store.add_link(self.conn, self.row.id, case_id, relation, f"{relation}_of", self.now)
        events.reseal(self.conn, self.key, case_id)
        self.linked = True

    def find_cases(self, definitions: list[str], states: list[str], subject_id: int | None) -> list[int]:
        return store.find_cases(self.conn, definitions, states, subject_id)

    def add_mark(self, mark: PersonMark) -> None:
        if self.row.subject_id is None:
            return
        person_records.add_mark(self.conn, self.writer, self.row.subject_id, mark, self.actor, self.now,
                                case_id=self.row.id)
        marks = list(self.data.get("marks_added") or [])
        marks.append({"kind": mark.kind, "label": mark.label,
                      "starts_on": mark.starts_on.isoformat() if mark.starts_on else None,
                      "ends_on": mark.ends_on.isoformat() if mark.ends_on else None})
        self.data["marks_added"] = marks

    def update_person(self, changes: Mapping[str, Any], note: str, person_id: int | None = None) -> dict[str, Any]:
        """Change facts of the case's person, or of ``person_id`` (validated like a PATCH), recorded in
        the person's history. Returns the changes (field: old/new); a refusal refuses the event."""
        target = self.row.subject_id if person_id is None else person_id
        if target is None:
            return {}
        current = person_view(self.conn, target).as_dict()
        try:
            clean = check_person(changes, self.now.astimezone(SHANGHAI).date(), partial=True, current=current)
        except ValidationFailed as exc:
            raise ValidationFailed({k: f"干部信息{v}" for k, v in exc.fields.items()}) from None
        return person_records.apply_facts(self.conn, self.writer, target, clean, self.actor, self.now,
                                          kind="appointment", note=note, case_id=self.row.id)

    def add_sanction(self, data: Mapping[str, Any], note: str) -> dict[str, Any] | None:
        """Record a sanction of the case's person through the register (its 影响期 from its kind)."""
        if self.row.subject_id is None:
            return None
        sid = person_records.add_sanction(self.conn, self.writer, self.row.subject_id, data, self.actor, self.now,
                                          self.now.astimezone(SHANGHAI).date(), case_id=self.row.id, note=note)
        added = next(s for s in person_rows.sanctions(self.conn, self.row.subject_id) if s.id == sid)
        entry = {"id": sid, "kind": added.kind, "decided_on": added.decided_on.isoformat(),
                 "effect_until": added.effect_until.isoformat() if added.effect_until else None}
        self.data["sanctions_added"] = [*(self.data.get("sanctions_added") or []), entry]
        return entry
