"""The changes a person's record takes, each through the one write path (``chain.Writer.write``).

These run on the caller's connection: ``People`` calls them in its own transaction, a
case's actions (``commands.effects``) in the transaction of the event that runs them, so
an appointment or a sanction written by a case is in the person's history exactly when
the event is in the case's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from ..errors import ValidationFailed
from ..files import detect_type
from ..persistence import people as rows
from ..persistence.blobs import store_blob
from ..persistence.orgs import org_id_for
from ..persistence.orgs import root_id
from ..sanctions import UnknownKind
from ..sanctions import kind as sanction_kind
from ..types import Actor
from ..types import PersonMark
from .chain import Writer
from .fields import COLUMNS

MAX_PHOTO = 2 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png")


def managing_org_id(conn: Connection, code: object, actor: Actor | None) -> int:
    """The organization a new person is managed by: ``code``, else the actor's (root for the CLI)."""
    if code in (None, ""):
        return (actor.org_id if actor else 0) or root_id(conn)
    if not isinstance(code, str):
        raise ValidationFailed({"managing_org": "管理组织：应为组织编码"})
    org_id = org_id_for(conn, code)
    if actor is not None and actor.org_id and org_id != actor.org_id:
        raise ValidationFailed({"managing_org": "管理组织：只能登记本组织管理的干部"})
    return org_id


def insert_person(conn: Connection, writer: Writer, clean: Mapping[str, Any], org_id: int, actor: Actor | None,
                  now: datetime, *, kind: str = "created", note: str = "", photo: bytes | None = None) -> int:
    """Create a person (with its photo, when given) and the first entry of its history."""
    profile = {k: v for k, v in clean.items() if k not in COLUMNS and v is not None}
    by = actor.username if actor else "system"
    pid = rows.insert_person(conn, {
        "name": clean["name"], "gender": clean["gender"], "birth_date": date.fromisoformat(clean["birth_date"]),
        "unit": clean.get("unit") or "", "current_post": clean.get("current_post") or "", "profile": profile,
        "managing_org_id": org_id, "created_by": by, "created_at": now, "updated_at": now, "version": 1,
        "head_seq": 0, "head_hash": "", "head_mac": ""})
    if photo is not None:
        content_type = check_photo(photo)
        photo_id = rows.insert_photo(conn, pid, store_blob(conn, photo), content_type, len(photo), by, now)
        rows.update_person(conn, pid, 1, {"photo_id": photo_id})
    writer.created(conn, pid, actor, now, kind=kind, note=note)
    return pid


def fact_values(row: Any, clean: Mapping[str, Any]) -> dict[str, Any]:
    """The column and profile values of ``row`` after ``clean`` (a None value clears its field)."""
    profile = dict(row.profile or {})
    values: dict[str, Any] = {}
    for key, value in clean.items():
        if key in COLUMNS:
            values[key] = date.fromisoformat(value) if key == "birth_date" else (value or "")
        elif value is None:
            profile.pop(key, None)
        else:
            profile[key] = value
    values["profile"] = profile
    return values


def apply_facts(conn: Connection, writer: Writer, person_id: int, clean: Mapping[str, Any], actor: Actor | None,
                now: datetime, *, kind: str = "updated", note: str = "", case_id: int | None = None,
                expected_version: int | None = None) -> dict[str, Any]:
    """Set validated facts (``fields.check_person`` output) and record what changed."""
    return writer.write(conn, person_id, actor, kind, lambda row: fact_values(row, clean), now=now, note=note,
                        case_id=case_id, expected_version=expected_version)


def check_sanction(data: Mapping[str, Any], today: date) -> tuple[Any, date, str, str, str]:
    """(kind, decided_on, decided_by, reason, document_no) of a sanction, or ValidationFailed per field."""
    errors: dict[str, str] = {}
    known = {"kind", "decided_on", "decided_by", "reason", "document_no"}
    for key in data:
        if key not in known:
            errors[str(key)] = f"处分记录没有“{key}”这一项"
    found = None
    try:
        found = sanction_kind(str(data.get("kind") or ""))
    except UnknownKind as exc:
        errors["kind"] = f"类别：{exc.args[0]}" if data.get("kind") else "类别：此项为必填项"
    decided = None
    raw = data.get("decided_on")
    try:
        decided = date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
    except ValueError:
        decided = None
    if decided is None:
        errors["decided_on"] = "决定日期：应为YYYY-MM-DD格式的日期" if raw else "决定日期：此项为必填项"
    elif decided > today:
        errors["decided_on"] = f"决定日期：不得晚于今天（{today.isoformat()}）"
    texts = {}
    for key, label, limit, required in (("decided_by", "决定机关", 200, True), ("reason", "事由", 2000, True),
                                        ("document_no", "决定文号", 100, False)):
        value = data.get(key, "")
        if not isinstance(value, str):
            errors[key] = f"{label}：应为文本"
            continue
        value = value.strip()
        if required and not value:
            errors[key] = f"{label}：此项为必填项"
        elif len(value) > limit:
            errors[key] = f"{label}：不得超过{limit}个字（现有{len(value)}个）"
        texts[key] = value
    if errors:
        raise ValidationFailed(errors)
    assert decided is not None
    return found, decided, texts["decided_by"], texts["reason"], texts.get("document_no", "")


def add_sanction(conn: Connection, writer: Writer, person_id: int, data: Mapping[str, Any], actor: Actor | None,
                 now: datetime, today: date, *, case_id: int | None = None, note: str = "") -> int:
    """Record one sanction with its 影响期 computed from its kind; returns its id."""
    found, decided, by, reason, doc_no = check_sanction(data, today)
    made: list[int] = []

    def change(row: Any) -> None:
        made.append(rows.insert_sanction(conn, {
            "person_id": row.id, "kind": found.kind, "label": found.label, "months": found.months,
            "decided_on": decided, "decided_by": by, "reason": reason, "document_no": doc_no,
            "effect_until": found.effect_until(decided), "case_id": case_id,
            "recorded_by": actor.username if actor else "system", "recorded_at": now}))

    writer.write(conn, person_id, actor, "sanction", change, now=now, note=note or reason, case_id=case_id)
    return made[0]


def add_mark(conn: Connection, writer: Writer, person_id: int, mark: PersonMark, actor: Actor | None,
             now: datetime, *, case_id: int | None = None) -> int:
    made: list[int] = []

    def change(row: Any) -> None:
        made.append(rows.insert_mark(conn, {
            "person_id": row.id, "kind": mark.kind, "label": mark.label, "starts_on": mark.starts_on,
            "ends_on": mark.ends_on, "reason": mark.reason, "case_id": case_id,
            "created_by": actor.username if actor else "system", "created_at": now}))

    writer.write(conn, person_id, actor, "mark", change, now=now, note=mark.reason, case_id=case_id)
    return made[0]


def check_photo(content: bytes) -> str:
    """The photo's content type (JPEG or PNG, judged by its bytes), or ValidationFailed / too large."""
    if len(content) > MAX_PHOTO:
        raise ValidationFailed({"photo": f"照片：不得超过{MAX_PHOTO // 2**20} MB（现有{len(content) / 2**20:.1f} MB）"})
    kind = detect_type(content) if content else None
    if kind not in PHOTO_TYPES:
        raise ValidationFailed({"photo": "照片：应为JPEG或PNG图片（按文件内容判断，不看扩展名）"})
    assert kind is not None
    return kind


def set_photo(conn: Connection, writer: Writer, person_id: int, content: bytes | None, actor: Actor | None,
              now: datetime, *, kind: str = "photo", note: str = "") -> int | None:
    """Set (or, with None, remove) the person's photo; returns the new photo id."""
    content_type = check_photo(content) if content is not None else None
    made: list[int | None] = [None]

    def change(row: Any) -> dict[str, Any]:
        if content is None:
            return {"photo_id": None}
        current = rows.photo(conn, row.photo_id) if row.photo_id else None
        digest = store_blob(conn, content)
        if current is not None and current.sha256 == digest:
            made[0] = row.photo_id
            return {}
        assert content_type is not None
        made[0] = rows.insert_photo(conn, row.id, digest, content_type, len(content),
                                    actor.username if actor else "system", now)
        return {"photo_id": made[0]}

    writer.write(conn, person_id, actor, kind, change, now=now, note=note)
    return made[0]
