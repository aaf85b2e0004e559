"""``cadreflow verify`` for the person records: each history chain, its sealed head, the record against
its history, and the stored bytes of every photo.

People and history rows are streamed in (person, seq) order and joined as they come;
for each person the replayed history (``people.chain.replay``) must equal the record
as it stands (facts, managing organization, photo, sanctions, marks), so a row changed
behind the write path is found even when the history itself is intact.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Connection

from . import audit
from .people.chain import head_mac
from .people.chain import history_hash
from .people.chain import replay
from .people.chain import state_of
from .persistence import people as rows
from .types import VerifyProblem

BATCH = 2000
Add = Callable[[VerifyProblem], None]


def _problem(person_id: int, seq: int | None, text: str) -> VerifyProblem:
    return VerifyProblem(None, seq, f"人员{person_id}：{text}", person_id)


def verify_people(conn: Connection, key: bytes, add: Add) -> tuple[int, int]:
    """Check every person; returns (people, history entries) seen."""
    history = rows.stream_history(conn, BATCH)
    pending = next(history, None)
    n_people = n_entries = 0
    for person in rows.stream_people(conn, BATCH):
        n_people += 1
        while pending is not None and pending.person_id < person.id:
            add(_problem(pending.person_id, pending.seq, "变更记录所属的人员不存在（人员被删除）"))
            pending = next(history, None)
        entries = []
        while pending is not None and pending.person_id == person.id:
            entries.append(pending)
            pending = next(history, None)
        n_entries += len(entries)
        _check_person(conn, person, entries, key, add)
    while pending is not None:
        add(_problem(pending.person_id, pending.seq, "变更记录所属的人员不存在（人员被删除）"))
        pending = next(history, None)
    _check_photos(conn, add)
    return n_people, n_entries


def _check_person(conn: Connection, person: Any, entries: list[Any], key: bytes, add: Add) -> None:
    if not entries and person.head_seq == 0 and not person.head_hash:
        return  # recorded before histories existed, never changed since (its first change starts the chain)
    prev = audit.GENESIS
    for expected, e in enumerate(entries, start=1):
        if e.seq != expected:
            add(_problem(person.id, e.seq,
                         f"变更记录序号不连续：应为{expected}，实为{e.seq}（记录被删除、插入或重排）"))
        if e.prev_hash != prev:
            add(_problem(person.id, e.seq, "与前一条变更记录的链接不符（记录被删除、插入或重排）"))
        digest = history_hash(person.id, e.seq, e.kind, e.at, e.actor, e.actor_name, e.changes, e.note, e.case_id,
                              e.prev_hash)
        if digest != e.hash:
            add(_problem(person.id, e.seq, "变更记录的内容与哈希不符（记录被篡改）"))
        prev = e.hash
    if person.head_seq != len(entries) or (entries and person.head_hash != prev):
        add(_problem(person.id, None, f"人员记录的末端（{person.head_seq}条）与实际变更记录（{len(entries)}条）不符"
                                      "（记录被截断或追加）"))
    if not hmac.compare_digest(head_mac(key, person.id, person.head_seq, person.head_hash), person.head_mac or ""):
        add(_problem(person.id, None, "人员记录末端的签名无效（末端被改写，或密钥不符）"))
    built = replay([e.changes or {} for e in entries])
    current = state_of(conn, person)
    wrong = sorted(k for k in {*built, *current} if built.get(k) != current.get(k))
    if wrong:
        shown = "、".join(wrong[:8]) + ("等" if len(wrong) > 8 else "")
        add(_problem(person.id, None, f"人员信息与变更记录不符（{shown}）：有内容未经记录被修改"))


def _check_photos(conn: Connection, add: Add) -> None:
    photos: Iterator[Any] = rows.photos_of_people(conn)
    for p in photos:
        if p.content is None:
            add(_problem(p.person_id, None, f"照片{p.id}的内容已不存在"))
        elif hashlib.sha256(bytes(p.content)).hexdigest() != p.sha256:
            add(_problem(p.person_id, None, f"照片{p.id}的内容与记录的SHA-256不符（照片被替换）"))
