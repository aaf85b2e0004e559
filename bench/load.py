"""Load for a running server: daily_inspection cases, `record` events, closed-loop clients, percentiles.

``daily_inspection``'s ``record`` event is a self-loop (open -> open) that any
officer may fire again and again: the write load of the HTTP benchmark and the
fault tests. Each client owns its cases and tracks their versions from the
answers, so under normal operation no answer is a 409.

``closed_loop`` runs N client threads, each with its own persistent connection,
for a fixed time; every client sends its next request as soon as the previous
one is answered (8 clients = at most 8 requests in flight).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .serve import Client

PERSON = {"name": "李四", "gender": "男", "birth_date": "1976-05-01", "unit": "某县发展和改革局",
          "current_post": "副局长"}
KINDS = ("谈心谈话", "列席会议", "调研走访", "信访监测", "个人事项监测", "其他")


def today() -> str:
    """Today in Beijing (``record_date`` may not lie in the future there)."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def record_body(version: int, tag: str, n: int = 0) -> dict[str, Any]:
    return {"event": "record", "expected_version": version, "comment": tag,
            "data": {"record_kind": KINDS[n % len(KINDS)], "record_date": today(),
                     "record_content": f"谈心谈话记实第{n}条：工作主动，群众反映较好。"}}


def make_person(client: Client) -> int:
    status, body = client.post("/people", PERSON)
    if status != 201:
        raise RuntimeError(f"POST /people answered {status}: {body}")
    return int(body["id"])


def make_cases(client: Client, count: int, title: str = "日常考察", person: int | None = None
               ) -> list[tuple[int, int]]:
    """``count`` open daily_inspection cases through the API: [(id, version)]."""
    person = person or make_person(client)
    out = []
    for i in range(count):
        status, body = client.post("/cases", {"definition": "daily_inspection", "title": f"{title}{i + 1}",
                                              "subject_id": person, "data": {"period": "2026年度"}})
        if status != 201:
            raise RuntimeError(f"POST /cases answered {status}: {body}")
        out.append((int(body["id"]), int(body["version"])))
    return out


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linearly interpolated between the closest ranks; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class LoadResult:
    """Answers of a closed-loop run: count per status, latencies of the 2xx answers (ms)."""

    seconds: float
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        return percentile(self.latencies, q)

    def summary(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 2), "ok": self.ok, "rate": round(self.rate, 1),
                "p50_ms": round(self.pct(50), 2), "p95_ms": round(self.pct(95), 2),
                "p99_ms": round(self.pct(99), 2), "statuses": dict(sorted(self.statuses.items())),
                "connection_errors": self.errors}


Step = Callable[[Client], int]


def closed_loop(host: str, token: str, steps: list[Step], seconds: float, warmup: float = 1.0) -> LoadResult:
    """Run one thread per step function for ``warmup + seconds``; count only the last ``seconds``.

    A step sends one request on its client and returns the status. Connection errors
    are counted (and the client reconnects on its next request).
    """
    lock = threading.Lock()
    result = LoadResult(seconds)
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds

    def worker(step: Step) -> None:
        client = Client(host, token)
        statuses: dict[int, int] = {}
        latencies: list[float] = []
        errors = 0
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at:
                break
            try:
                status = step(client)
            except OSError:
                errors += 1
                continue
            t1 = time.perf_counter()
            if t0 >= measure_from and t1 <= stop_at:
                statuses[status] = statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    latencies.append((t1 - t0) * 1000)
        client.conn.close()
        with lock:
            for s, n in statuses.items():
                result.statuses[s] = result.statuses.get(s, 0) + n
            result.latencies.extend(latencies)
            result.errors += errors

    threads = [threading.Thread(target=worker, args=(s,), name=f"load-{i}") for i, s in enumerate(steps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


def recorder(cases: list[tuple[int, int]], tag: str) -> Step:
    """A step that fires `record` on its own cases in turn, tracking their versions."""
    versions = dict(cases)
    order = [c for c, _ in cases]
    n = 0

    def step(client: Client) -> int:
        nonlocal n
        case_id = order[n % len(order)]
        n += 1
        status, body = client.post(f"/cases/{case_id}/events", record_body(versions[case_id], f"{tag}-{n}", n))
        if status == 200:
            versions[case_id] = int(body["version"])
        elif status == 409:  # resynchronise (never expected: each client owns its cases)
            _, case = client.get(f"/cases/{case_id}")
            versions[case_id] = int(case["version"])
        return status

    return step


def getter(path: str) -> Step:
    def step(client: Client) -> int:
        return client.get(path)[0]

    return step
