"""Writer threads for the fault tests, the ledger of what the server acknowledged, and the checks.

A ``Writer`` owns some daily_inspection cases and keeps changing them through the
API: mostly `record` (a self-loop), now and then `analyze` (open -> analysis,
once three records exist) followed by the reviewer's `return` (analysis -> open),
so cases really move. Every request carries a unique comment (its tag). The
``Ledger`` notes each tag when it is sent and, for a 2xx answer, the version and
state the answer reported. A request whose connection broke (the server was
killed) has an unknown outcome: it may or may not be in the history.

``check_cases`` then proves, through the engine, that every acknowledged event is
in the history exactly once with the acknowledged version and state, that nothing
was recorded that nobody sent, and that no case is half-moved.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from bench.load import record_body
from bench.serve import Client

MOVES = ("transition_fired", "approval_recorded")


@dataclass(frozen=True)
class Ack:
    case_id: int
    version: int
    tag: str
    event: str
    state: str
    at: float  # time.monotonic() when the answer arrived


@dataclass
class Ledger:
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: set[str] = field(default_factory=set)
    acks: list[Ack] = field(default_factory=list)
    unknown: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def acked(self) -> int:
        with self.lock:
            return len(self.acks)

    def acked_before(self, moment: float) -> list[Ack]:
        with self.lock:
            return [a for a in self.acks if a.at < moment]


class Writer(threading.Thread):
    """Fires events on its own cases until ``stop`` is set; rides out server restarts."""

    def __init__(self, name: str, host: str, tokens: dict[str, str], cases: list[int], ledger: Ledger,
                 stop: threading.Event, seed: int, moves: bool = True) -> None:
        super().__init__(name=name, daemon=True)
        self.officer = Client(host, tokens["off"], timeout=30)
        self.reviewer = Client(host, tokens["rev"], timeout=30)
        self.cases = cases
        self.ledger = ledger
        self.stop = stop
        self.rng = random.Random(seed)
        self.moves = moves
        self.known: dict[int, dict[str, Any]] = {}
        self.sent = 0

    def run(self) -> None:
        try:
            for case_id in self.cases:
                self.resync(case_id)
            n = 0
            while not self.stop.is_set():
                case_id = self.cases[n % len(self.cases)]
                n += 1
                self.step(case_id, f"{self.name}-{n}")
        finally:
            self.officer.close()
            self.reviewer.close()

    def choose(self, case: dict[str, Any], tag: str) -> tuple[Client, dict[str, Any]]:
        version = int(case["version"])
        if case["state"] == "analysis":
            return self.reviewer, {"event": "return", "expected_version": version, "comment": tag,
                                   "data": {"return_reason": "记实不够具体，请补充。"}}
        if self.moves and len(case["data"].get("records") or []) >= 3 and self.rng.random() < 0.2:
            return self.officer, {"event": "analyze", "expected_version": version, "comment": tag,
                                  "data": {"analysis_text": "该同志工作主动，担当作为，群众反映较好，未发现明显问题。"}}
        return self.officer, record_body(version, tag, self.sent)

    def step(self, case_id: int, tag: str) -> None:
        client, body = self.choose(self.known[case_id], tag)
        with self.ledger.lock:
            self.ledger.sent.add(tag)
        self.sent += 1
        try:
            status, answer = client.post(f"/cases/{case_id}/events", body)
        except (OSError, http.client.HTTPException):
            with self.ledger.lock:
                self.ledger.unknown.add(tag)
            self.resync(case_id)
            return
        with self.ledger.lock:
            self.ledger.statuses[status] += 1
            if 200 <= status < 300:
                self.ledger.acks.append(Ack(case_id, int(answer["version"]), tag, body["event"], answer["state"],
                                            time.monotonic()))
            elif status != 409:
                self.ledger.errors.append(f"{tag} {body['event']} on case {case_id}: {status} {answer!r:.300}")
        if 200 <= status < 300:
            self.known[case_id] = answer
        else:
            self.resync(case_id)

    def resync(self, case_id: int) -> None:
        """Read the case again (waiting for the server to come back if it is down)."""
        while not self.stop.is_set():
            try:
                status, case = self.officer.get(f"/cases/{case_id}")
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)
                continue
            if status == 200:
                self.known[case_id] = case
                return
            time.sleep(0.05)


def check_cases(engine: Any, case_ids: list[int], ledger: Ledger, *, acks: list[Ack] | None = None
                ) -> set[str]:
    """Through the engine: acknowledged events present once, nothing unsent, no half-moved case.

    Returns the tags of every fired event found. ``acks`` defaults to every ack.
    """
    found: dict[str, tuple[int, int, str]] = {}  # tag -> (case, version after, state after)
    for case_id in case_ids:
        case = engine.get_case(case_id)
        history = engine.history(case_id)
        assert [e.seq for e in history] == list(range(1, len(history) + 1)), f"case {case_id}: seq gaps"
        fired = [e for e in history if e.type in MOVES]
        assert case.version == 1 + len(fired), f"case {case_id}: version {case.version}, {len(fired)} events"
        assert case.state == (fired[-1].to_state if fired else history[0].to_state), f"case {case_id} half-moved"
        records = sum(e.event == "record" for e in fired)
        assert len(case.data.get("records") or []) == records, f"case {case_id}: data and history disagree"
        for k, e in enumerate(fired):
            assert e.comment not in found, f"event {e.comment} recorded twice"
            found[e.comment] = (case_id, k + 2, e.to_state or "")
    unsent = set(found) - ledger.sent
    assert not unsent, f"history holds events nobody sent: {sorted(unsent)[:5]}"
    for ack in ledger.acks if acks is None else acks:
        assert ack.tag in found, f"acknowledged event lost: {ack}"
        assert found[ack.tag] == (ack.case_id, ack.version, ack.state), (ack, found[ack.tag])
    return set(found)


def open_cases(client: Client, count: int, title: str) -> list[int]:
    """``count`` daily_inspection cases opened through the API."""
    from bench.load import make_cases

    return [case_id for case_id, _ in make_cases(client, count, title)]
