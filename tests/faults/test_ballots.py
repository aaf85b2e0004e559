"""Ballots under faults, through gunicorn: workers SIGKILLed while people vote; 100 clients race one code.

Kill: 8 voter threads cast ``VOTERS`` codes; after every ``KILL_EVERY`` acknowledgements one
worker is killed with SIGKILL (gunicorn starts another). A vote cut off by a kill has an unknown
outcome and is sent again: its code was either used (403: the first attempt committed) or not
(201 now). At the end every code has been counted exactly once, the tally equals the choices
sent, every acknowledged receipt is published, and no answer was a 5xx.

Race: 100 clients send the same code at once (a barrier): exactly one 201, every other answer a
refusal (403 used, or 429 once the address has failed too often); one ballot in the box.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
import time
from collections import Counter

import pytest

from bench.ballot_load import cast
from bench.ballot_load import choice_for
from bench.ballot_load import open_ballot

from .conftest import Deployment

VOTERS = 240
THREADS = 8
KILL_EVERY = 40
KILLS = 4


def test_every_acknowledged_vote_is_counted_once_when_workers_are_killed(deployment: Deployment) -> None:
    server = deployment.server(workers=2)
    officer = deployment.client(server, "off")
    ballot_id, codes = open_ballot(officer, VOTERS, "崩溃表决")
    work: queue.Queue[int] = queue.Queue()
    for i in range(VOTERS):
        work.put(i)
    lock = threading.Lock()
    acked: dict[int, str] = {}
    recovered: set[int] = set()  # cut off, then found used: the cut-off attempt had committed
    statuses: Counter[int | None] = Counter()

    def voter() -> None:
        while True:
            try:
                i = work.get_nowait()
            except queue.Empty:
                return
            cut_off = False
            while True:
                status, body = cast(server.host, codes[i], choice_for(i))
                with lock:
                    statuses[status] += 1
                if status == 201:
                    with lock:
                        acked[i] = body["receipt"]
                    break
                if status == 403 and cut_off:
                    with lock:
                        recovered.add(i)
                    break
                assert status is None, (i, status, body)
                cut_off = True
                time.sleep(0.05)

    threads = [threading.Thread(target=voter) for _ in range(THREADS)]
    for t in threads:
        t.start()
    kills = 0
    while any(t.is_alive() for t in threads) and kills < KILLS:
        if len(acked) >= (kills + 1) * KILL_EVERY:
            workers = server.worker_pids()
            if workers:
                os.kill(workers[kills % len(workers)], signal.SIGKILL)
                kills += 1
        time.sleep(0.01)
    for t in threads:
        t.join(timeout=120)
    assert kills == KILLS and not any(t.is_alive() for t in threads)
    assert not [s for s in statuses if s is not None and s >= 500], statuses
    status, tally = officer.post(f"/ballots/{ballot_id}/close", {})
    assert status == 200, tally
    assert len(acked) + len(recovered) == VOTERS == tally["cast"]
    expected: Counter[str] = Counter(o for i in range(VOTERS) for o in choice_for(i).get("q", []))
    assert tally["items"]["q"] == {o: expected.get(o, 0) for o in ("同意", "不同意", "缓议")}
    status, receipts = officer.get(f"/ballots/{ballot_id}/receipts")
    assert status == 200 and set(acked.values()) <= set(receipts) and len(receipts) == VOTERS
    print(f"\n{deployment.tier}: {kills} workers killed; statuses {dict(statuses)}; "
          f"{len(recovered)} cut-off votes had committed")
    assert deployment.instance.verify().returncode == 0


@pytest.mark.parametrize("worker_class,workers,threads", [("sync", 2, 1), ("gthread", 4, 8)])
def test_a_hundred_clients_racing_one_code_make_one_ballot(deployment: Deployment, worker_class: str, workers: int,
                                                           threads: int) -> None:
    server = deployment.server(workers=workers, worker_class=worker_class, threads=threads)
    officer = deployment.client(server, "off")
    ballot_id, codes = open_ballot(officer, 3, "并发表决")
    barrier = threading.Barrier(100)
    answers: list[int | None] = []
    lock = threading.Lock()

    def racer(n: int) -> None:
        barrier.wait()
        status, _ = cast(server.host, codes[0], {"q": [("同意", "不同意")[n % 2]]}, timeout=120)
        with lock:
            answers.append(status)

    racers = [threading.Thread(target=racer, args=(n,)) for n in range(100)]
    for t in racers:
        t.start()
    for t in racers:
        t.join(timeout=180)
    counts = Counter(answers)
    assert counts[201] == 1 and counts[201] + counts[403] + counts[429] == 100, counts
    status, tally = officer.post(f"/ballots/{ballot_id}/close", {})
    assert status == 200 and tally["cast"] == 1 and sum(tally["items"]["q"].values()) == 1
