"""Recompute every hash chain and head; name every broken case and event.

Streams cases, events and ledger entries in id/seq order and joins them as they
come (constant memory: nothing is kept per case), so it runs over a million
events without holding them.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from . import audit
from .definition import DefinitionRegistry
from .persistence import access
from .persistence.tables import cases_t
from .persistence.tables import events_t
from .persistence.tables import head_t
from .persistence.tables import ledger_t
from .types import VerifyProblem
from .types import VerifyReport
from .verify_people import verify_people
from .verify_records import CaseRecords
from .verify_records import Recorded
from .verify_records import check_records

BATCH = 2000
CASE_COLUMNS = tuple(cases_t.c)


def _stream(conn: Connection, stmt: Any) -> Iterator[Any]:
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
    yield from result


def verify_all(conn: Connection, key: bytes, registry: DefinitionRegistry,
               progress: Callable[[int], None] | None = None) -> VerifyReport:
    problems: list[VerifyProblem] = []
    add = problems.append
    n_cases = n_events = 0
    events = _stream(conn, select(events_t).order_by(events_t.c.case_id, events_t.c.seq))
    pending = next(events, None)
    registered = _Registered(_stream(conn, select(ledger_t.c.case_id).order_by(ledger_t.c.case_id)), add)
    records = CaseRecords.all(conn, _stream)
    for case in _stream(conn, select(*CASE_COLUMNS).order_by(cases_t.c.id)):
        n_cases += 1
        registered.check(case.id)
        while pending is not None and pending.case_id < case.id:
            add(VerifyProblem(pending.case_id, pending.seq, "历史事件所属的案件不存在（案件被删除）"))
            pending = next(events, None)
        stream = _CaseEvents(case.id, pending, events)
        before = n_events
        n_events += _check_case(case, stream, records.take(case.id), key, registry, add)
        pending = stream.pending
        if progress is not None:
            for _ in range(n_events // BATCH - before // BATCH):
                progress(BATCH)
    while pending is not None:
        add(VerifyProblem(pending.case_id, pending.seq, "历史事件所属的案件不存在（案件被删除）"))
        pending = next(events, None)
    if progress is not None:
        progress(n_events % BATCH)
    registered.finish()
    _verify_ledger(conn, key, add)
    _verify_access(conn, key, add)
    n_people, n_entries = verify_people(conn, key, add)
    return VerifyReport(not problems, n_cases, n_events, tuple(problems), n_people, n_entries)


class _Registered:
    """Every case against the ledger's entries, both streamed in case id order (a merge join)."""

    def __init__(self, entries: Iterator[Any], add: Callable[[VerifyProblem], None]) -> None:
        self.entries = entries
        self.add = add
        self.next = next(entries, None)

    def check(self, case_id: int) -> None:
        while self.next is not None and self.next.case_id < case_id:
            self.add(VerifyProblem(self.next.case_id, None, "登记过的案件已不存在（案件被删除）"))
            self.next = next(self.entries, None)
        if self.next is not None and self.next.case_id == case_id:
            self.next = next(self.entries, None)
        else:
            self.add(VerifyProblem(case_id, None, "案件未在案件登记链中登记"))

    def finish(self) -> None:
        while self.next is not None:
            self.add(VerifyProblem(self.next.case_id, None, "登记过的案件已不存在（案件被删除）"))
            self.next = next(self.entries, None)


class _CaseEvents:
    """The events of one case from the shared, ordered event stream; leaves the next one pending."""

    def __init__(self, case_id: int, pending: Any, events: Iterator[Any]) -> None:
        self.case_id = case_id
        self.pending = pending
        self.events = events

    def __iter__(self) -> Iterator[Any]:
        while self.pending is not None and self.pending.case_id == self.case_id:
            ev = self.pending
            self.pending = next(self.events, None)
            yield ev


def _check_case(case: Any, events: Iterable[Any], rows: tuple[list[Any], list[str], list[Any], list[str]], key: bytes,
                registry: DefinitionRegistry, add: Callable[[VerifyProblem], None]) -> int:
    """Check one case's chain, head, sealed row, state, definition hash, recusals, links and attachments;
    returns its number of events."""
    prev = audit.GENESIS
    expected_seq = 1
    last_state = None
    count = 0
    recorded = Recorded()
    for ev in events:
        count += 1
        recorded.see(ev)
        if ev.seq != expected_seq:
            add(VerifyProblem(case.id, ev.seq,
                              f"序号不连续：应为{expected_seq}，实为{ev.seq}（事件被删除、插入或重排）"))
        if ev.prev_hash != prev:
            add(VerifyProblem(case.id, ev.seq, "与前一事件的链接不符（事件被删除、插入或重排）"))
        if audit.row_hash(ev, case.full_hash_from) != ev.hash:
            add(VerifyProblem(case.id, ev.seq, "内容与哈希不符（事件被篡改）"))
        if ev.to_state is not None:
            last_state = ev.to_state
        prev = ev.hash
        expected_seq = ev.seq + 1
    if count == 0:
        add(VerifyProblem(case.id, None, "案件没有任何历史事件"))
    if case.head_seq != count or case.head_hash != prev:
        add(VerifyProblem(case.id, None,
                          f"案件记录的末端（{case.head_seq}个事件）与实际历史（{count}个事件）不符（历史被截断或追加）"))
    recusals, links, attachments, copies = rows
    for problem in audit.head_problems(key, case, [r.username for r in recusals], links):
        add(VerifyProblem(case.id, None, problem))
    check_records(case.id, recorded, recusals, attachments, add, copies)
    if last_state is not None and last_state != case.state:
        add(VerifyProblem(case.id, None, f"案件状态“{case.state}”与历史最后的状态“{last_state}”不符"))
    if registry.has(case.definition_key, case.definition_version):
        d = registry.get(case.definition_key, case.definition_version)
        if d.content_hash != case.definition_hash:
            add(VerifyProblem(case.id, None, "案件所用流程定义的哈希与库中版本不符"))
    return count


def verify_case(conn: Connection, key: bytes, registry: DefinitionRegistry, case_id: int) -> VerifyReport:
    """Verify one case: its event chain, signed head and row, state, definition hash, recusals, links,
    attachments and its ledger entry.

    The ledger entry is checked on its own (hash, and link to the previous entry's hash); the
    whole ledger chain is ``verify_all``'s job.
    """
    problems: list[VerifyProblem] = []
    add = problems.append
    case = conn.execute(select(*CASE_COLUMNS).where(cases_t.c.id == case_id)).first()
    if case is None:
        return VerifyReport(False, 0, 0, (VerifyProblem(case_id, None, "案件不存在"),))
    events = _stream(conn, select(events_t).where(events_t.c.case_id == case_id).order_by(events_t.c.seq))
    count = _check_case(case, events, CaseRecords.one(conn, _stream, case_id).take(case_id), key, registry, add)
    row = conn.execute(select(ledger_t).where(ledger_t.c.case_id == case_id)).first()
    if row is None:
        add(VerifyProblem(case_id, None, "案件未在案件登记链中登记"))
    else:
        digest = audit.ledger_hash(row.seq, row.case_id, row.definition_key, row.created_at, row.prev_hash)
        if digest != row.hash:
            add(VerifyProblem(case_id, None, "案件登记内容与哈希不符"))
        before = conn.execute(select(ledger_t.c.hash).where(ledger_t.c.seq == row.seq - 1)).first()
        expected_prev = audit.GENESIS if row.seq == 1 else (before.hash if before is not None else None)
        if row.prev_hash != expected_prev:
            add(VerifyProblem(case_id, None, f"案件登记链在第{row.seq}条处断开（登记被删除或插入）"))
    return VerifyReport(not problems, 1, count, tuple(problems))


def _verify_ledger(conn: Connection, key: bytes, add: Callable[[VerifyProblem], None]) -> None:
    """The ledger's chain in seq order and its MAC'd head (which cases it names: ``_Registered``)."""
    prev = audit.GENESIS
    expected = 1
    seen = 0
    for row in _stream(conn, select(ledger_t).order_by(ledger_t.c.seq)):
        seen += 1
        if row.seq != expected or row.prev_hash != prev:
            add(VerifyProblem(row.case_id, None, f"案件登记链在第{row.seq}条处断开（登记被删除或插入）"))
        digest = audit.ledger_hash(row.seq, row.case_id, row.definition_key, row.created_at, row.prev_hash)
        if digest != row.hash:
            add(VerifyProblem(row.case_id, None, "案件登记内容与哈希不符"))
        prev = row.hash
        expected = row.seq + 1
    head = conn.execute(select(head_t).where(head_t.c.id == 1)).first()
    if head is None:
        if seen:
            add(VerifyProblem(None, None, "案件登记链的末端记录缺失"))
        return
    count = int(head._mapping["count"])
    if count != seen or head.head_hash != prev:
        add(VerifyProblem(None, None, f"案件登记链末端记录{count}件，实际{seen}件（案件登记被删除）"))
    if not hmac.compare_digest(audit.ledger_mac(key, count, head.head_hash), head.mac or ""):
        add(VerifyProblem(None, None, "案件登记链末端的签名无效"))


def _verify_access(conn: Connection, key: bytes, add: Callable[[VerifyProblem], None]) -> None:
    """The read-access register (查阅登记): its chain in seq order and its MAC'd head."""
    prev = audit.GENESIS
    expected = 1
    seen = 0
    for row in access.stream(conn, BATCH):
        seen += 1
        if row.seq != expected or row.prev_hash != prev:
            add(VerifyProblem(None, None, f"查阅登记在第{row.seq}号处断开（登记被删除或插入）"))
        digest = audit.access_hash(row.seq, row.at, row.username, row.action, row.object, row.case_id,
                                   row.person_id, row.detail, row.address, row.prev_hash)
        if digest != row.hash:
            add(VerifyProblem(row.case_id, None, f"查阅登记第{row.seq}号的内容与哈希不符（登记被篡改）"))
        prev = row.hash
        expected = row.seq + 1
    head = access.head(conn)
    if head is None:
        if seen:
            add(VerifyProblem(None, None, "查阅登记的末端记录缺失"))
        return
    count = int(head._mapping["count"])
    if count != seen or head.head_hash != prev:
        add(VerifyProblem(None, None, f"查阅登记末端记录{count}条，实际{seen}条（登记被删除）"))
    if not hmac.compare_digest(audit.access_mac(key, count, head.head_hash), head.mac or ""):
        add(VerifyProblem(None, None, "查阅登记末端的签名无效"))
