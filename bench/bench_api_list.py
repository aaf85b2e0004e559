"""GET /api/v1/cases over 100,000 cases: the case list must answer within 100 ms.

Usage:
    .venv/bin/python bench/bench_api_list.py [--cases 100000] [--runs 30] [--database-url URL]

Without ``--database-url`` the bench builds a fresh SQLite file in a temporary
folder; a PostgreSQL URL must name an empty scratch database (the bench migrates it
and refuses one that already holds cases). Results go to stdout as one JSON document.

Bulk path: the 100,000 cases are inserted straight into the ``cases`` table in one
transaction (``bulk_insert_cases``), spread over every shipped procedure, its
states, a year of update times and due dates (some overdue). They carry no history
rows: this measures the list, which reads only the cases table and, for the
caller's ``available_events``, the recusals and guards of the 50 cases on the page.
The request goes through the whole Flask stack in process: token check, query,
snapshots, available events for the caller, JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from web import create_app  # noqa: E402
from web.config import AppConfig  # noqa: E402
from workflow import Engine  # noqa: E402
from workflow import FixedClock  # noqa: E402
from workflow import Settings  # noqa: E402
from workflow.persistence.migrate import upgrade  # noqa: E402
from workflow.persistence.models import Case  # noqa: E402

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
HEAD_KEY = b"bench-head-key-0123456789abcdef!"
BATCH = 5_000


def bulk_insert_cases(engine: Engine, count: int, seed: int = 20261125) -> None:
    """Insert ``count`` cases directly (no history): the bench's documented bulk path."""
    rng = random.Random(seed)
    defs = engine.registry.latest()
    cases_t = Case.__table__
    with engine.db.write() as conn:
        if conn.execute(select(func.count()).select_from(cases_t)).scalar_one():
            raise SystemExit("the bench needs an empty database (it inserts its own cases)")
        rows: list[dict[str, Any]] = []
        for i in range(count):
            d = defs[i % len(defs)]
            state = rng.choice(d.states)
            updated = NOW - timedelta(minutes=rng.randrange(365 * 24 * 60))
            due = None if state.final or rng.random() < 0.3 else updated + timedelta(days=rng.randrange(1, 60))
            rows.append({
                "definition_key": d.key, "definition_version": d.version, "definition_hash": d.content_hash,
                "title": f"{d.title}测试案件{i}", "subject_id": None, "state": state.name, "final": state.final,
                "version": 1, "data": {}, "created_by": "bench", "created_at": updated, "updated_at": updated,
                "state_entered_at": updated, "due_at": due, "head_seq": 0, "head_hash": "", "head_mac": "",
            })
            if len(rows) == BATCH:
                conn.execute(insert(cases_t), rows)
                rows = []
        if rows:
            conn.execute(insert(cases_t), rows)
    # Statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) keep them in production.
    if engine.db.dialect == "postgresql":
        with engine.db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE cases")
    else:
        with engine.db.write() as conn:
            conn.exec_driver_sql("ANALYZE")


def timed(client: Any, path: str, headers: dict[str, str], runs: int) -> dict[str, Any]:
    client.get(path, headers=headers)  # warm caches and the connection pool
    times = []
    total = None
    for _ in range(runs):
        started = time.perf_counter()
        resp = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        if resp.status_code != 200:
            raise SystemExit(f"{path}: HTTP {resp.status_code} {resp.get_data(as_text=True)[:300]}")
        total = resp.get_json()["total"]
    times.sort()
    return {"path": path, "total": total, "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1), "max_ms": round(times[-1], 1)}


def measure(cases: int = 100_000, runs: int = 30, database_url: str | None = None) -> dict[str, Any]:
    """Build the database, time the list queries; the result document (see main)."""
    tmp = Path(tempfile.mkdtemp(prefix="cadreflow-bench-"))
    url = database_url or f"sqlite:///{tmp / 'bench.db'}"
    upgrade(url)
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY, sqlite_synchronous="NORMAL"),
                    clock=FixedClock(NOW))
    engine.sync_definitions()
    started = time.perf_counter()
    bulk_insert_cases(engine, cases)
    inserted = time.perf_counter() - started
    for username, roles in (("officer", ["officer"]), ("auditor", ["auditor"])):
        if engine.users.find(username) is None:
            engine.users.add(username, roles, "x")
    app = create_app({"TESTING": True, "CADREFLOW_CONFIG": AppConfig(tmp, url, "bench")}, engine=engine)
    client = app.test_client()
    d = engine.registry.latest()[0]
    state = next(s.name for s in d.states if not s.final)
    queries = ["/api/v1/cases", "/api/v1/cases?per_page=200", f"/api/v1/cases?definition={d.key}",
               f"/api/v1/cases?definition={d.key}&state={state}", "/api/v1/cases?overdue=true",
               "/api/v1/cases?overdue=false&page=20", "/api/v1/cases?page=1000"]
    results = []
    for who in ("officer", "auditor"):
        headers = {"Authorization": f"Bearer {engine.users.create_token(who)}"}
        for path in queries:
            results.append({"caller": who, **timed(client, path, headers, runs)})
    engine.dispose()
    default = next(r for r in results if r["path"] == "/api/v1/cases" and r["caller"] == "officer")
    return {
        "bench": "api_list", "database": make_url(url).get_backend_name(), "cases": cases,
        "insert_seconds": round(inserted, 1), "runs": runs, "limit_ms": 100,
        "default_page_median_ms": default["median_ms"],
        "within_limit": all(r["median_ms"] < 100 for r in results),
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(json.dumps(measure(args.cases, args.runs, args.database_url), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
