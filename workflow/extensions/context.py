"""What a guard or an action may look at: a read-only view of the case, built by the engine."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import Any

from ..steps import since_entering
from ..types import Actor
from ..types import HistoryItem
from ..types import LinkedCase
from ..types import PersonMark
from ..workdays import WorkCalendar


@dataclass(frozen=True)
class PersonCase:
    """Another case of the same person (the subject), as a rule reads it: 试用期 is a state of one."""

    case_id: int
    definition: str
    state: str
    state_label: str
    title: str


def _no_cases() -> list[PersonCase]:
    return []


@dataclass
class GuardContext:
    """Read-only facts for one (case, event) check. Loaders run lazily, once."""

    case_id: int | None
    definition: str
    state: str
    case_data: Mapping[str, Any]
    data: Mapping[str, Any]
    actor: Actor
    now: datetime
    today: date
    subject_id: int | None
    recused: frozenset[str]
    _calendar: Callable[[], WorkCalendar]
    _history: Callable[[], list[HistoryItem]]
    _links: Callable[[], list[LinkedCase]]
    _person: Callable[[], Mapping[str, Any] | None]
    _marks: Callable[[], list[PersonMark]]
    _cache: dict[str, Any] = field(default_factory=dict)
    field_label: Callable[[str], str] = field(default=str)
    """The Chinese label of a field of this case's definition (for refusal messages)."""
    choice_label: Callable[[str, Any], str] = field(default=lambda name, value: str(value))
    """The label of a choice field's value (会议推荐 for ``meeting``)."""
    _person_of: Callable[[int], Mapping[str, Any] | None] = field(default=lambda pid: None)
    _marks_of: Callable[[int], list[PersonMark]] = field(default=lambda pid: [])
    _person_cases: Callable[[], list[PersonCase]] = field(default=_no_cases)
    person_label: Callable[[str], str] = field(default=str)
    """The Chinese label of a field of the person record (任现职务时间...)."""

    def value(self, name: str) -> Any:
        """A field's value: the submitted data first, else what the case holds."""
        if name in self.data:
            return self.data[name]
        return self.case_data.get(name)

    def _once(self, key: str, loader: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = loader()
        return self._cache[key]

    @property
    def calendar(self) -> WorkCalendar:
        cal: WorkCalendar = self._once("calendar", self._calendar)
        return cal

    @property
    def history(self) -> list[HistoryItem]:
        items: list[HistoryItem] = self._once("history", self._history)
        return items

    @property
    def links(self) -> list[LinkedCase]:
        items: list[LinkedCase] = self._once("links", self._links)
        return items

    @property
    def person(self) -> Mapping[str, Any] | None:
        p: Mapping[str, Any] | None = self._once("person", self._person)
        return p

    @property
    def marks(self) -> list[PersonMark]:
        items: list[PersonMark] = self._once("marks", self._marks)
        return items

    def person_of(self, person_id: int) -> Mapping[str, Any] | None:
        """Another person's record (a candidate of a 差额 list), read once."""
        found: Mapping[str, Any] | None = self._once(f"person:{person_id}", lambda: self._person_of(person_id))
        return found

    def marks_of(self, person_id: int) -> list[PersonMark]:
        found: list[PersonMark] = self._once(f"marks:{person_id}", lambda: self._marks_of(person_id))
        return found
    @property
    def person_cases(self) -> list[PersonCase]:
        """The subject's other cases (this one left out), oldest first."""
        items: list[PersonCase] = self._once("person_cases", self._person_cases)
        return items

    def events_since_entering(self, state: str | None = None) -> list[HistoryItem]:
        """History since the case last entered ``state`` (default: its current state), withdrawn steps left out."""
        return since_entering(self.history, state or self.state)
