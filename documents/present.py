"""The one presentation of a case: labels, display values, event titles, the path taken.

The case page, the official forms and the case-history PDF all show a case's data
through these functions, so a value reads the same on screen and on paper. What a
viewer may see at all (sealing, visibility) is decided before: the engine's queries
hand over views already sealed for that viewer. Links (to an attachment or a case)
are returned as ``Link`` values; the web layer turns them into URLs.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from workflow.clock import SHANGHAI
from workflow.definition.schema import FieldDef
from workflow.definition.schema import ProcessDefinition
from workflow.errors import CalendarError
from workflow.errors import NotFound
from workflow.people import MarkView
from workflow.people import PersonView
from workflow.types import CaseSnapshot
from workflow.types import EventView
from workflow.workdays import WorkCalendar

from .filters import cn_date
from .filters import cn_datetime

BLANK = "—"
EVENT_TYPES = {
    "case_started": "发起案件", "transition_fired": "办理", "approval_recorded": "签署",
    "document_issued": "出具文书", "attachment_added": "上传附件", "recusal_recorded": "登记回避",
    "ballot_opened": "发起投票", "ballot_closed": "投票结束计票", "case_urged": "催办",
    "signer_added": "加签", "step_withdrawn": "撤回上一步", "case_copied": "抄送",
}
# Data keys the engine and the procedures' actions write that no field of a definition labels.
KEY_LABELS = {
    "by": "填写人", "at": "时间", "marks_added": "记入的人员标记", "parent_case_id": "上级案件",
    "opened_by_case": "由案件发起", "document": "文书", "title": "标题", "filename": "文件名",
    "username": "回避人员", "reason": "事由", "registration_no": "登记编号", "result_scores": "各维度得分",
    "result_total": "综合得分", "result_grade": "面谈结果等次", "result_scorers": "评分人数",
    "result_method": "计分方法", "annual_grades": "近年年度考核结果", "year": "年度", "grade": "等次",
    "kind": "类别", "label": "名称", "starts_on": "起始日期", "ends_on": "截止日期",
    "holder": "被催办人", "text": "催办内容",
}
# Keys kept for the chain and the audit views, not shown as data.
TECHNICAL = frozenset({"definition", "org_id", "definition_version", "definition_hash", "subject_id",
                       "template_version", "sha256", "size", "content_type", "attachment_id"})


@dataclass(frozen=True)
class Link:
    kind: str  # "attachment" | "case" | "person"
    id: int


@dataclass
class Row:
    """One labelled value; ``table`` (header, rows) for lists of records (scores, entries)."""

    label: str
    text: str = ""
    link: Link | None = None
    table: tuple[list[str], list[list[str]]] | None = None


@dataclass
class EventRow:
    event: EventView
    title: str
    actor: str
    role: str
    moved: str
    rows: list[Row] = field(default_factory=list)


def label(d: ProcessDefinition, key: str) -> str:
    f = d.find_field(key)
    if f is not None:
        return f.label
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    if key.endswith("_case_id") or key.endswith("_case_ids"):
        return "关联案件"
    return key


def show(value: Any, f: FieldDef | None, names: Mapping[str, str]) -> str:
    """A stored value as a reader sees it: labels for choices, names for users, Chinese dates, 是/否."""
    if value is None or value == "" or value == []:
        return BLANK
    if isinstance(value, bool):
        return "是" if value else "否"
    if f is not None:
        if f.type == "table" and isinstance(value, list):
            header, body = table_cells(f, value, names)
            return " ／ ".join("；".join(f"{h}：{v}" for h, v in zip(header, line, strict=True)) for line in body)
        if f.type in ("choice", "multichoice"):
            return "、".join(f.choice_label(v) for v in (value if isinstance(value, list) else [value]))
        if f.type == "user":
            return "、".join(names.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value]))
        if f.type == "date" and isinstance(value, str):
            return _date(value)
        if f.type == "datetime" and isinstance(value, str):
            return instant(value, seconds=False)
    if isinstance(value, Mapping):
        return "；".join(f"{KEY_LABELS.get(str(k), str(k))}：{show(v, None, names)}" for k, v in value.items()
                        if v not in (None, ""))
    if isinstance(value, list):
        return "、".join(show(v, None, names) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(text: str) -> str:
    try:
        return cn_date(text)
    except ValueError:
        return text


def instant(text: str, seconds: bool = True) -> str:
    """An ISO instant (as the engine stores it) in Beijing time; the text itself if unparsable."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    shown = cn_datetime(moment)
    return shown if seconds else shown[:-3]


def data_rows(d: ProcessDefinition, data: Mapping[str, Any], names: Mapping[str, str],
              fields: Sequence[FieldDef] = (), skip: Sequence[str] = ()) -> list[Row]:
    """Every key of case (or event) data as a labelled row: ``fields`` first in their order, then the
    definition's order."""
    own = {f.name: f for f in fields}
    every = {f.name: f for f in d.all_fields()}
    order = {name: i for i, name in enumerate([*own, *every])}
    entries = {t.append_to: t for t in d.transitions if t.append_to}
    rows = []
    for key in sorted(data, key=lambda k: (order.get(k, len(order)), k)):
        value = data[key]
        if key.startswith("_") or key in skip or key in TECHNICAL:
            continue
        f = own.get(key) or every.get(key)
        if key in entries and isinstance(value, list):
            rows.append(_entries_row(entries[key].label, entries[key].fields, value, names))
        elif key.endswith("_count") and key[:-6] in entries:
            rows.append(Row(f"{entries[key[:-6]].label}（份数）", f"{value}（评分结束前密封）"))
        elif f is not None and f.type == "file":
            ids = value if isinstance(value, list) else [value]
            rows += [Row(f.label, f"附件{aid}", Link("attachment", aid)) for aid in ids if isinstance(aid, int)]
        elif f is not None and f.type == "table" and isinstance(value, list):
            header, body = table_cells(f, value, names)
            rows.append(Row(f.label, "" if body else BLANK, table=(header, body)))
        elif f is not None and f.type == "person" and isinstance(value, int):
            rows.append(Row(f.label, person_name(value, names), Link("person", value)))
        elif key.endswith("_case_id") and isinstance(value, int):
            rows.append(Row(label(d, key), f"案件{value}", Link("case", value)))
        else:
            rows.append(Row(label(d, key), show(value, f, names)))
    return rows


def table_cells(f: FieldDef, value: Sequence[Any], names: Mapping[str, str]) -> tuple[list[str], list[list[str]]]:
    """A ``table`` field's rows as (column labels, display text per cell): choice labels, users' names."""
    header = [c.label for c in f.columns]
    body = [[_cell(c, row.get(c.name), names) for c in f.columns] for row in value if isinstance(row, Mapping)]
    return header, body


def _cell(c: FieldDef, value: Any, names: Mapping[str, str]) -> str:
    if c.type == "person" and isinstance(value, int) and not isinstance(value, bool):
        return person_name(value, names)  # as a person field reads (data_rows), without its link
    return show(value, c, names)


def person_name(person_id: int, names: Mapping[str, str]) -> str:
    """A person's name where the viewer may read it (``with_people``), else 人员N."""
    return names.get(f"person:{person_id}", f"人员{person_id}")


def person_ids(value: Any) -> set[int]:
    """Every ``person_id`` in a value (table rows, appended entries), at any depth."""
    found: set[int] = set()
    if isinstance(value, Mapping):
        for k, v in value.items():
            if k == "person_id" and isinstance(v, int) and not isinstance(v, bool):
                found.add(v)
            else:
                found |= person_ids(v)
    elif isinstance(value, list):
        for v in value:
            found |= person_ids(v)
    return found


def name_lookup(people: Any, viewer: Any) -> Callable[[int], str | None]:
    """``with_people``'s lookup: a person's name where ``viewer`` may read the person (People.get)."""
    def name_of(person_id: int) -> str | None:
        try:
            return str(people.get(person_id, viewer).name)
        except NotFound:
            return None
    return name_of


def with_people(names: Mapping[str, str], name_of: Callable[[int], str | None], *values: Any) -> dict[str, str]:
    """``names`` plus ``person:N`` → name for the people the values name that ``name_of`` lets the
    viewer read (None: not visible, printed as 人员N)."""
    out = dict(names)
    for pid in sorted(set().union(*(person_ids(v) for v in values)) if values else ()):
        name = name_of(pid)
        if name:
            out[f"person:{pid}"] = name
    return out


def _entries_row(title: str, fields: Sequence[FieldDef], entries: list[Any], names: Mapping[str, str]) -> Row:
    header = [f.label for f in fields] + [KEY_LABELS["by"], KEY_LABELS["at"]]
    body = []
    for e in entries:
        if not isinstance(e, Mapping):
            continue
        by = str(e.get("by", ""))
        at = e.get("at")
        body.append([show(e.get(f.name), f, names) for f in fields]
                    + [names.get(by, by), instant(at, seconds=False) if isinstance(at, str) else BLANK])
    return Row(title, "" if body else "（暂无）", table=(header, body))


def event_title(d: ProcessDefinition, ev: EventView) -> str:
    if ev.type in ("transition_fired", "approval_recorded") and ev.event:
        named = d.transitions_named(ev.event)
        name = named[0].label if named else ev.event
        return name if ev.type == "transition_fired" else f"签署：{name}"
    if ev.type == "document_issued" and ev.data.get("title"):
        return f"出具文书：{ev.data['title']}"
    if ev.type in ("signer_added", "step_withdrawn") and ev.data.get("event"):
        named = d.transitions_named(str(ev.data["event"]))
        return f"{EVENT_TYPES[ev.type]}：{named[0].label if named else ev.data['event']}"
    return EVENT_TYPES.get(ev.type, ev.type)


def moved(d: ProcessDefinition, ev: EventView) -> str:
    if not ev.to_state or ev.from_state == ev.to_state:
        return ""
    return f"{d.state_label(ev.from_state) or '（开始）'} → {d.state_label(ev.to_state)}"


def event_rows(d: ProcessDefinition, events: Sequence[EventView], names: Mapping[str, str],
               role_label: Any) -> list[EventRow]:
    """Each history event as the page and the history PDF show it."""
    out = []
    for ev in events:
        if ev.type == "case_started":
            rows = data_rows(d, ev.data, names, d.start.fields, skip=("title",))
        elif ev.type == "attachment_added":
            aid = ev.data.get("attachment_id")
            rows = [Row("文件", str(ev.data.get("filename", "")), Link("attachment", aid) if isinstance(aid, int)
                        else None)]
        elif ev.type == "document_issued":
            rows = []
        else:
            named = d.transitions_named(ev.event) if ev.event else []
            rows = data_rows(d, ev.data, names, named[0].fields if named else ())
        actor = ev.actor_name or names.get(ev.actor, ev.actor)
        if ev.on_behalf_of is not None:  # 委托: 「张三（代李四）」
            actor += f"（代{ev.on_behalf_of_name or names.get(ev.on_behalf_of, ev.on_behalf_of)}）"
        if ev.type == "case_copied":  # 抄送: the names, not the usernames
            rows = [Row("抄送人员", "、".join(str(n) for n in ev.data.get("names") or ev.data.get("users") or [])),
                    Row("随同事项", str(ev.data.get("step", "")))]
        out.append(EventRow(ev, event_title(d, ev), actor, role_label(ev.role) if ev.role else BLANK,
                            moved(d, ev), rows))
    return out


def taken_moves(events: Sequence[EventView]) -> list[tuple[str, str]]:
    """The (from, to) state moves of a case in order: the path the diagrams draw."""
    return [(ev.from_state, ev.to_state) for ev in events
            if ev.type in ("transition_fired", "approval_recorded") and ev.from_state and ev.to_state
            and ev.from_state != ev.to_state]


def path_text(d: ProcessDefinition, events: Sequence[EventView]) -> str:
    """The states the case went through, in order: 动议 → 民主推荐 → …"""
    states = [d.initial.name]
    for _, b in taken_moves(events):
        states.append(b)
    return " → ".join(d.state_label(s) for s in states)


@dataclass(frozen=True)
class Due:
    day: date
    text: str
    overdue: bool


def due(case: CaseSnapshot, today: date, calendar: WorkCalendar) -> Due | None:
    """The due date in Beijing time and the working days left (or overdue by)."""
    if case.due_at is None or case.final:
        return None
    day = case.due_at.astimezone(SHANGHAI).date()
    try:
        if case.overdue:
            late = calendar.working_days_between(day + timedelta(days=1), today)
            text = f"已逾期{late}个工作日" if late else "已逾期"
        elif day == today:
            text = "今日到期"
        else:
            text = f"剩余{calendar.working_days_between(today + timedelta(days=1), day)}个工作日"
    except CalendarError:
        text = "已逾期" if case.overdue else ""
    return Due(day, text, case.overdue)


def person_rows(p: PersonView, marks: Sequence[MarkView]) -> list[Row]:
    """The subject's key facts for the case page."""
    profile = p.profile
    facts = [("性别", p.gender), ("出生年月", p.birth_date.strftime("%Y-%m")), ("工作单位", p.unit),
             ("现任职务", p.current_post), ("拟任职务", profile.get("proposed_post", "")),
             ("政治面貌", profile.get("political_status", "")), ("入党时间", profile.get("party_join_date", "")),
             ("全日制教育", " ".join(x for x in (profile.get("edu_fulltime_level", ""),
                                                 profile.get("edu_fulltime_degree", "")) if x))]
    rows = [Row(name, str(value)) for name, value in facts if value]
    for mark in marks:
        span = "至".join(x.isoformat() for x in (mark.starts_on, mark.ends_on) if x)
        rows.append(Row("标记", f"{mark.label}{('（' + span + '）') if span else ''}"))
    return rows
