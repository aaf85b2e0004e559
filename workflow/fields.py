"""Validation of submitted data against an event's field schema.

Every field is checked and every problem is reported at once, per field, in
Chinese naming the field and the rule. Values are normalised to JSON-native
forms (dates as ISO text) before they are stored or hashed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import date
from datetime import datetime
from typing import Any
from typing import Protocol

from .definition.schema import MAX_ROWS
from .definition.schema import FieldDef
from .errors import PermissionDenied
from .errors import ValidationFailed
from .table_values import cell_key

DEFAULT_MAX = {"text": 500, "textarea": 20000}
TRUE_WORDS = ("true", "1", "on", "yes", "y", "是")
FALSE_WORDS = ("false", "0", "off", "no", "n", "否", "")
MAX_ID = 2**31 - 1  # row ids are 32-bit: a larger number names nothing (and overflows SQLite's binding)


class Lookups(Protocol):
    """What validation needs to know about the world; the engine implements it."""

    def user_roles(self, username: str) -> frozenset[str] | None: ...

    def is_recused(self, username: str) -> bool: ...

    def person_exists(self, person_id: int) -> bool: ...

    def attachment_on_case(self, attachment_id: int) -> bool: ...

    def role_label(self, role: str) -> str: ...


class _Invalid(Exception):
    pass


def required_text(errors: dict[str, str], key: str, label: str, value: Any, max_length: int) -> str:
    """``value`` stripped; a Chinese message under ``key`` in ``errors`` when it is empty, not text or too long."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        errors[key] = f"{label}：此项为必填项"
    elif len(text) > max_length:
        errors[key] = f"{label}：不得超过{max_length}个字"
    return text


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise _Invalid("应为整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isascii():  # int() takes "１２" and "٣" too: ASCII digits only
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise _Invalid("应为整数")


def _number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise _Invalid("应为数字")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str) and value.isascii():
        try:
            parsed = float(value.strip())
        except ValueError:
            raise _Invalid("应为数字") from None
        if math.isfinite(parsed):
            return int(parsed) if parsed.is_integer() and "." not in value else parsed
    raise _Invalid("应为数字")


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Invalid("日期格式应为 YYYY-MM-DD，且为有效日期")


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Invalid("时间格式应为 ISO 8601（如 2026-11-25T09:30:00+08:00）") from None
    else:
        raise _Invalid("时间格式应为 ISO 8601（如 2026-11-25T09:30:00+08:00）")
    if parsed.tzinfo is None:
        raise _Invalid("时间须带时区（如 +08:00）")
    return parsed


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise _Invalid("应为是或否（true/false）")


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [v for v in (x.strip() for x in value.replace("，", ",").split(",")) if v]
    raise _Invalid("应为列表")


def _one(f: FieldDef, value: Any, today: date, lookups: Lookups) -> Any:
    t = f.type
    if t in ("text", "textarea"):
        if not isinstance(value, str):
            raise _Invalid("应为文本")
        text = value.strip()
        limit = f.max_length or DEFAULT_MAX[t]
        if len(text) > limit:
            raise _Invalid(f"不得超过{limit}个字（现有{len(text)}个）")
        if f.min_length and len(text) < f.min_length:
            raise _Invalid(f"不得少于{f.min_length}个字（现有{len(text)}个）")
        return text
    if t in ("integer", "number"):
        num = _integer(value) if t == "integer" else _number(value)
        if f.min is not None and num < f.min:
            raise _Invalid(f"不得小于{f.min:g}")
        if f.max is not None and num > f.max:
            raise _Invalid(f"不得大于{f.max:g}")
        return num
    if t == "date":
        day = _date(value)
        if f.not_future and day > today:
            raise _Invalid(f"不得晚于今天（{today.isoformat()}）")
        if day.year < 1900 or day.year > 2200:
            raise _Invalid("年份超出合理范围")
        return day.isoformat()
    if t == "datetime":
        moment = _datetime(value)
        if f.not_future and moment.date() > today:
            raise _Invalid(f"不得晚于今天（{today.isoformat()}）")
        return moment.isoformat()
    if t == "boolean":
        return _boolean(value)
    if t == "choice":
        allowed = [c.value for c in f.choices]
        if not isinstance(value, str) or value not in allowed:
            raise _Invalid("不在可选范围内（可选：" + "、".join(c.label for c in f.choices) + "）")
        return value
    if t == "multichoice":
        items = _as_list(value)
        allowed = [c.value for c in f.choices]
        bad = [v for v in items if v not in allowed]
        if bad:
            raise _Invalid(f"含有不在可选范围内的取值：{'、'.join(map(str, bad))}")
        return list(dict.fromkeys(items))
    if t == "person":
        pid = _integer(value)
        if not 1 <= pid <= MAX_ID or not lookups.person_exists(pid):
            raise _Invalid(f"人员不存在（编号{pid}）")
        return pid
    if t == "file":
        ids = [_integer(v) for v in (_as_list(value) if f.multiple else [value])]
        for aid in ids:
            if not 1 <= aid <= MAX_ID or not lookups.attachment_on_case(aid):
                raise _Invalid(f"附件不存在或不属于本案件（编号{aid}）")
        return ids if f.multiple else ids[0]
    if t == "user":
        names = _as_list(value) if f.multiple else [value]
        if not all(isinstance(n, str) and n.strip() for n in names):
            raise _Invalid("应为用户名")
        names = [n.strip() for n in names]
        if len(set(names)) != len(names):
            raise _Invalid("有重复的人员")
        for name in names:
            roles = lookups.user_roles(name)
            if roles is None:
                raise _Invalid(f"用户不存在或已停用：{name}")
            if f.role and f.role not in roles:
                raise _Invalid(f"{name} 不具备“{lookups.role_label(f.role)}”角色")
        if f.min_items and len(names) < f.min_items:
            raise _Invalid(f"至少需要{f.min_items}人（现有{len(names)}人）")
        return names if f.multiple else names[0]
    raise _Invalid(f"未知的字段类型 {t}")


def validate(fields: Sequence[FieldDef], data: Mapping[str, Any], *, today: date, lookups: Lookups,
             context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Check ``data`` against ``fields``; return normalised values or raise ValidationFailed.

    ``context`` is what the case already holds, consulted by ``required_if``.
    User fields naming a recused user raise PermissionDenied (回避).
    """
    if not isinstance(data, Mapping):
        raise ValidationFailed({"data": "data 应为对象（键: 值）"})
    known = {f.name: f for f in fields}
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key in data:
        if key not in known:
            errors[str(key)] = f"本环节没有“{key}”这一项"
    merged = dict(context or {})
    merged.update(data)
    for f in fields:
        value = data.get(f.name)
        required = f.required
        if f.required_if:
            other, values = f.required_if
            required = required or merged.get(other) in values
        if f.type == "boolean" and value in (None, ""):
            out[f.name] = False  # an unticked box
            continue
        if _is_empty(value):
            if required:
                errors[f.name] = f"{f.label}：此项为必填项"
            continue
        if f.type == "table":
            rows = _table(f, value, today, lookups, errors)
            if rows is not None:
                out[f.name] = rows
            continue
        try:
            out[f.name] = _one(f, value, today, lookups)
        except _Invalid as exc:
            errors[f.name] = f"{f.label}：{exc}"
    if errors:
        raise ValidationFailed(errors)
    for f in fields:
        if f.type in ("user", "table") and f.name in out:
            names = _user_names(f, out[f.name])
            recused = [n for n in names if lookups.is_recused(n)]
            if recused:
                raise PermissionDenied(f"{f.label}：{'、'.join(recused)} 已回避本案件，不得列入（回避制度，"
                                       f"《党政领导干部选拔任用工作条例》第五十三条）")
    return out


# --- table: a list of rows, each cell validated as its column ---------------------------------------


def _table(f: FieldDef, value: Any, today: date, lookups: Lookups, errors: dict[str, str]
           ) -> list[dict[str, Any]] | None:
    """The rows of a table field, normalised; None with messages in ``errors`` (one per cell under
    ``cell_key``, and a summary under the field's name) when any row is wrong."""
    if not isinstance(value, list):
        errors[f.name] = f"{f.label}：应为列表（每行一个对象，列名: 值）"
        return None
    limit = f.max_items or MAX_ROWS
    if len(value) > limit:
        errors[f.name] = f"{f.label}：最多{limit}行（现有{len(value)}行）"
        return None
    if f.min_items and len(value) < f.min_items:
        errors[f.name] = f"{f.label}：至少需要{f.min_items}行（现有{len(value)}行）"
        return None
    problems: list[str] = []
    cells: dict[str, str] = {}
    seen: dict[tuple[str, Any], int] = {}
    out = []
    for i, row in enumerate(value):
        n = i + 1
        if not isinstance(row, Mapping):
            problems.append(f"第{n}行应为对象（列名: 值）")
            continue
        unknown = [str(k) for k in row if f.column(str(k)) is None]
        if unknown:
            problems.append(f"第{n}行有未知的列 {'、'.join(unknown)}（可用：{'、'.join(c.name for c in f.columns)}）")
        if all(_is_empty(row.get(c.name)) for c in f.columns):
            problems.append(f"第{n}行为空行")
            continue
        clean: dict[str, Any] = {}
        for c in f.columns:
            cell, key = row.get(c.name), cell_key(f.name, i, c.name)
            if c.type == "boolean" and cell in (None, ""):
                clean[c.name] = False
                continue
            if _is_empty(cell):
                clean[c.name] = None
                if c.required:
                    cells[key] = f"第{n}行 {c.label}：此项为必填项"
                continue
            try:
                clean[c.name] = _one(c, cell, today, lookups)
            except _Invalid as exc:
                cells[key] = f"第{n}行 {c.label}：{exc}"
                continue
            if c.type in ("person", "user"):  # one row per person or member
                first = seen.setdefault((c.name, clean[c.name]), n)
                if first != n:
                    cells[key] = f"第{n}行 {c.label}：与第{first}行重复"
        out.append(clean)
    if problems or cells:
        found = problems + list(cells.values())
        errors[f.name] = f"{f.label}：" + "；".join(found[:5]) + (f"等{len(found)}处" if len(found) > 5 else "")
        errors.update({key: f"{f.label}：{message}" for key, message in cells.items()})
        return None
    return out


def _user_names(f: FieldDef, value: Any) -> list[str]:
    """The usernames a user field or a table's user columns name (for the recusal check)."""
    if f.type == "user":
        return list(value) if isinstance(value, list) else [value]
    users = [c.name for c in f.columns if c.type == "user"]
    return [row[c] for row in value for c in users if isinstance(row.get(c), str)]

