"""The one write path of a person's record, and the hash chain of its history.

Every change of a person (creation, an edit, an import, a grade, a sanction, a mark, a
photo, an appointment written by a case) is ``write`` inside one transaction: lock the
row, check the version, take the record's ``state``, run the change, take the state
again, append the difference as a history entry chained to the previous one, and bump
the version with ``WHERE version = :expected``. A refusal anywhere rolls it all back.

The state is one flat mapping: the facts (columns and profile), ``managing_org`` (code),
``photo`` (``{"id", "sha256"}``), and one key per sanction and mark (``sanction:7``,
``mark:3``). Replaying the history's ``new`` values from nothing gives the current state,
which is what ``cadreflow verify`` checks, beside each entry's hash and the head's MAC.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from .. import audit
from ..errors import NotFound
from ..errors import StaleVersion
from ..persistence import people as rows
from ..types import Actor

KINDS = {"created": "登记", "updated": "修改", "imported": "导入", "assessment": "年度考核", "sanction": "处分记录",
         "mark": "标记", "photo": "照片", "appointment": "任职", "baseline": "建立记录链"}
SYSTEM = "system"


class PersonStale(StaleVersion):
    """The record changed since the caller read it: 409 stale_version."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(expected, actual)
        self.message = f"该干部信息已被他人修改，请刷新后重试（提交时版本{expected}，当前版本{actual}）"
        self.args = (self.message,)


def history_hash(person_id: int, seq: int, kind: str, at: datetime, actor: str, actor_name: str,
                 changes: Any, note: str, case_id: int | None, prev_hash: str) -> str:
    body = {"person": person_id, "seq": seq, "kind": kind, "at": audit.iso(at), "actor": actor,
            "actor_name": actor_name, "changes": changes, "note": note, "case": case_id, "prev": prev_hash}
    return hashlib.sha256(audit.canonical(body)).hexdigest()


def head_mac(key: bytes, person_id: int, seq: int, head_hash: str) -> str:
    return hmac.new(key, f"person:{person_id}:{seq}:{head_hash}".encode(), hashlib.sha256).hexdigest()


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def sanction_state(r: Any) -> dict[str, Any]:
    return {"kind": r.kind, "label": r.label, "months": r.months, "decided_on": _day(r.decided_on),
            "decided_by": r.decided_by, "reason": r.reason, "document_no": r.document_no,
            "effect_until": _day(r.effect_until), "case_id": r.case_id}


def mark_state(r: Any) -> dict[str, Any]:
    return {"kind": r.kind, "label": r.label, "starts_on": _day(r.starts_on), "ends_on": _day(r.ends_on),
            "reason": r.reason, "case_id": r.case_id}


def facts_of(row: Any) -> dict[str, Any]:
    """The facts of a person row: columns and profile, empty values left out."""
    out: dict[str, Any] = {"name": row.name, "gender": row.gender, "birth_date": row.birth_date.isoformat()}
    if row.unit:
        out["unit"] = row.unit
    if row.current_post:
        out["current_post"] = row.current_post
    out.update({k: v for k, v in (row.profile or {}).items() if v not in (None, "", [])})
    return out


def state_of(conn: Connection, row: Any) -> dict[str, Any]:
    """The whole record of ``row`` as the history describes it (see the module docstring)."""
    state = facts_of(row)
    state["managing_org"] = row.org_code
    if row.photo_id:
        photo = rows.photo(conn, row.photo_id)
        state["photo"] = {"id": row.photo_id, "sha256": photo.sha256 if photo else None}
    for s in rows.sanctions(conn, row.id):
        state[f"sanction:{s.id}"] = sanction_state(s)
    for m in rows.marks(conn, row.id):
        state[f"mark:{m.id}"] = mark_state(m)
    return state


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    keys = [*before, *(k for k in after if k not in before)]
    return {k: {"old": before.get(k), "new": after.get(k)} for k in keys if before.get(k) != after.get(k)}


def replay(entries: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The state the history's changes build from nothing."""
    state: dict[str, Any] = {}
    for changes in entries:
        for key, change in changes.items():
            new = change.get("new") if isinstance(change, Mapping) else None
            if new is None:
                state.pop(key, None)
            else:
                state[key] = new
    return state


# Called in the transaction of a change of the family list: (conn, person, family before, after, actor, now).
FamilyHook = Callable[[Connection, int, Any, Any, Actor | None, datetime], None]


class Writer:
    """Appends history entries and seals the head; every change of a person goes through ``write``.

    ``on_family`` (the engine's 亲属回避, ``commands/kinship.py``) runs after a change of the
    family list, in its transaction, before the entry is appended: a refusal there rolls it all back.
    """

    def __init__(self, key: bytes, on_family: FamilyHook | None = None) -> None:
        self.key = key
        self.on_family = on_family

    def write(self, conn: Connection, person_id: int, actor: Actor | None, kind: str,
              change: Callable[[Any], Mapping[str, Any] | None], *, now: datetime, note: str = "",
              case_id: int | None = None, expected_version: int | None = None) -> dict[str, dict[str, Any]]:
        """Run ``change(row)`` on the locked person and record what it changed (nothing: no entry).

        ``change`` returns the new values of the person's columns and profile (or None when it
        changed only other rows: sanctions, marks, photos). Returns the changes recorded.
        """
        row = rows.person_row(conn, person_id, lock=True)
        if row is None:
            raise NotFound(f"人员不存在：{person_id}")
        if expected_version is not None and row.version != expected_version:
            raise PersonStale(expected_version, row.version)
        if row.head_seq == 0:
            row = self._baseline(conn, row, now)
        before = state_of(conn, row)
        values = change(row)
        if values:
            rows.update_person(conn, person_id, row.version, values)
        after_row = rows.person_row(conn, person_id)
        assert after_row is not None
        after = state_of(conn, after_row)
        changes = diff(before, after)
        if "family" in changes and self.on_family is not None:
            self.on_family(conn, person_id, before.get("family"), after.get("family"), actor, now)
        if changes:
            self._append(conn, after_row, actor, kind, changes, now, note, case_id)
        return changes

    def created(self, conn: Connection, person_id: int, actor: Actor | None, now: datetime, *,
                kind: str = "created", note: str = "") -> None:
        """The first entry of a new person: everything from nothing."""
        row = rows.person_row(conn, person_id)
        assert row is not None
        self._append(conn, row, actor, kind, diff({}, state_of(conn, row)), now, note, None, bump=False)

    def _baseline(self, conn: Connection, row: Any, now: datetime) -> Any:
        """Start the chain of a person recorded before histories existed: the record as it stands."""
        self._append(conn, row, None, "baseline", diff({}, state_of(conn, row)), now,
                     "本记录在启用变更记录前已存在，此条记载当时的全部信息", None, bump=False)
        fresh = rows.person_row(conn, row.id, lock=True)
        assert fresh is not None
        return fresh

    def _append(self, conn: Connection, row: Any, actor: Actor | None, kind: str, changes: dict[str, Any],
                now: datetime, note: str, case_id: int | None, *, bump: bool = True) -> None:
        seq = row.head_seq + 1
        prev = row.head_hash or audit.GENESIS
        username = actor.username if actor else SYSTEM
        name = actor.display if actor else "系统"
        digest = history_hash(row.id, seq, kind, now, username, name, changes, note, case_id, prev)
        rows.append_history(conn, {"person_id": row.id, "seq": seq, "kind": kind, "at": now, "actor": username,
                                   "actor_name": name, "changes": changes, "note": note, "case_id": case_id,
                                   "prev_hash": prev, "hash": digest})
        values = {"head_seq": seq, "head_hash": digest, "head_mac": head_mac(self.key, row.id, seq, digest),
                  "updated_at": now}
        if bump:
            values["version"] = row.version + 1
        if not rows.update_person(conn, row.id, row.version, values):
            current = rows.person_row(conn, row.id)
            raise PersonStale(row.version, current.version if current else 0)
