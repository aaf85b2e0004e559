"""Multi-process concurrency on PostgreSQL: 32 clients race on the same cases through gunicorn.

gunicorn runs several worker processes (sync workers, and gthread workers with
enough threads for all 32 requests to be inside a transaction at once). In each
round every client reads nothing itself: it is handed the case's current version,
waits at a barrier with the other 31, and fires one event with that
``expected_version`` — `record` or `analyze` on an open case, the reviewer's
`return` on a case in analysis — on one of a few shared cases. Per (case, version)
exactly one answer is a 2xx and every other is 409 ``stale_version``; there is
no 5xx and no broken connection; the history holds each winner once and no loser,
its seqs and the case versions are contiguous, and ``cadreflow verify`` passes.
"""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from collections import defaultdict
from typing import Any

import pytest

from bench.load import record_body

from .conftest import Deployment
from .writers import MOVES
from .writers import open_cases

CLIENTS = 32
CASES = 4
ROUNDS = 6
ANALYSIS = "该同志工作主动，担当作为，群众反映较好，未发现明显问题。"


def body_for(client: int, case: dict[str, Any], tag: str) -> tuple[str, dict[str, Any]]:
    """(user, request body): an event the case can take in its state, varied across clients."""
    version = int(case["version"])
    if case["state"] == "analysis":
        return "rev", {"event": "return", "expected_version": version, "comment": tag,
                       "data": {"return_reason": "请补充记实。"}}
    if len(case["data"].get("records") or []) >= 3 and client % 2:
        return "off", {"event": "analyze", "expected_version": version, "comment": tag,
                       "data": {"analysis_text": ANALYSIS}}
    return "off", record_body(version, tag, client)


@pytest.mark.parametrize("worker_class,workers,threads", [("sync", 4, 1), ("gthread", 4, 8)])
def test_exactly_one_winner_per_case_and_version(pg_deployment: Deployment, worker_class: str, workers: int,
                                                 threads: int) -> None:
    d = pg_deployment
    server = d.server(workers=workers, worker_class=worker_class, threads=threads)
    reader = d.client(server, "aud")
    cases = open_cases(d.client(server, "off"), CASES, "并发测试")
    clients = [{user: d.client(server, user) for user in ("off", "rev")} for _ in range(CLIENTS)]
    answers: dict[tuple[int, int], list[tuple[int, str, str]]] = defaultdict(list)  # (case, version) -> ...
    lock = threading.Lock()
    for r in range(ROUNDS):
        current = {c: reader.get(f"/cases/{c}")[1] for c in cases}
        barrier = threading.Barrier(CLIENTS)

        def fire(i: int, current: dict[int, Any] = current, barrier: threading.Barrier = barrier,
                 r: int = r) -> None:
            case_id = cases[i % CASES]
            tag = f"r{r}-c{i}"
            user, body = body_for(i // CASES, current[case_id], tag)
            barrier.wait()
            try:
                status, answer = clients[i][user].post(f"/cases/{case_id}/events", body)
                code = answer["error"]["code"] if status >= 400 and isinstance(answer, dict) else ""
            except (OSError, http.client.HTTPException) as exc:
                status, code = -1, type(exc).__name__
            with lock:
                answers[(case_id, int(current[case_id]["version"]))].append((status, code, tag))

        threads = [threading.Thread(target=fire, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
    statuses = Counter(s for group in answers.values() for s, _, _ in group)
    print(f"\n{worker_class} x{workers}: {len(answers)} (case, version) races, answers {dict(statuses)}")
    assert len(answers) == CASES * ROUNDS
    winners: dict[int, list[str]] = defaultdict(list)
    for (case_id, version), group in sorted(answers.items()):
        assert len(group) == CLIENTS // CASES
        won = [tag for status, _, tag in group if 200 <= status < 300]
        assert len(won) == 1, (case_id, version, group)
        assert sorted((s, c) for s, c, _ in group if s >= 300) == [(409, "stale_version")] * (len(group) - 1)
        winners[case_id] += won
    for case_id in cases:
        history = reader.get(f"/cases/{case_id}/history")[1]
        assert [e["seq"] for e in history] == list(range(1, len(history) + 1))
        fired = [e["comment"] for e in history if e["type"] in MOVES]
        assert fired == winners[case_id]  # each winner once, in order; no loser
        assert reader.get(f"/cases/{case_id}")[1]["version"] == 1 + ROUNDS
    assert reader.get("/audit/verify")[1]["ok"] is True
    assert not server.log_errors(), server.log_errors()[:5]
    verify = d.instance.verify()
    assert verify.returncode == 0, verify.stdout + verify.stderr
