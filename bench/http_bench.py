"""HTTP under load (issue 7, item 2): events through gunicorn against a trivial endpoint of the same app.

    .venv/bin/python -m bench.http_bench [--quick]      (prints the figures as JSON)

Per tier (SQLite; PostgreSQL when ``CADREFLOW_BENCH_POSTGRES_URL`` or
``CADREFLOW_TEST_POSTGRES_URL`` is set, else the local server of .ci/run if it
answers): a fresh instance made with the command line (``cadreflow init``, ``users
add``, ``tokens create``), served by ``gunicorn -w 2`` with sync workers, and 8
closed-loop clients (wrk, one connection per thread; a Python client when wrk is
missing). The contender fires `record` (daily_inspection's self-loop) on each
client's own cases, taking ``expected_version`` from the previous answer; the
baseline is the same clients calling ``GET /api/v1/me`` with the same bearer token,
so both pay the same HTTP parsing, routing and token check. The two alternate in
rounds (6 × 5 s each; quick: 1 × 5 s) after a warm-up, every round on fresh
cases, 16 per client (``record`` appends to the case's data: this keeps a case
at a few dozen records, as a year of daily inspection has, instead of thousands);
the ratio is the median of the per-round ratios, latencies are taken over every
answer of every round.

Sync workers, not gthread: the README's production command runs gunicorn's
default sync worker; requests here are short and CPU-bound (the GIL leaves threads
little to overlap) and on SQLite threads of one process would only add writers
busy-waiting for the single write lock. In trial runs gthread (4 threads) was
slower for events on SQLite and no faster on PostgreSQL. Sync workers close the
connection after each answer; both contenders pay that equally.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
from typing import Any

from . import wrk
from .common import Figure
from .common import temp_dir
from .load import LoadResult
from .load import closed_loop
from .load import getter
from .load import make_cases
from .load import make_person
from .load import recorder
from .serve import Client
from .serve import Instance
from .serve import PgDatabase
from .serve import Server

WORKERS = 2
CLIENTS = 8
CASES_PER_CLIENT = 16
ROUND_SECONDS = 5
FULL_ROUNDS = 6
WARMUP_SECONDS = 2
LOCAL_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BASELINE = "GET /api/v1/me, same 8 clients and bearer token"


def pg_url() -> str | None:
    url = os.environ.get("CADREFLOW_BENCH_POSTGRES_URL") or os.environ.get("CADREFLOW_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        import psycopg

        psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=2).close()
    except Exception:  # noqa: BLE001 - no local server: the tier is reported as not measured
        return None
    return LOCAL_PG


class Contest:
    """One gunicorn server and the two contenders, run in rounds."""

    def __init__(self, server: Server, token: str) -> None:
        self.server = server
        self.token = token
        self.client = Client(server.host, token)
        self.person = make_person(self.client)
        self.tool = "wrk" if wrk.available() else "Python threads (http.client)"

    def _clients(self, round_no: int) -> list[list[tuple[int, int]]]:
        cases = make_cases(self.client, CLIENTS * CASES_PER_CLIENT, f"压测{round_no}-", self.person)
        return [cases[i * CASES_PER_CLIENT:(i + 1) * CASES_PER_CLIENT] for i in range(CLIENTS)]

    def events(self, seconds: int, round_no: int) -> LoadResult:
        clients = self._clients(round_no)
        if self.tool == "wrk":
            return wrk.run(self.server.host, wrk.script(self.token, clients), CLIENTS, seconds)[0]
        steps = [recorder(c, f"r{round_no}-{i}") for i, c in enumerate(clients)]
        return closed_loop(self.server.host, self.token, steps, seconds, warmup=0)

    def baseline(self, seconds: int) -> LoadResult:
        if self.tool == "wrk":
            return wrk.run(self.server.host, wrk.script(self.token, None), CLIENTS, seconds)[0]
        return closed_loop(self.server.host, self.token, [getter("/me")] * CLIENTS, seconds, warmup=0)


def merge(results: list[LoadResult]) -> LoadResult:
    out = LoadResult(sum(r.seconds for r in results))
    for r in results:
        for status, n in r.statuses.items():
            out.statuses[status] = out.statuses.get(status, 0) + n
        out.latencies.extend(r.latencies)
        out.errors += r.errors
    return out


def measure(server: Server, token: str, rounds: int) -> dict[str, Any]:
    contest = Contest(server, token)
    contest.events(WARMUP_SECONDS, 0)
    contest.baseline(WARMUP_SECONDS)
    events: list[LoadResult] = []
    base: list[LoadResult] = []
    for r in range(1, rounds + 1):
        if r % 2:
            events.append(contest.events(ROUND_SECONDS, r))
            base.append(contest.baseline(ROUND_SECONDS))
        else:
            base.append(contest.baseline(ROUND_SECONDS))
            events.append(contest.events(ROUND_SECONDS, r))
    return {"events": merge(events), "baseline": merge(base), "tool": contest.tool,
            "ratio": statistics.median(e.rate / b.rate for e, b in zip(events, base, strict=True) if b.rate),
            "rounds": [(round(e.rate, 1), round(b.rate, 1)) for e, b in zip(events, base, strict=True)],
            "log_errors": server.log_errors()}


# The clients fire far more events per case than a person could; the flood limits (checked and
# counted on every event all the same) are raised so that none is refused.
UNLIMITED = {name: "1000000" for name in ("CADREFLOW_EVENTS_PER_USER", "CADREFLOW_EVENTS_PER_CASE",
                                           "CADREFLOW_UPLOADS_PER_USER", "CADREFLOW_UPLOADS_PER_CASE")}


def tier(label: str, url: str | None, quick: bool) -> list[Figure]:
    folder = temp_dir(f"cadreflow-http-{label.lower()}-")
    pg = PgDatabase(url).create() if url else None
    try:
        instance = Instance(folder, pg.url if pg else None, UNLIMITED).init()
        instance.add_user("bench", ["officer"], "压测")
        token = instance.token("bench")
        with Server(instance, workers=WORKERS) as server:
            m = measure(server, token, 1 if quick else FULL_ROUNDS)
    finally:
        if pg is not None:
            pg.drop()
        shutil.rmtree(folder, ignore_errors=True)
    return figures(label, m)


def figures(label: str, m: dict[str, Any]) -> list[Figure]:
    ev: LoadResult = m["events"]
    base: LoadResult = m["baseline"]
    bad = {s: n for s, n in ev.statuses.items() if not 200 <= s < 300}
    setup = f"gunicorn -w {WORKERS} (sync), {CLIENTS} clients ({m['tool']}), {ev.seconds:.0f} s"
    extra = {"events": ev.summary(), "baseline": base.summary(), "rounds_events_vs_baseline": m["rounds"],
             "server_log_errors": m["log_errors"][:5]}
    problems = (f"; non-2xx answers {bad}" if bad else "") + (
        f"; connection errors {ev.errors}" if ev.errors else "") + (
        f"; {len(m['log_errors'])} error lines in the server log" if m["log_errors"] else "")
    work = ("an event request does several times the work of GET /me (validate the body, one write "
            "transaction appending to the hash chain, the case and its available events in the answer)")
    why = work + ("; and SQLite admits one writer at a time across the workers (a waiting writer polls "
                  "with SQLite's busy handler)" if label == "SQLite" else
                  "; and each of its statements is a round trip to PostgreSQL, which shares the 2 CPUs")
    met_ratio = m["ratio"] >= 0.40 and not bad
    out = [Figure(f"HTTP {label}: record events/s ({setup})", round(ev.rate, 1), "events/s",
                  round(base.rate, 1), BASELINE, target="≥ 40% of the trivial endpoint", met=met_ratio,
                  measured_ratio=m["ratio"],
                  note=f"median of per-round ratios; rounds (events, /me): {m['rounds']}{problems}"
                       + ("" if met_ratio else f"; missed: {why}"), extra=extra)]
    for q in (50, 95, 99):
        target = "< 50 ms" if q == 95 else ""
        met = (ev.pct(q) < 50 and not bad) if q == 95 else None
        out.append(Figure(f"HTTP {label}: record event latency p{q} ({setup})", round(ev.pct(q), 2), "ms",
                          round(base.pct(q), 2), f"{BASELINE}, p{q}", target=target, met=met,
                          note=f"over {ev.ok:,} events; includes queueing of 8 clients on 2 workers"))
    return out


def run(quick: bool) -> list[Figure]:
    out = tier("SQLite", None, quick)
    url = pg_url()
    if url is None:
        out.append(Figure("HTTP PostgreSQL: not measured", 0.0, "", note="no PostgreSQL server: set "
                          "CADREFLOW_BENCH_POSTGRES_URL (or CADREFLOW_TEST_POSTGRES_URL)", met=None))
        return out
    return out + tier("PostgreSQL", url, quick)


if __name__ == "__main__":
    print(json.dumps([f.as_dict() for f in run("--quick" in sys.argv[1:])], ensure_ascii=False, indent=2))
