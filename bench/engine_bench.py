"""Engine throughput against the raw limit of the same disk, and memory over many cases.

Engine: `Engine.fire` of the 日常考察 `record` event (field validation, guards, the
hash chain, the CASE snapshot with the caller's available events, commit) on a
file SQLite database with the journal settings the engine ships (WAL,
synchronous=FULL), and for reference synchronous=NORMAL.
Raw limit: one UPDATE + one INSERT per committed transaction with the sqlite3
module and the same journal settings, on a table of the same shape.

Run: .venv/bin/python -m bench.engine_bench
"""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
import sys
import time
from datetime import UTC
from datetime import datetime

from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow.migrate import upgrade

from .common import HEAD_KEY
from .common import Figure
from .common import rss_mb
from .common import temp_dir

RECORD = {"record_kind": "谈心谈话", "record_date": "2026-11-20",
          "record_content": "与本人谈心谈话，了解近期工作思路和困难，态度端正，思路清晰。"}


def make_engine(synchronous: str) -> Engine:
    folder = temp_dir("cadreflow-bench-engine-")
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY, sqlite_synchronous=synchronous),
                    clock=FixedClock(datetime(2026, 11, 25, 2, 0, tzinfo=UTC)))
    engine.sync_definitions()
    return engine


def setup_cases(engine: Engine, count: int) -> tuple[list[int], object]:
    engine.users.add("bench_officer", ["officer"], "x", name="测试干部科")
    actor = engine.users.get("bench_officer").actor()
    person = engine.people.create({"name": "测试对象", "gender": "男", "birth_date": "1980-01-01"}, actor)
    ids = [engine.start_case("daily_inspection", actor, title=f"日常考察{i}", subject_id=person.id).id
           for i in range(count)]
    return ids, actor


def engine_rate(synchronous: str, events: int, cases: int = 200) -> float:
    engine = make_engine(synchronous)
    ids, actor = setup_cases(engine, cases)
    versions = {i: 1 for i in ids}
    start = time.perf_counter()
    for n in range(events):
        case_id = ids[n % len(ids)]
        result = engine.fire(case_id, "record", actor, RECORD, versions[case_id])  # type: ignore[arg-type]
        versions[case_id] = result.case.version
    elapsed = time.perf_counter() - start
    assert engine.verify().ok
    engine.dispose()
    return events / elapsed


def raw_rate(synchronous: str, events: int) -> float:
    folder = temp_dir("cadreflow-bench-raw-")
    db = sqlite3.connect(folder / "raw.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, state TEXT, version INTEGER, data TEXT)")
    db.execute("CREATE TABLE case_events (id INTEGER PRIMARY KEY, case_id INTEGER, seq INTEGER, data TEXT, "
               "hash TEXT, UNIQUE(case_id, seq))")
    db.executemany("INSERT INTO cases VALUES (?, 'open', 1, '{}')", [(i,) for i in range(1, 201)])
    payload = json.dumps(RECORD, ensure_ascii=False)
    start = time.perf_counter()
    for n in range(events):
        case_id = n % 200 + 1
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE cases SET version = version + 1, data = ? WHERE id = ?", (payload, case_id))
        db.execute("INSERT INTO case_events (case_id, seq, data, hash) VALUES (?, ?, ?, ?)",
                   (case_id, n, payload, hashlib.sha256(payload.encode()).hexdigest()))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return events / elapsed


def memory_growth(events: int = 10_000, cases: int = 1_000) -> tuple[float, float]:
    """(RSS before, RSS after) firing ``events`` across ``cases`` in one process."""
    engine = make_engine("NORMAL")
    ids, actor = setup_cases(engine, cases)
    versions = {i: 1 for i in ids}
    gc.collect()
    before = rss_mb()
    for n in range(events):
        case_id = ids[n % len(ids)]
        versions[case_id] = engine.fire(case_id, "record", actor, RECORD,  # type: ignore[arg-type]
                                        versions[case_id]).case.version
    gc.collect()
    after = rss_mb()
    assert len(engine.machines) == 1
    engine.dispose()
    return before, after


def run(events: int = 2000) -> list[Figure]:
    figures = []
    for sync in ("FULL", "NORMAL"):
        raw = raw_rate(sync, events * 3)
        eng = engine_rate(sync, events)
        durable = sync == "FULL"
        figures.append(Figure(
            f"engine fire, SQLite WAL synchronous={sync}", round(eng, 1), "events/s", round(raw, 1),
            f"raw UPDATE+INSERT per commit, synchronous={sync}",
            target="≥ 25% of raw" if durable else "", met=(eng / raw >= 0.25) if durable else None))
    before, after = memory_growth()
    growth = after - before
    figures.append(Figure("RSS growth firing 10,000 events across 1,000 cases", round(growth, 1), "MiB",
                          round(before, 1), "RSS before", target="≤ 50 MiB", met=growth <= 50))
    return figures


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for fig in run(count):
        print(json.dumps(fig.as_dict(), ensure_ascii=False))
