"""Shared pieces of every context: the inputs bundle, field labels and value display.

``FormInputs`` is everything a form may read about a case, gathered once by
``documents.gather``; the builders only read it. Values are shown as a reader of a
paper form expects: choice labels instead of stored values, 是/否 for booleans,
names instead of usernames, Chinese dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import Any

from workflow.definition.schema import FieldDef
from workflow.definition.schema import ProcessDefinition
from workflow.people import PersonView
from workflow.types import CaseSnapshot
from workflow.types import EventView

from ..filters import cn_date
from ..filters import cn_datetime

ORGANIZATION = "中共××市委组织部"
BLANK = "—"

# Data keys the engine and its actions write that are not fields of any definition.
KNOWN_KEYS = {
    "document": "文书",
    "title": "标题",
    "template_version": "模板版本",
    "sha256": "SHA-256",
    "attachment_id": "附件编号",
    "filename": "文件名",
    "size": "大小（字节）",
    "content_type": "文件类型",
    "username": "用户",
    "reason": "事由",
    "by": "填写人",
    "at": "时间",
    "registration_no": "登记号",
    "linked_case": "关联案件",
    "case_id": "案件编号",
    "relation": "关系",
    "result": "结果",
    "subject_id": "所涉干部编号",
    "definition": "流程",
    "definition_version": "流程版本",
    "definition_hash": "流程定义哈希",
    "opened_by_case": "由案件发起",
}


@dataclass(frozen=True)
class FormInputs:
    """What a context builder may read: the case, its definition and history, the people involved."""

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

    @property
    def data(self) -> dict[str, Any]:
        return self.case.data

    def get(self, name: str, default: Any = "") -> Any:
        """A case data value, or ``default`` when the field was not filled in."""
        value = self.case.data.get(name)
        return default if value is None or value == "" else value

    def shown(self, name: str) -> str:
        """A case data value as a reader sees it (labels, 是/否, names, dates); ``—`` when empty."""
        return show(self.case.data.get(name), self.definition.find_field(name), self.names)

    def label(self, name: str) -> str:
        return field_label(self.definition, name)

    def events_of(self, *triggers: str) -> list[EventView]:
        """History events fired by one of ``triggers`` (transitions and approvals), in order."""
        return [
            e
            for e in self.events
            if e.event in triggers and e.type in ("transition_fired", "approval_recorded")
        ]

    def last_event(self, *triggers: str) -> EventView | None:
        found = self.events_of(*triggers)
        return found[-1] if found else None

    def name_of(self, username: str) -> str:
        return self.names.get(username, username)


def field_label(d: ProcessDefinition, name: str) -> str:
    f = d.find_field(name)
    if f is not None:
        return f.label
    return KNOWN_KEYS.get(name, name)


def show(value: Any, f: FieldDef | None, names: Mapping[str, str]) -> str:
    """One value as text for a printed form."""
    if value is None or value == "" or value == []:
        return BLANK
    if isinstance(value, bool):
        return "是" if value else "否"
    if f is not None:
        if f.type == "user":
            users = value if isinstance(value, list) else [value]
            return "、".join(names.get(str(u), str(u)) for u in users)
        if f.type in ("choice", "multichoice"):
            items = value if isinstance(value, list) else [value]
            return "、".join(f.choice_label(v) for v in items)
        if f.type == "date" and isinstance(value, str):
            try:
                return cn_date(value)
            except ValueError:
                return value
        if f.type == "datetime" and isinstance(value, str):
            return local_instant(value, seconds=False)
    if isinstance(value, Mapping):
        return "；".join(
            f"{KNOWN_KEYS.get(str(k), str(k))}：{show(v, None, names)}" for k, v in value.items()
        )
    if isinstance(value, list):
        return "；".join(show(v, None, names) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def data_rows(
    data: Mapping[str, Any], d: ProcessDefinition, names: Mapping[str, str], fields: Sequence[FieldDef] = ()
) -> list[dict[str, str]]:
    """(label, value) rows of an event's data: the event's own fields first, in their order."""
    own = {f.name: f for f in fields}
    order = [f.name for f in fields if f.name in data] + [k for k in data if k not in own]
    rows = []
    for key in order:
        f = own.get(key) or d.find_field(key)
        value = data[key]
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            text = " ／ ".join(show_entry(v, d, names) for v in value)
        else:
            text = show(value, f, names)
        rows.append({"label": f.label if f else KNOWN_KEYS.get(key, key), "value": text})
    return rows


def show_entry(entry: Mapping[str, Any], d: ProcessDefinition, names: Mapping[str, str]) -> str:
    """An appended entry (a score, a record) as ``label：value；…``; ``by`` as a name, ``at`` local."""
    parts = []
    for k, v in entry.items():
        key = str(k)
        if key == "by":
            text = names.get(str(v), str(v))
        elif key == "at" and isinstance(v, str):
            text = local_instant(v)
        else:
            text = show(v, d.find_field(key), names)
        parts.append(f"{field_label(d, key)}：{text}")
    return "；".join(parts)


def local_instant(text: str, seconds: bool = True) -> str:
    """An ISO instant (as the engine stores it), in Beijing time; the text itself if unparsable."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    shown = cn_datetime(moment)
    return shown if seconds else shown[:-3]


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


def text_or_blank(value: Any) -> str:
    """Text for a form cell: the value, or an empty cell when not filled in."""
    if value is None:
        return ""
    return str(value)
