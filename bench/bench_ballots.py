"""Ballots under load: 500 voters submit within 60 s through gunicorn (2 sync workers), per tier.

    .venv/bin/python -m bench.bench_ballots [--rounds 5] [--window 60] [--voters 500]

Per tier (SQLite; PostgreSQL as in http_bench), a fresh instance made with the command line, then
``--rounds`` rounds. Each round opens a fresh ballot of ``--voters`` codes and runs two phases
with the same open-loop arrival schedule (each voter arrives at a uniformly random moment of
``--window`` seconds; 64 sender threads, one connection per request as the sync workers close
them): the baseline, ``GET /api/v1/me`` with a token (the app's trivial authenticated endpoint:
same HTTP parsing, routing and a database read), and the votes, ``POST /api/v1/vote``. After the
votes the ballot is closed and checked: every voter got a 201 and a receipt (0 lost), the box
holds exactly as many ballots as codes used (0 counted twice), every receipt is published, and
the tally equals the choices sent. Figures: per round p50/p95/max latency of both phases and the
p95 ratio; the median over rounds with min and max. Target: p95 < 200 ms. Not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .ballot_load import cast
from .ballot_load import choice_for
from .ballot_load import open_ballot
from .common import temp_dir
from .http_bench import pg_url
from .serve import Client
from .serve import Instance
from .serve import PgDatabase
from .serve import Server

WORKERS = 2
SENDERS = 64


def _get_me(host: str, token: str) -> tuple[int | None, Any]:
    conn = http.client.HTTPConnection(host, timeout=30)
    try:
        conn.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        resp = conn.getresponse()
        resp.read()
        return resp.status, None
    except (OSError, http.client.HTTPException) as exc:
        return None, repr(exc)
    finally:
        conn.close()


def _schedule(n: int, window: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return sorted(rng.uniform(0, window) for _ in range(n))


def _phase(offsets: list[float], call: Any) -> tuple[list[float], list[tuple[int | None, Any]], float]:
    """Send ``call(i)`` at each offset (open loop); (latencies ms, answers by i, seconds taken)."""
    latencies = [0.0] * len(offsets)
    answers: list[tuple[int | None, Any]] = [(None, None)] * len(offsets)
    start = time.monotonic() + 0.2

    def one(i: int) -> None:
        delay = start + offsets[i] - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        t0 = time.perf_counter()
        answers[i] = call(i)
        latencies[i] = (time.perf_counter() - t0) * 1000

    with ThreadPoolExecutor(SENDERS) as pool:
        list(pool.map(one, range(len(offsets))))
    return latencies, answers, time.monotonic() - start


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def one_round(server: Server, token: str, voters: int, window: float, seed: int) -> dict[str, Any]:
    officer = Client(server.host, token)
    ballot_id, codes = open_ballot(officer, voters, f"压测表决{seed}")
    offsets = _schedule(voters, window, seed)
    base_lat, base_ans, _ = _phase(offsets, lambda i: _get_me(server.host, token))
    vote_lat, vote_ans, took = _phase(offsets, lambda i: cast(server.host, codes[i], choice_for(i)))
    status, tally = officer.post(f"/ballots/{ballot_id}/close", {})
    _, receipts = officer.get(f"/ballots/{ballot_id}/receipts")
    officer.close()
    acked = {i: a[1]["receipt"] for i, a in enumerate(vote_ans) if a[0] == 201}
    expected = Counter(o for i in range(voters) for o in choice_for(i).get("q", []))
    return {
        "seconds": round(took, 1), "statuses": dict(Counter(a[0] for a in vote_ans)),
        "baseline_statuses": dict(Counter(a[0] for a in base_ans)),
        "lost": voters - len(acked) + len(set(acked.values()) - set(receipts or [])),
        "counted_twice": max(0, int(tally.get("cast", 0)) - len(acked)) if status == 200 else -1,
        "tally_equal": status == 200 and tally["cast"] == voters
        and tally["items"]["q"] == {o: expected.get(o, 0) for o in ("同意", "不同意", "缓议")},
        "vote_ms": {"p50": round(_pct(vote_lat, 50), 1), "p95": round(_pct(vote_lat, 95), 1),
                    "max": round(max(vote_lat), 1)},
        "baseline_ms": {"p50": round(_pct(base_lat, 50), 1), "p95": round(_pct(base_lat, 95), 1),
                        "max": round(max(base_lat), 1)},
    }


def summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    def spread(values: list[float]) -> dict[str, float]:
        return {"median": round(statistics.median(values), 1), "min": round(min(values), 1),
                "max": round(max(values), 1)}

    p95 = [r["vote_ms"]["p95"] for r in rounds]
    ratio = [r["vote_ms"]["p95"] / r["baseline_ms"]["p95"] for r in rounds if r["baseline_ms"]["p95"]]
    return {"vote_p95_ms": spread(p95), "vote_p50_ms": spread([r["vote_ms"]["p50"] for r in rounds]),
            "baseline_p95_ms": spread([r["baseline_ms"]["p95"] for r in rounds]),
            "p95_ratio_vote_to_baseline": spread(ratio),
            "lost": sum(r["lost"] for r in rounds), "counted_twice": sum(r["counted_twice"] for r in rounds),
            "tally_equal_every_round": all(r["tally_equal"] for r in rounds),
            "met_p95_under_200ms": statistics.median(p95) < 200 and max(p95) < 200}


def tier(label: str, url: str | None, args: argparse.Namespace) -> dict[str, Any]:
    folder = temp_dir(f"cadreflow-ballots-{label.lower()}-")
    pg = PgDatabase(url).create() if url else None
    try:
        instance = Instance(folder, pg.url if pg else None).init()
        instance.add_user("bench", ["officer"], "压测")
        token = instance.token("bench")
        with Server(instance, workers=WORKERS) as server:
            one_round(server, token, 50, 2, 0)  # warm-up
            rounds = [one_round(server, token, args.voters, args.window, seed) for seed in range(1, args.rounds + 1)]
            errors = server.log_errors()
    finally:
        if pg is not None:
            pg.drop()
        shutil.rmtree(folder, ignore_errors=True)
    return {"tier": label, "setup": f"gunicorn -w {WORKERS} sync; {args.voters} voters arriving uniformly within "
                                    f"{args.window:g} s; {SENDERS} sender threads", "rounds": rounds,
            "summary": summary(rounds), "server_log_errors": errors[:5]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--voters", type=int, default=500)
    args = parser.parse_args()
    out = [tier("SQLite", None, args)]
    url = pg_url()
    out.append(tier("PostgreSQL", url, args) if url else {"tier": "PostgreSQL", "not_measured": "no server"})
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    threading.stack_size(512 * 1024)
    main()
