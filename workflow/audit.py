"""The hash chain over history rows, and the seals of case heads and the case ledger.

Each event's ``hash`` is SHA-256 over a canonical JSON encoding of every column
of its row but the surrogate id (format 2: case, seq, type, event, from, to,
actor, actor name, role, time, data, comment) and the previous event's hash.
Events written before migration 0008 keep format 1 (no actor name); a case's
``full_hash_from`` (covered by its head's MAC) is the first seq in format 2, so
an event cannot be passed off as an old one.

The case row keeps its head (count and last hash) and its seal: each column the
engine decides on or prints as it is (``data`` as its SHA-256), its recusals and
its links (``seal``), all under one HMAC with a key that is not in the database
(``head_mac_v2``). A truncated history or a changed case row is detected too;
heads signed before 0008 carry ``head_mac`` (format 1) and an empty seal until
their next event. Case creations are chained the same way in ``case_ledger``.
Pure functions: the rows are written by ``commands.events``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
EVENT_TYPES = ("case_started", "transition_fired", "approval_recorded", "document_issued", "attachment_added",
               "recusal_recorded", "ballot_opened", "ballot_closed", "case_urged", "signer_added", "step_withdrawn",
               "case_copied")


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def iso(at: datetime) -> str:
    """UTC, microseconds, always the same text for the same instant."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(case_id: int, seq: int, type_: str, event: str | None, from_state: str | None,
               to_state: str | None, actor: str, role: str, at: datetime, data: Any, comment: str,
               prev_hash: str) -> str:
    body = {
        "case": case_id, "seq": seq, "type": type_, "event": event, "from": from_state, "to": to_state,
        "actor": actor, "role": role, "at": iso(at), "data": data, "comment": comment, "prev": prev_hash,
    }
    return hashlib.sha256(canonical(body)).hexdigest()


def event_hash_v2(case_id: int, seq: int, type_: str, event: str | None, from_state: str | None,
                  to_state: str | None, actor: str, actor_name: str, role: str, at: datetime, data: Any,
                  comment: str, prev_hash: str, on_behalf_of: str | None = None,
                  on_behalf_of_name: str | None = None) -> str:
    """Format 2: every column of the history row (the actor's display name too; the delegator an event
    was fired for, 委托, when there is one: an event without one hashes as before migration 0011)."""
    body = {
        "v": 2, "case": case_id, "seq": seq, "type": type_, "event": event, "from": from_state, "to": to_state,
        "actor": actor, "actor_name": actor_name, "role": role, "at": iso(at), "data": data, "comment": comment,
        "prev": prev_hash,
    }
    if on_behalf_of is not None:
        body.update(on_behalf_of=on_behalf_of, on_behalf_of_name=on_behalf_of_name or "")
    return hashlib.sha256(canonical(body)).hexdigest()


def row_hash(ev: Any, full_hash_from: int) -> str:
    """The hash a stored history row should have, in the format of its position."""
    if ev.seq >= full_hash_from:
        return event_hash_v2(ev.case_id, ev.seq, ev.type, ev.event, ev.from_state, ev.to_state, ev.actor,
                             ev.actor_name, ev.role, ev.at, ev.data, ev.comment, ev.prev_hash,
                             getattr(ev, "on_behalf_of", None), getattr(ev, "on_behalf_of_name", None))
    if getattr(ev, "on_behalf_of", None) is not None:
        return ""  # format 1 predates delegation: such a row cannot be an old one
    return event_hash(ev.case_id, ev.seq, ev.type, ev.event, ev.from_state, ev.to_state, ev.actor, ev.role,
                      ev.at, ev.data, ev.comment, ev.prev_hash)


def event_json(e: Any) -> dict[str, Any]:
    """An event (``types.EventView``) as ``GET /cases/{id}/history`` gives it (time in Beijing)."""
    from .clock import SHANGHAI

    out = {
        "seq": e.seq, "type": e.type, "event": e.event, "from": e.from_state, "to": e.to_state,
        "actor": e.actor, "actor_name": e.actor_name, "role": e.role,
        "at": e.at.astimezone(SHANGHAI).isoformat(), "data": e.data,
        "comment": e.comment, "hash": e.hash, "prev_hash": e.prev_hash, "sealed": e.sealed,
    }
    if getattr(e, "on_behalf_of", None) is not None:  # 委托: the delegator, beside the actor
        out.update(on_behalf_of=e.on_behalf_of, on_behalf_of_name=e.on_behalf_of_name or "")
    return out


def json_event_matches(case_id: int, item: dict[str, Any]) -> bool:
    """Whether an event as ``event_json`` gives it hashes to its ``hash``: in format 2 (every column),
    or in format 1 for an event written before migration 0008. Accepting either is sound: an edited
    format-2 event would need its format-1 hash to equal the stored format-2 hash (a collision)."""
    at = datetime.fromisoformat(str(item["at"]))
    args = (case_id, int(item["seq"]), str(item["type"]), item["event"], item["from"], item["to"], str(item["actor"]))
    rest = (str(item["role"]), at, item["data"], str(item["comment"]), str(item["prev_hash"]))
    if item.get("on_behalf_of") is not None:
        return item.get("hash") == event_hash_v2(*args, str(item["actor_name"]), *rest, str(item["on_behalf_of"]),
                                                 str(item.get("on_behalf_of_name") or ""))
    return item.get("hash") in (event_hash_v2(*args, str(item["actor_name"]), *rest), event_hash(*args, *rest))


def head_mac(key: bytes, case_id: int, seq: int, head_hash: str) -> str:
    """Format 1 (before migration 0008): the head alone."""
    return hmac.new(key, f"case:{case_id}:{seq}:{head_hash}".encode(), hashlib.sha256).hexdigest()


# The case columns the seal covers, with the Chinese name verify reports (everything but the id and the head).
SEALED = {
    "definition_key": "流程", "definition_version": "流程版本", "definition_hash": "流程定义哈希", "title": "标题",
    "subject_id": "所涉干部", "org_id": "所属组织", "state": "状态", "final": "办结标记", "version": "版本",
    "data": "数据", "created_by": "发起人", "created_at": "发起时间", "updated_at": "更新时间",
    "state_entered_at": "进入状态时间", "due_at": "办理期限", "recusals": "回避登记", "links": "关联案件",
}


def _sealed_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    return value


def seal(values: Any, recusals: Any, links: Any) -> dict[str, Any]:
    """The sealed columns of a case row (``values`` maps column names) as they are, but ``data`` as its
    SHA-256 and times in ``iso`` form; its recusals (usernames) and links ("target:relation"), sorted."""
    out = {name: _sealed_value(values[name]) for name in SEALED if name not in ("data", "recusals", "links")}
    out["data"] = hashlib.sha256(canonical(values["data"])).hexdigest()
    out["recusals"] = sorted(recusals)
    out["links"] = sorted(links)
    return out


def seal_text(digests: dict[str, Any]) -> str:
    return canonical(digests).decode()


def head_mac_v2(key: bytes, case_id: int, seq: int, head_hash: str, full_hash_from: int, sealed: str) -> str:
    """Format 2: the head, the first seq hashed in full and the seal of the case row."""
    msg = f"case2:{case_id}:{seq}:{head_hash}:{full_hash_from}:{sealed}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def ledger_hash(seq: int, case_id: int, definition_key: str, created_at: datetime, prev_hash: str) -> str:
    body = {"seq": seq, "case": case_id, "definition": definition_key, "at": iso(created_at), "prev": prev_hash}
    return hashlib.sha256(canonical(body)).hexdigest()


def ledger_mac(key: bytes, count: int, head_hash: str) -> str:
    return hmac.new(key, f"ledger:{count}:{head_hash}".encode(), hashlib.sha256).hexdigest()


def access_hash(seq: int, at: datetime, username: str, action: str, object_: str, case_id: int | None,
                person_id: int | None, detail: str, address: str, prev_hash: str) -> str:
    """The hash of one row of the read-access register (查阅登记), chained like the history."""
    body = {"seq": seq, "at": iso(at), "username": username, "action": action, "object": object_,
            "case": case_id, "person": person_id, "detail": detail, "address": address, "prev": prev_hash}
    return hashlib.sha256(canonical(body)).hexdigest()


def access_mac(key: bytes, count: int, head_hash: str) -> str:
    return hmac.new(key, f"access:{count}:{head_hash}".encode(), hashlib.sha256).hexdigest()


def _columns(row: Any) -> Mapping[str, Any]:
    out: Mapping[str, Any] = row._mapping if hasattr(row, "_mapping") else vars(row)
    return out


def sign_head(key: bytes, values: Mapping[str, Any], recusals: Iterable[str],
              links: Iterable[str]) -> dict[str, Any]:
    """``head_seal`` and ``head_mac`` for a case row with these columns, recusals and links."""
    text = seal_text(seal(values, recusals, links))
    return {"head_seal": text, "head_mac": head_mac_v2(key, values["id"], values["head_seq"], values["head_hash"],
                                                       values["full_hash_from"], text)}


def head_problems(key: bytes, row: Any, recusals: Iterable[str], links: Iterable[str],
                  skip: tuple[str, ...] = ()) -> list[str]:
    """What in a case row (its head, sealed columns, recusals, links) disagrees with its signed head."""
    values = _columns(row)
    if not values["head_seal"]:
        # Signed before migration 0008 (format 1): only the head itself can be checked.
        mac = head_mac(key, values["id"], values["head_seq"], values["head_hash"])
        if values["full_hash_from"] <= values["head_seq"] or not hmac.compare_digest(mac, values["head_mac"] or ""):
            return ["案件末端的签名无效（末端被改写，或密钥不符）"]
        return []
    mac = head_mac_v2(key, values["id"], values["head_seq"], values["head_hash"], values["full_hash_from"],
                      values["head_seal"])
    if not hmac.compare_digest(mac, values["head_mac"] or ""):
        return ["案件末端的签名无效（末端被改写，或密钥不符）"]
    try:
        stored = json.loads(values["head_seal"])
    except ValueError:
        stored = {}
    now = seal(values, recusals, links)
    return [f"案件的{label}与签名末端不符（案件记录被改写）" for name, label in SEALED.items()
            if name not in skip and stored.get(name) != now[name]]
