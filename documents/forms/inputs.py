"""What a form's builder may read, and nothing more: the declared fields, events and person facts.

``Form`` declares, beside its template, the case data keys (``fields``), the events
and the person facts it reads. ``cadreflow definitions check`` verifies each
declaration against every definition that lists the form (a renamed field fails
the check instead of printing a blank), and ``FormInputs`` refuses at render time
any read the form did not declare.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from datetime import datetime
from typing import Any

from workflow.definition.schema import FormReads
from workflow.definition.schema import ProcessDefinition
from workflow.people import PersonView
from workflow.types import CaseSnapshot
from workflow.types import EventView

from .. import present
from ..filters import cn_date

ORGANIZATION = "中共××市委组织部"


class UndeclaredRead(KeyError):
    """A form read a field or event it did not declare."""


class Declared(dict[str, Any]):
    """A mapping of case or event data that answers only the declared keys."""

    def __init__(self, data: Mapping[str, Any], allowed: frozenset[str], form: str) -> None:
        super().__init__(data)
        self.allowed = allowed
        self.form = form

    def _check(self, key: str) -> None:
        if key not in self.allowed:
            raise UndeclaredRead(f"文书 {self.form} 读取了未声明的字段 {key}")

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self._check(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self._check(key)
        return super().__getitem__(key)


@dataclass(frozen=True)
class Form:
    """One official form: its title, template, version, what it reads and its context builder."""

    name: str
    title: str
    template: str
    version: str
    build: Callable[[FormInputs], dict[str, Any]]
    fields: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    person: tuple[str, ...] = ()
    ballots: tuple[str, ...] = ()  # the kinds of closed ballot whose tally it prints (workflow/ballots)

    def reads(self) -> FormReads:
        return FormReads(self.title, self.fields, self.events, self.person)


@dataclass(frozen=True)
class FormInputs:
    """The case as the form's reader may see it, its history, subject, linked cases and users."""

    form: Form
    case: CaseSnapshot
    definition: ProcessDefinition
    events: tuple[EventView, ...]
    subject: PersonView | None
    names: Mapping[str, str]
    today: date
    now: datetime
    linked: tuple[CaseSnapshot, ...] = ()
    organization: str = ORGANIZATION
    units: Mapping[str, str] = field(default_factory=dict)
    subject_photo: tuple[str, bytes] | None = None  # (content type, bytes), for forms that print the photo

    @property
    def data(self) -> Declared:
        return Declared(self.case.data, frozenset(self.form.fields), self.form.name)

    def get(self, name: str, default: Any = "") -> Any:
        """A case data value, or ``default`` when the field was not filled in."""
        value = self.data.get(name)
        return default if value is None or value == "" else value

    def shown(self, name: str) -> str:
        """A case data value as a reader sees it (labels, 是/否, names, dates); ``—`` when empty."""
        return present.show(self.data.get(name), self.definition.find_field(name), self.names)

    def label(self, name: str) -> str:
        self.data.get(name)
        return present.label(self.definition, name)

    def events_of(self, *triggers: str) -> list[EventView]:
        """History events fired by one of ``triggers`` (transitions and approvals), in order."""
        for trigger in triggers:
            if trigger not in self.form.events:
                raise UndeclaredRead(f"文书 {self.form.name} 读取了未声明的事件 {trigger}")
        allowed = frozenset(self.form.fields)
        return [_declared(e, allowed, self.form.name) for e in self.events
                if e.event in triggers and e.type in ("transition_fired", "approval_recorded")]

    def last_event(self, *triggers: str) -> EventView | None:
        found = self.events_of(*triggers)
        return found[-1] if found else None

    def tallies(self, kind: str) -> list[dict[str, Any]]:
        """The tallies of the case's closed ballots of ``kind`` (``ballot_closed`` events), in order."""
        if kind not in self.form.ballots:
            raise UndeclaredRead(f"文书 {self.form.name} 读取了未声明的投票结果 {kind}")
        return [dict(e.data) for e in self.events if e.type == "ballot_closed" and e.data.get("kind") == kind]

    def name_of(self, username: str) -> str:
        return self.names.get(username, username)

    def subject_or_fail(self) -> PersonView:
        if self.subject is None:
            raise ValueError(f"案件{self.case.id}没有所涉干部，不能生成此文书")
        return self.subject


def _declared(e: EventView, allowed: frozenset[str], form: str) -> EventView:
    return replace(e, data=Declared(e.data, allowed, form))


def base_context(inputs: FormInputs, title: str) -> dict[str, Any]:
    """The keys every form template uses."""
    return {
        "doc_title": title,
        "title": title,
        "organization": inputs.organization,
        "issued_on": cn_date(inputs.today),
        "case_no": inputs.case.id,
        "case_title": inputs.case.title,
    }
