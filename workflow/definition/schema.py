"""Frozen dataclasses a definition file is loaded into. Nothing mutates them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

FIELD_TYPES = (
    "text", "textarea", "integer", "number", "date", "datetime", "boolean",
    "choice", "multichoice", "person", "user", "file", "table",
)
# What a column of a ``table`` field may be: a scalar, never a table, a list or a file.
COLUMN_TYPES = ("text", "integer", "number", "date", "choice", "boolean", "person", "user")
MAX_ROWS = 200  # a table's rows when its definition sets no max_items


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FieldDef:
    name: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    role: str | None = None
    multiple: bool = False
    min_items: int | None = None
    max_items: int | None = None
    columns: tuple[FieldDef, ...] = ()  # a ``table``'s columns, each a scalar field
    not_future: bool = False
    required_if: tuple[str, tuple[Any, ...]] | None = None
    line: int = 0

    def choice_label(self, value: Any) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "label": self.label, "type": self.type,
                               "required": self.required}
        if self.help:
            out["help"] = self.help
        if self.choices:
            out["choices"] = [{"value": c.value, "label": c.label} for c in self.choices]
        for key in ("min", "max", "min_length", "max_length", "role", "min_items", "max_items"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.multiple:
            out["multiple"] = True
        if self.not_future:
            out["not_future"] = True
        if self.required_if:
            out["required_if"] = {"field": self.required_if[0], "in": list(self.required_if[1])}
        if self.type == "table":
            out["columns"] = [c.to_api() for c in self.columns]
            out["max_items"] = self.row_limit
        return out

    @property
    def row_limit(self) -> int:
        """The most rows a ``table`` takes (its ``max_items``, else MAX_ROWS)."""
        return self.max_items or MAX_ROWS

    def column(self, name: str) -> FieldDef | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class GuardRef:
    name: str
    params: dict[str, Any]
    rule: str
    source: str
    line: int = 0


@dataclass(frozen=True)
class ActionRef:
    name: str
    params: dict[str, Any]
    line: int = 0


@dataclass(frozen=True)
class ApprovalRule:
    """N distinct approvers, or every user named in a field (a team, a panel)."""

    count: int | None = None
    members_field: str | None = None


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    label: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    fields: tuple[FieldDef, ...] = ()
    conditions: tuple[GuardRef, ...] = ()
    actions: tuple[ActionRef, ...] = ()
    approvals: ApprovalRule | None = None
    distinct_from: tuple[str, ...] = ()
    actors_field: str | None = None
    once_per_actor: bool = False
    append_to: str | None = None
    withdrawable: bool = False  # the one who fired it may take it back (撤回) until someone else acts
    sealed_while: tuple[str, ...] = ()
    confirm: str = ""
    kind: str = "forward"
    help: str = ""
    when: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    """The case kinds this step applies to: (start field, its values), every pair must hold."""
    line: int = 0

    def applies(self, data: Mapping[str, Any] | None) -> bool:
        """Whether the step applies to a case holding ``data`` (None: any case)."""
        return data is None or all(data.get(name) in values for name, values in self.when)

    def field(self, name: str) -> FieldDef | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass(frozen=True)
class StartDef:
    roles: tuple[str, ...]
    fields: tuple[FieldDef, ...] = ()
    actions: tuple[ActionRef, ...] = ()
    subject: str = "required"
    line: int = 0


@dataclass(frozen=True)
class StateDef:
    name: str
    label: str
    initial: bool = False
    final: bool = False
    deadline_working_days: int | None = None
    deadline_days: int | None = None
    help: str = ""
    line: int = 0
    deadline_months: int | None = None
    """Calendar months (the day of the month kept; the 31st falls back to the month's last day)."""


@dataclass(frozen=True)
class DocumentRef:
    name: str
    title: str
    after: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class FormReads:
    """What an official form reads of a case (declared by the form; checked against the definition)."""

    title: str
    fields: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    person: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class ProcessDefinition:
    key: str
    version: int
    title: str
    description: str
    states: tuple[StateDef, ...]
    transitions: tuple[TransitionDef, ...]
    start: StartDef
    documents: tuple[DocumentRef, ...] = ()
    path: str = ""
    content_hash: str = ""
    source: str = ""
    _by_state: dict[str, StateDef] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_state.update({s.name: s for s in self.states})

    @property
    def initial(self) -> StateDef:
        return next(s for s in self.states if s.initial)

    def state(self, name: str) -> StateDef | None:
        return self._by_state.get(name)

    def state_label(self, name: str | None) -> str:
        if name is None:
            return ""
        state = self._by_state.get(name)
        return state.label if state else name

    def transition(self, trigger: str, source: str) -> TransitionDef | None:
        for t in self.transitions:
            if t.trigger == trigger and source in t.sources:
                return t
        return None

    def transitions_named(self, trigger: str) -> list[TransitionDef]:
        return [t for t in self.transitions if t.trigger == trigger]

    def transitions_from(self, source: str) -> list[TransitionDef]:
        return [t for t in self.transitions if source in t.sources]

    def field_label(self, name: str) -> str:
        for f in self.all_fields():
            if f.name == name:
                return f.label
        return name

    def choice_label(self, name: str, value: Any) -> str:
        """The label of ``value`` of the choice field ``name`` (the value itself when unknown)."""
        f = self.find_field(name)
        return f.choice_label(value) if f else str(value)

    def all_fields(self) -> list[FieldDef]:
        out = list(self.start.fields)
        for t in self.transitions:
            out.extend(t.fields)
        return out

    def find_field(self, name: str) -> FieldDef | None:
        for f in self.all_fields():
            if f.name == name:
                return f
        return None
