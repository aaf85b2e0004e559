"""The ``people`` blueprint, and how the person pages show a record's values and its history."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint

from workflow.codes import code_set
from workflow.people import LABELS
from workflow.people import LISTS
from workflow.people import HistoryEntry

bp = Blueprint("people", __name__)
MAX_SHOWN = 120


def age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def field_label(key: str) -> str:
    if key.startswith("sanction:"):
        return f"处分记录（编号{key.split(':', 1)[1]}）"
    if key.startswith("mark:"):
        return f"标记（编号{key.split(':', 1)[1]}）"
    return LABELS.get(key, key)


def value_text(key: str, value: Any) -> str:
    """A value of the record as one short line (lists by their rows, sanctions by kind and period)."""
    if value is None or value == "" or value == []:
        return "（空）"
    if key == "rank_level" and isinstance(value, str):
        ranks = code_set("rank_level")
        return ranks.label(value) if value in ranks else value
    if key == "photo" and isinstance(value, Mapping):
        return "已上传照片"
    if key.startswith("sanction:") and isinstance(value, Mapping):
        until = value.get("effect_until")
        return f"{value.get('label')}，{value.get('decided_on')}{value.get('decided_by')}决定" + (
            f"，影响期至{until}" if until else "")
    if key.startswith("mark:") and isinstance(value, Mapping):
        return f"{value.get('label')}（{value.get('starts_on') or ''}至{value.get('ends_on') or '无截止'}）"
    if key in LISTS and isinstance(value, list):
        columns = LISTS[key][1]
        rows = ["　".join(str(r.get(c, "")) for c in columns if r.get(c) not in (None, ""))
                for r in value if isinstance(r, Mapping)]
        text = "；".join(rows)
        return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + f"……（共{len(rows)}项）"
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "……"


def history_rows(entries: Iterable[HistoryEntry], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The history newest first, each change as (label, old, new) lines."""
    out = []
    for e in reversed(list(entries)):
        out.append({"seq": e.seq, "at": e.at, "actor": names.get(e.actor, e.actor_name or e.actor),
                    "kind": e.kind_label, "note": e.note, "case_id": e.case_id, "hash": e.hash,
                    "changes": [(field_label(k), value_text(k, c.get("old")), value_text(k, c.get("new")))
                                for k, c in e.changes.items()]})
    return out
