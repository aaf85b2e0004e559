"""Turning engine snapshots into what pages show: labels, names, due dates, rows.

Pure formatting: no permission logic (the engine decides what an actor may do)
and no writes. Templates receive these plain values.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from flask import url_for

from workflow import CaseSnapshot
from workflow import EventView
from workflow.clock import SHANGHAI
from workflow.clock import local_today
from workflow.definition.schema import FieldDef
from workflow.definition.schema import ProcessDefinition
from workflow.errors import CalendarError

from .. import engine

EVENT_TYPES = {
    "case_started": "发起案件", "transition_fired": "办理", "approval_recorded": "签署",
    "document_issued": "出具文书", "attachment_added": "上传附件", "recusal_recorded": "登记回避",
}
START_KEYS = ("title", "subject_id", "definition", "definition_version", "definition_hash")
EXTRA_LABELS = {
    "by": "办理人", "at": "时间", "marks_added": "记入的人员标记", "parent_case_id": "上级案件",
    "opened_by_case": "由案件发起", "document": "文书", "title": "标题", "template_version": "模板版本",
    "sha256": "SHA-256", "filename": "文件名", "size": "大小（字节）", "content_type": "类型",
    "attachment_id": "附件编号", "username": "回避人员", "reason": "事由",
    # data that actions of the procedures set (no field defines their labels)
    "registration_no": "登记编号", "result_scores": "各维度得分", "result_total": "综合得分",
    "result_grade": "面谈结果等次", "result_scorers": "评分人数", "result_method": "计分方法",
    "annual_grades": "近年年度考核结果", "year": "年度", "grade": "等次", "kind": "类别", "label": "名称",
    "starts_on": "起始日期", "ends_on": "截止日期",
}


@dataclass(frozen=True)
class Due:
    day: date
    text: str
    overdue: bool


@dataclass
class Row:
    """One labelled value; ``table`` for lists of records (scores, entries)."""

    label: str
    text: str = ""
    url: str = ""
    table: tuple[list[str], list[list[str]]] | None = None


@dataclass
class HistoryRow:
    event: EventView
    title: str
    role: str
    moved: str
    rows: list[Row] = field(default_factory=list)


def user_names() -> dict[str, str]:
    return {u.username: u.name or u.username for u in engine().users.all()}


def due(snapshot: CaseSnapshot) -> Due | None:
    """The due date in Beijing time and the working days left (or overdue by)."""
    if snapshot.due_at is None or snapshot.final:
        return None
    day = snapshot.due_at.astimezone(SHANGHAI).date()
    today = local_today(engine().clock)
    try:
        cal = engine().calendar.calendar()
        if snapshot.overdue:
            late = cal.working_days_between(day + timedelta(days=1), today)
            text = f"已逾期{late}个工作日" if late else "已逾期"
        elif day == today:
            text = "今日到期"
        else:
            text = f"剩余{cal.working_days_between(today + timedelta(days=1), day)}个工作日"
    except CalendarError:
        text = "已逾期" if snapshot.overdue else ""
    return Due(day, text, snapshot.overdue)


def event_label(d: ProcessDefinition, event: str | None) -> str:
    if not event:
        return ""
    named = d.transitions_named(event)
    return named[0].label if named else event


def _label(d: ProcessDefinition, key: str, f: FieldDef | None) -> str:
    if f is not None:
        return f.label
    if key in EXTRA_LABELS:
        return EXTRA_LABELS[key]
    if key.endswith("_case_id") or key.endswith("_case_ids"):
        return "关联案件"
    return d.field_label(key)


def show(f: FieldDef | None, value: Any, names: Mapping[str, str]) -> str:
    """A stored value as a reader sees it: labels, names, 是/否."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if f is not None and f.type in ("choice", "multichoice"):
        items = value if isinstance(value, list) else [value]
        return "、".join(f.choice_label(v) for v in items)
    if f is not None and f.type == "user":
        items = value if isinstance(value, list) else [value]
        return "、".join(names.get(str(v), str(v)) for v in items)
    if f is not None and f.type == "datetime" and isinstance(value, str):
        try:
            return datetime.fromisoformat(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "；".join(f"{EXTRA_LABELS.get(k, k)}：{v}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def data_rows(d: ProcessDefinition, data: Mapping[str, Any], names: Mapping[str, str],
              case_id: int | None = None, skip: Sequence[str] = ()) -> list[Row]:
    """Every key of case (or event) data as a labelled row, in the definition's field order."""
    fields = {f.name: f for f in d.all_fields()}
    entries = {t.append_to: t for t in d.transitions if t.append_to}
    order = {name: i for i, name in enumerate(fields)}
    rows = []
    for key in sorted(data, key=lambda k: (order.get(k, len(order)), k)):
        value = data[key]
        if key.startswith("_") or key in skip:
            continue
        f = fields.get(key)
        if key in entries and isinstance(value, list):
            rows.append(_entries_row(entries[key].label, entries[key].fields, value, names))
        elif key.endswith("_count") and key[:-6] in entries:
            rows.append(Row(f"{entries[key[:-6]].label}（份数）", f"{value}（评分结束前密封）"))
        elif f is not None and f.type == "file" and case_id is not None:
            rows.extend(_file_rows(f, value, case_id))
        elif f is not None and f.type == "person" and isinstance(value, int):
            rows.append(Row(f.label, _person_name(value)))
        elif key.endswith("_case_id") and isinstance(value, int):
            rows.append(Row(_label(d, key, f), f"案件{value}", url_for("cases.show", case_id=value)))
        else:
            rows.append(Row(_label(d, key, f), show(f, value, names)))
    return rows


def _entries_row(label: str, fields: Sequence[FieldDef], entries: list[Any], names: Mapping[str, str]) -> Row:
    header = [f.label for f in fields] + ["办理人", "时间"]
    body = []
    for e in entries:
        if not isinstance(e, dict):
            continue
        at = e.get("at")
        when = datetime.fromisoformat(at).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if at else ""
        by = str(e.get("by", ""))
        body.append([show(f, e.get(f.name), names) for f in fields] + [names.get(by, by), when])
    return Row(label, "" if body else "（暂无）", table=(header, body))


def _file_rows(f: FieldDef, value: Any, case_id: int) -> list[Row]:
    ids = value if isinstance(value, list) else [value]
    return [Row(f.label, f"附件{aid}", url_for("files.attachment", case_id=case_id, attachment_id=aid))
            for aid in ids if isinstance(aid, int)]


def _person_name(person_id: int) -> str:
    try:
        p = engine().people.get(person_id)
    except Exception:  # a deleted person shows its number
        return f"人员{person_id}"
    return f"{p.name}（{p.unit}）" if p.unit else p.name


def history_rows(d: ProcessDefinition, events: Sequence[EventView], names: Mapping[str, str],
                 case_id: int) -> list[HistoryRow]:
    out = []
    for ev in events:
        title = EVENT_TYPES.get(ev.type, ev.type)
        if ev.type in ("transition_fired", "approval_recorded"):
            title = event_label(d, ev.event)
            title = title if ev.type == "transition_fired" else f"签署：{title}"
        moved = ""
        if ev.to_state and ev.from_state != ev.to_state:
            moved = f"{d.state_label(ev.from_state) or '（开始）'} → {d.state_label(ev.to_state)}"
        skip = START_KEYS if ev.type == "case_started" else ()
        rows = data_rows(d, ev.data, names, case_id, skip=skip)
        if ev.type == "attachment_added" and isinstance(ev.data.get("attachment_id"), int):
            rows = [Row("文件", str(ev.data.get("filename", "")),
                        url_for("files.attachment", case_id=case_id, attachment_id=ev.data["attachment_id"]))]
        out.append(HistoryRow(ev, title, engine().registry.role_label(ev.role), moved, rows))
    return out


def taken_moves(events: Sequence[EventView]) -> list[tuple[str, str]]:
    """The (from, to) state moves of a case in order, for the diagram."""
    return [(ev.from_state, ev.to_state) for ev in events
            if ev.type in ("transition_fired", "approval_recorded") and ev.from_state and ev.to_state
            and (ev.type == "transition_fired" or ev.from_state != ev.to_state)]


def person_rows(subject_id: int | None) -> tuple[Any, list[Row]]:
    """The subject's key facts for the case page."""
    if subject_id is None:
        return None, []
    p = engine().people.get(subject_id)
    profile = p.profile
    facts = [("性别", p.gender), ("出生年月", p.birth_date.strftime("%Y-%m")), ("工作单位", p.unit),
             ("现任职务", p.current_post), ("拟任职务", profile.get("proposed_post", "")),
             ("政治面貌", profile.get("political_status", "")),
             ("入党时间", profile.get("party_join_date", "")),
             ("全日制教育", " ".join(x for x in (profile.get("edu_fulltime_level", ""),
                                                 profile.get("edu_fulltime_degree", "")) if x))]
    rows = [Row(label, str(value)) for label, value in facts if value]
    for mark in engine().people.marks(subject_id):
        span = "至".join(x.isoformat() for x in (mark.starts_on, mark.ends_on) if x)
        rows.append(Row("标记", f"{mark.label}{('（' + span + '）') if span else ''}"))
    return p, rows
