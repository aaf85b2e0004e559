"""What an officer may define as a ballot, and what a voter may submit: checked whole, in Chinese.

``ballot_spec`` turns a request into the stored definition of a ballot (every problem at once,
per field); ``clean_choices`` checks one voter's choices against it. A malformed ballot (an
unknown item or option, an option twice, a value that is not a list of options) is refused
whole; choosing more options than an item allows is not malformed: that item is void when
counted (api.md), and the phone page warns before it is sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..ballot_kinds import KINDS
from ..errors import ValidationFailed

KEY = re.compile(r"^[A-Za-z0-9_]{1,32}$")
MAX_VOTERS = 5000
MAX_MEMBERS = 200
MAX_ITEMS = 100
MAX_OPTIONS = 100


def _text(value: Any, label: str, limit: int, errors: dict[str, str], key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        errors[key] = f"{label}：此项为必填项"
        return ""
    if len(value.strip()) > limit:
        errors[key] = f"{label}：不得超过{limit}个字"
    return value.strip()


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _option(value: Any) -> tuple[str, int | None] | None:
    """An option as given: a text, or ``{"label": text, "person_id": id}`` (a candidate)."""
    if isinstance(value, str):
        return value.strip(), None
    if isinstance(value, Mapping) and isinstance(value.get("label"), str):
        person = value.get("person_id")
        if person is not None and (_int(person) is None or not 1 <= person < 2**31):
            return None
        return value["label"].strip(), person
    return None


def _item(raw: Any, i: int, kind: str, errors: dict[str, str], seen: set[str]) -> dict[str, Any] | None:
    where = f"items[{i}]"
    if not isinstance(raw, Mapping):
        errors[where] = f"第{i + 1}项：应为对象（key、label、options、max_choices）"
        return None
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        errors[f"{where}.key"] = f"第{i + 1}项的编号：须为1至32位字母、数字或下划线"
    elif key in seen:
        errors[f"{where}.key"] = f"第{i + 1}项的编号：“{key}”重复"
    else:
        seen.add(key)
    label = _text(raw.get("label"), f"第{i + 1}项的名称", 200, errors, f"{where}.label")
    given = raw.get("options")
    if given is None and KINDS[kind].options:
        given = list(KINDS[kind].options)
    if not isinstance(given, list) or not 1 <= len(given) <= MAX_OPTIONS:
        errors[f"{where}.options"] = f"第{i + 1}项的选项：应为1至{MAX_OPTIONS}个选项的列表"
        return None
    options = [_option(o) for o in given]
    if any(o is None or not o[0] or len(o[0]) > 100 for o in options):
        errors[f"{where}.options"] = f"第{i + 1}项的选项：每个选项应为1至100个字的文字（候选人可带 person_id）"
        return None
    labels = [o[0] for o in options if o is not None]
    if len(set(labels)) != len(labels):
        errors[f"{where}.options"] = f"第{i + 1}项的选项：选项不得重复"
    most = raw.get("max_choices", 1)
    if _int(most) is None or not 1 <= most <= len(labels):
        errors[f"{where}.max_choices"] = f"第{i + 1}项的限选数：应为1至{len(labels)}的整数"
    person = raw.get("person_id")
    if person is not None and (_int(person) is None or not 1 <= person < 2**31):
        errors[f"{where}.person_id"] = f"第{i + 1}项的测评对象：应为人员编号"
    return {"key": key, "label": label, "options": labels, "max_choices": most,
            "people": [o[1] for o in options if o is not None], "person_id": person}


def ballot_spec(raw: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The ballot as stored; ValidationFailed naming every problem."""
    errors: dict[str, str] = {}
    kind = raw.get("kind")
    if kind not in KINDS:
        errors["kind"] = "类别：应为 recommendation（推荐）、evaluation（测评）或 vote（表决）"
        raise ValidationFailed(errors)
    title = _text(raw.get("title"), "标题", 200, errors, "title")
    named = raw.get("named", False)
    if not isinstance(named, bool):
        errors["named"] = "记名表决：应为 true 或 false"
        named = False
    members: list[str] = []
    voters = _int(raw.get("voters"))
    if named:
        given = raw.get("members")
        if (not isinstance(given, list) or not 1 <= len(given) <= MAX_MEMBERS
                or not all(isinstance(m, str) and m for m in given)):
            errors["members"] = f"表决成员：记名表决应列出1至{MAX_MEMBERS}名成员的用户名（主要负责人列最后）"
        elif len(set(given)) != len(given):
            errors["members"] = "表决成员：不得重复"
        else:
            members = list(given)
            if raw.get("voters") is not None and voters != len(members):
                errors["voters"] = f"应到人数：记名表决的应到人数即成员人数（{len(members)}）"
            voters = len(members)
    elif voters is None or not 1 <= voters <= MAX_VOTERS:
        errors["voters"] = f"应到人数：应为1至{MAX_VOTERS}的整数"
    items_raw = raw.get("items")
    items: list[dict[str, Any]] = []
    if not isinstance(items_raw, list) or not 1 <= len(items_raw) <= MAX_ITEMS:
        errors["items"] = f"投票事项：应为1至{MAX_ITEMS}项的列表"
    else:
        seen: set[str] = set()
        items = [item for i, r in enumerate(items_raw) if (item := _item(r, i, kind, errors, seen))]
    deadline = _deadline(raw.get("deadline"), now, errors)
    if errors:
        raise ValidationFailed(errors)
    return {"kind": kind, "title": title, "named": named, "members": members, "voters": voters,
            "items": items, "deadline": deadline}


def _deadline(value: Any, now: datetime, errors: dict[str, str]) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        errors["deadline"] = "截止时间：应为带时区的 ISO 8601 时间，如 2026-11-25T18:00:00+08:00"
        return None
    if at <= now:
        errors["deadline"] = "截止时间：应晚于现在"
    return at


def clean_choices(items: list[dict[str, Any]], choices: Any) -> tuple[dict[str, list[str]], list[str]]:
    """(the choices in the ballot's own option order, the keys of over-chosen items).

    ValidationFailed, changing nothing, for anything malformed.
    """
    if not isinstance(choices, Mapping):
        raise ValidationFailed({"choices": "选票：应为 {事项编号: [选项...]}"})
    by_key = {i["key"]: i for i in items}
    errors: dict[str, str] = {}
    out: dict[str, list[str]] = {}
    over: list[str] = []
    for key, chosen in choices.items():
        item = by_key.get(key)
        if item is None:
            errors[f"choices.{key}"] = f"选票：没有“{key}”这一事项"
            continue
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            errors[f"choices.{key}"] = f"“{item['label']}”：应为选项的列表"
            continue
        unknown = [c for c in chosen if c not in item["options"]]
        if unknown:
            errors[f"choices.{key}"] = f"“{item['label']}”：没有“{unknown[0]}”这一选项"
        elif len(set(chosen)) != len(chosen):
            errors[f"choices.{key}"] = f"“{item['label']}”：同一选项不能选两次"
        else:
            out[key] = [o for o in item["options"] if o in chosen]
            if len(chosen) > item["max_choices"]:
                over.append(key)
    if errors:
        raise ValidationFailed(errors)
    return out, over
