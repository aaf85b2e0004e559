"""The demo's runner: opens a case once (by procedure and title) and moves it through the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflow import Actor
from workflow import CaseQuery
from workflow import Engine

Step = tuple[str, str, Mapping[str, Any]]


@dataclass
class Demo:
    engine: Engine
    actors: dict[str, Actor]
    people: dict[str, int]

    def open(self, definition: str, title: str, name: str, who: str = "officer1",
             data: Mapping[str, Any] | None = None) -> int | None:
        """Start a case unless one with this procedure and title exists (then None)."""
        found, _ = self.engine.list_cases(CaseQuery(definition=definition, text=title, per_page=200))
        if any(c.title == title for c in found):
            return None
        case = self.engine.start_case(definition, self.actors[who], title=title, subject_id=self.people[name],
                                      data=dict(data or {}))
        return case.id

    def run(self, case_id: int, steps: list[Step]) -> None:
        for event, who, data in steps:
            current = self.engine.get_case(case_id)
            self.engine.fire(case_id, event, self.actors[who], dict(data), expected_version=current.version)

    def child(self, case_id: int, key: str) -> int:
        return int(self.engine.get_case(case_id).data[key])
