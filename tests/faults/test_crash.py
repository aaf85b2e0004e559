"""Crash safety: gunicorn under write load is killed with SIGKILL at random moments, then restarted.

Writers fire events on their own cases through the API (see ``writers``). In each
of ``ROUNDS`` rounds, after at least ``MIN_ACKS`` new acknowledgements and a random
(seeded) pause, the master and every worker are killed at once (SIGKILL to the
process group): requests in flight are cut off mid-transaction. While the server is
down, ``cadreflow verify`` must pass on the crashed database as it lies; then
gunicorn starts again on it and the writers carry on. At the end every event
acknowledged with a 2xx is in the history exactly once, with the acknowledged
version and state, nothing is recorded that was never sent, no case is half-moved
(state, version and data agree with the history), no answer was a 5xx, and
``cadreflow verify`` passes. On SQLite this holds with the app's production setting
(WAL, ``synchronous=FULL``), which nothing here changes.
"""

from __future__ import annotations

import random
import threading
import time

from .conftest import Deployment
from .writers import Ledger
from .writers import Writer
from .writers import check_cases
from .writers import open_cases

ROUNDS = 4
WRITERS = 6
CASES_PER_WRITER = 2
MIN_ACKS = 25
SEED = 20261125


def wait_for_acks(ledger: Ledger, target: int, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while ledger.acked() < target:
        assert time.monotonic() < deadline, f"only {ledger.acked()} of {target} acknowledgements"
        assert not ledger.errors, ledger.errors[:3]
        time.sleep(0.02)


def test_acknowledged_events_survive_sigkill(deployment: Deployment) -> None:
    rng = random.Random(SEED)
    server = deployment.server(workers=2)
    cases = open_cases(deployment.client(server, "off"), WRITERS * CASES_PER_WRITER, "崩溃测试")
    ledger = Ledger()
    stop = threading.Event()
    writers = [Writer(f"w{i}", server.host, deployment.tokens, cases[i::WRITERS], ledger, stop, SEED + i)
               for i in range(WRITERS)]
    for w in writers:
        w.start()
    kills = []
    try:
        for _ in range(ROUNDS):
            wait_for_acks(ledger, ledger.acked() + MIN_ACKS)
            time.sleep(rng.uniform(0.0, 0.4))
            in_flight = len(ledger.sent) - sum(ledger.statuses.values()) - len(ledger.unknown)
            killed = server.kill()
            kills.append((len(killed), ledger.acked(), in_flight))
            crashed = deployment.instance.verify()
            assert crashed.returncode == 0, f"verify on the crashed database: {crashed.stdout}{crashed.stderr}"
            server.start()
        wait_for_acks(ledger, ledger.acked() + MIN_ACKS)
    finally:
        stop.set()
        for w in writers:
            w.join(timeout=60)
    server.stop()
    print(f"\n{deployment.tier}: kills (pids, acks so far, requests in flight) {kills}; "
          f"sent {len(ledger.sent)}, acknowledged {len(ledger.acks)}, cut off {len(ledger.unknown)}, "
          f"statuses {dict(ledger.statuses)}")
    assert not ledger.errors, ledger.errors[:5]
    assert not [s for s in ledger.statuses if s >= 500]
    assert all(n == 3 for n, _, _ in kills)  # the master and both workers each time
    assert {a.event for a in ledger.acks} >= {"record", "analyze", "return"}
    found = check_cases(deployment.engine(), cases, ledger)
    assert len(found) >= len(ledger.acks) >= (ROUNDS + 1) * MIN_ACKS
    print(f"cut-off requests that had committed anyway: {len(found & ledger.unknown)} of {len(ledger.unknown)}")
    final = deployment.instance.verify()
    assert final.returncode == 0, final.stdout + final.stderr
    assert "通过" in final.stdout
