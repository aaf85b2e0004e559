"""The Effects an action may use, bound to one case inside the engine's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.engine import Row

from .definition import DefinitionRegistry
from .definition.schema import ProcessDefinition
from .types import Actor

if TYPE_CHECKING:
    from .store import Store


class CaseEffects:
    def __init__(self, store: Store, conn: Connection, row: Row[Any], d: ProcessDefinition, actor: Actor,
                 role: str, now: datetime, registry: DefinitionRegistry) -> None:
        self.store = store
        self.conn = conn
        self.row = row
        self.d = d
        self.actor = actor
        self.role = role
        self.now = now
        self.registry = registry
        self.data: dict[str, Any] = {}
        self.linked = False  # whether this event linked the case to another

    def set_data(self, key: str, value: Any) -> None:
        self.data[key] = value

    def next_number(self, counter: str) -> int:
        return self.store.next_number(self.conn, counter)

    def open_case(self, definition: str, relation: str, title: str, data: Mapping[str, Any]) -> int:
        child = self.registry.get(definition)
        case_id = self.store.create_case(self.conn, child, self.actor, self.role, title or self.row.title,
                                         self.row.subject_id, dict(data), "", parent=(self.row.id, relation))
        self.store.add_link(self.conn, self.row.id, case_id, relation, "parent")
        self.linked = True
        return case_id

    def link_case(self, case_id: int, relation: str) -> None:
        self.store.add_link(self.conn, self.row.id, case_id, relation, f"{relation}_of")
        self.linked = True

    def find_cases(self, definitions: list[str], states: list[str], subject_id: int | None) -> list[int]:
        return self.store.find_cases(self.conn, definitions, states, subject_id)

    def add_mark(self, kind: str, label: str, starts_on: date | None, ends_on: date | None,
                 reason: str) -> None:
        if self.row.subject_id is None:
            return
        self.store.add_mark(self.conn, self.row.subject_id, kind, label, starts_on, ends_on, reason,
                            self.row.id, self.actor.username)
        marks = list(self.data.get("marks_added") or [])
        marks.append({"kind": kind, "label": label, "starts_on": starts_on.isoformat() if starts_on else None,
                      "ends_on": ends_on.isoformat() if ends_on else None})
        self.data["marks_added"] = marks

    def finish(self) -> None:
        """Nothing is queued beyond the transaction; kept for symmetry with the docs."""
