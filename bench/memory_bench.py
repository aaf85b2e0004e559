"""Memory of a long-running worker (issue 7, item 5): RSS levels off under a mixed load.

    .venv/bin/python -m bench.memory_bench [--quick]      (prints the figures as JSON)

One gunicorn sync worker (``-w 1``) on a fresh SQLite instance made with the
command line, and one client sending 10,000 requests (quick: 2,000) in a fixed,
seeded mix: pages signed in with a session cookie (the inbox ``/``, ``/cases``, a
case page), API reads (case list, case, history, ``/me``), API writes (`record`
on a pool of cases), page form posts of the same event, and PDFs (the case-history
PDF and the 日常考察记实表 form, which is issued into the history each time). The
worker's VmRSS (/proc/PID/status) is sampled every 500 requests; the figure is the
RSS at the end against the RSS after the first 1,000 requests (warm: fonts loaded,
templates compiled, caches filled). Target: no growth beyond 20%.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable

from .common import Figure
from .common import temp_dir
from .load import make_cases
from .load import make_person
from .load import record_body
from .load import today
from .serve import Browser
from .serve import Client
from .serve import Instance
from .serve import Server
from .serve import rss_kib

FULL = 10_000
QUICK = 2_000
WARM = 1_000
SAMPLE_EVERY = 500
MIX = {"page_inbox": 10, "page_list": 11, "page_case": 15, "api_list": 10, "api_case": 11, "api_history": 9,
       "api_me": 6, "api_record": 20, "page_record": 6, "pdf_history": 1, "pdf_form": 1}  # per 100 requests
SEED = 5


class Mix:
    """The requests of the mix, each one call (one HTTP request), on its own cases."""

    def __init__(self, server: Server, token: str) -> None:
        self.api = Client(server.host, token)
        self.page = Browser(server.host)
        self.page.sign_in("bench")
        person = make_person(self.api)
        self.cases = dict(make_cases(self.api, 40, "内存", person))
        self.page_cases = dict(make_cases(self.api, 10, "页面", person))
        ids = list(self.cases)
        self.pdf_case, self.form_case = ids[0], ids[1]
        for case_id in (self.pdf_case, self.form_case):
            for n in range(4):
                self.record(case_id, n)
        self.n = 0
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.seconds: Counter[str] = Counter()

    def record(self, case_id: int, n: int) -> int:
        status, body = self.api.post(f"/cases/{case_id}/events", record_body(self.cases[case_id], f"mem-{n}", n))
        if status == 200:
            self.cases[case_id] = int(body["version"])
        return status

    def pick(self, pool: dict[int, int], skip: int = 0) -> int:
        ids = list(pool)[skip:]
        return ids[self.n % len(ids)]

    def call(self, kind: str) -> int:
        self.n += 1
        case_id = self.pick(self.cases, skip=2)
        calls: dict[str, Callable[[], int]] = {
            "page_inbox": lambda: self.page.request("GET", "/")[0],
            "page_list": lambda: self.page.request("GET", f"/cases?page={1 + self.n % 2}")[0],
            "page_case": lambda: self.page.request("GET", f"/cases/{self.pick(self.page_cases)}")[0],
            "api_list": lambda: self.api.get("/cases?per_page=50")[0],
            "api_case": lambda: self.api.get(f"/cases/{case_id}")[0],
            "api_history": lambda: self.api.get(f"/cases/{case_id}/history")[0],
            "api_me": lambda: self.api.get("/me")[0],
            "api_record": lambda: self.record(case_id, self.n),
            "page_record": self.page_record,
            "pdf_history": lambda: self.api.get(f"/cases/{self.pdf_case}/history.pdf")[0],
            "pdf_form": lambda: self.api.get(f"/cases/{self.form_case}/documents/daily_inspection_record.pdf")[0],
        }
        started = time.perf_counter()
        status = calls[kind]()
        self.seconds[kind] += time.perf_counter() - started
        self.statuses[(kind, status)] += 1
        return status

    def page_record(self) -> int:
        case_id = self.pick(self.page_cases)
        self.page.request("GET", f"/cases/{case_id}")  # the form as a user sees it, with its version
        version = self.api.get(f"/cases/{case_id}")[1]["version"]
        form = {"csrf_token": self.page.csrf, "record-expected_version": str(version),
                "record-record_kind": "调研走访", "record-record_date": today(),
                "record-record_content": f"调研走访记实第{self.n}条：情况属实。"}
        return self.page.request("POST", f"/cases/{case_id}/events/record", form)[0]


def schedule(total: int) -> list[str]:
    slots = [kind for kind, weight in MIX.items() for _ in range(weight)]
    random.Random(SEED).shuffle(slots)
    return [slots[i % len(slots)] for i in range(total)]


def measure(total: int) -> dict[str, object]:
    folder = temp_dir("cadreflow-memory-")
    try:
        instance = Instance(folder).init()
        instance.add_user("bench", ["officer"], "内存测试")
        token = instance.token("bench")
        with Server(instance, workers=1) as server:
            worker = server.worker_pids()[0]
            mix = Mix(server, token)
            samples: list[tuple[int, float]] = [(0, rss_kib(worker) / 1024)]
            for i, kind in enumerate(schedule(total), start=1):
                mix.call(kind)
                if i % SAMPLE_EVERY == 0:
                    samples.append((i, round(rss_kib(worker) / 1024, 1)))
            same_worker = server.worker_pids() == [worker]
            errors = server.log_errors()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"samples": samples, "statuses": mix.statuses, "same_worker": same_worker, "log_errors": errors,
            "seconds": mix.seconds}


def run(quick: bool) -> list[Figure]:
    total = QUICK if quick else FULL
    m = measure(total)
    samples: list[tuple[int, float]] = m["samples"]  # type: ignore[assignment]
    warm = next(rss for i, rss in samples if i == WARM)
    end = samples[-1][1]
    statuses: Counter[tuple[str, int]] = m["statuses"]  # type: ignore[assignment]
    bad = {f"{k} {s}": n for (k, s), n in statuses.items() if s >= 400}
    growth = (end - warm) / warm
    met = growth <= 0.20 and bool(m["same_worker"]) and not bad
    by_kind = Counter()
    for (kind, _), n in statuses.items():
        by_kind[kind] += n
    note = (f"growth after the first {WARM:,} requests {growth:+.1%}; RSS every {SAMPLE_EVERY} requests (MiB): "
            + ", ".join(f"{rss:.0f}" for _, rss in samples[1:])
            + ("" if m["same_worker"] else "; the worker was replaced during the run")
            + (f"; error answers {bad}" if bad else "")
            + (f"; {len(m['log_errors'])} error lines in the server log" if m["log_errors"] else ""))  # type: ignore[arg-type]
    return [Figure(f"gunicorn worker RSS after {total:,} mixed requests (pages, API, PDFs)", end, "MiB", warm,
                   f"RSS after the first {WARM:,} requests", target="≤ 1.20× (growth ≤ 20%)", met=met,
                   measured_ratio=end / warm, note=note,
                   extra={"samples": samples, "requests_by_kind": dict(by_kind), "growth_pct": round(growth * 100, 2),
                          "start_rss_mib": samples[0][1],
                          "ms_per_request_by_kind": {k: round(1000 * t / by_kind[k], 1)
                                                     for k, t in m["seconds"].items()}})]  # type: ignore[attr-defined]


if __name__ == "__main__":
    print(json.dumps([f.as_dict() for f in run("--quick" in sys.argv[1:])], ensure_ascii=False, indent=2))
