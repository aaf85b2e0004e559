"""The hash chain over history rows, and the seals of case heads and the case ledger.

Each event's ``hash`` is SHA-256 over a canonical JSON encoding of the event
(case, seq, type, event, from, to, actor, role, time, data, comment) and the
previous event's hash. The case row keeps its head (count and last hash) with
an HMAC under a key that is not in the database, so a truncated history is
detected too. Case creations are chained the same way in ``case_ledger``.
Pure functions: the rows are written by ``commands.events``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
EVENT_TYPES = ("case_started", "transition_fired", "approval_recorded", "document_issued", "attachment_added",
               "recusal_recorded", "ballot_opened", "ballot_closed", "case_urged")


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


def event_json(e: Any) -> dict[str, Any]:
    """An event (``types.EventView``) as ``GET /cases/{id}/history`` gives it (time in Beijing)."""
    from .clock import SHANGHAI

    return {
        "seq": e.seq, "type": e.type, "event": e.event, "from": e.from_state, "to": e.to_state,
        "actor": e.actor, "actor_name": e.actor_name, "role": e.role,
        "at": e.at.astimezone(SHANGHAI).isoformat(), "data": e.data,
        "comment": e.comment, "hash": e.hash, "prev_hash": e.prev_hash, "sealed": e.sealed,
    }


def json_event_hash(case_id: int, item: dict[str, Any]) -> str:
    """The hash of an event given as ``event_json`` gives it (the same ``event_hash``)."""
    return event_hash(case_id, int(item["seq"]), str(item["type"]), item["event"], item["from"], item["to"],
                      str(item["actor"]), str(item["role"]), datetime.fromisoformat(str(item["at"])),
                      item["data"], str(item["comment"]), str(item["prev_hash"]))


def head_mac(key: bytes, case_id: int, seq: int, head_hash: str) -> str:
    return hmac.new(key, f"case:{case_id}:{seq}:{head_hash}".encode(), hashlib.sha256).hexdigest()


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
