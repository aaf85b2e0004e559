"""Engine throughput against the raw limit of the same disk, and memory over many cases.

Engine: `Engine.fire` of the 日常考察 `record` event (field validation, guards, the
hash chain, the case snapshot with the caller's available events, commit) on a
file SQLite database with the journal settings the engine ships (WAL,
synchronous=FULL), and for reference synchronous=NORMAL. 200 cases take the
events in turn, so each case's data and history grow as a real one's do.

Raw limit: one UPDATE + one INSERT per committed transaction with the sqlite3
module and the same journal settings, on tables of the same shape.

SQLAlchemy floor: the statements one `fire` issues (lock the case row, read its
recusals, insert the history row, the versioned UPDATE, read its links) through
SQLAlchemy Core on the engine's own database settings, without the engine's
logic. The fire path itself runs these five on the driver cursor of its
SQLAlchemy connection (workflow/persistence/rows.py), so the engine with all its logic
is faster than this floor: it is kept to show what that choice saves.

The contenders run in interleaved rounds (bench.common.interleaved): ratios are
medians of per-round ratios, which survive the load of a busy machine.
A profile of the fire path (synchronous=NORMAL, where the disk does not hide it)
says where the time goes (in the note of the NORMAL floor figure).

Run: .venv/bin/python -m bench.engine_bench [--quick]
"""

from __future__ import annotations

import cProfile
import gc
import hashlib
import json
import pstats
import shutil
import sqlite3
import sys
import time
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow.persistence.migrate import upgrade

from .common import HEAD_KEY
from .common import Figure
from .common import interleaved
from .common import rss_mb
from .common import temp_dir

RECORD = {"record_kind": "谈心谈话", "record_date": "2026-11-20",
          "record_content": "与本人谈心谈话，了解近期工作思路和困难，态度端正，思路清晰。"}
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
CASES = 200


class TickingClock(FixedClock):
    """Starts at NOW and moves on 1 ms at every reading.

    Every event stamps a new ``updated_at``, as in production, so the list indexes
    that hold it are rewritten as they would be (a fixed clock would leave their
    entries in place); the dates stay in a year the holiday calendar knows.
    """

    def now(self) -> datetime:
        self.advance(milliseconds=1)
        return super().now()


def make_engine(synchronous: str, folder: Path) -> Engine:
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY, sqlite_synchronous=synchronous),
                    clock=TickingClock(NOW))
    engine.sync_definitions()
    return engine


def setup_cases(engine: Engine, count: int) -> tuple[list[int], Any]:
    engine.users.add("bench_officer", ["officer"], "x", name="测试干部科")
    actor = engine.users.get("bench_officer").actor()
    person = engine.people.create({"name": "测试对象", "gender": "男", "birth_date": "1980-01-01"}, actor)
    ids = [engine.start_case("daily_inspection", actor, title=f"日常考察{i}", subject_id=person.id).id
           for i in range(count)]
    return ids, actor


class EngineRunner:
    """`Engine.fire` of `record` on ``CASES`` cases in turn; state kept between rounds."""

    def __init__(self, synchronous: str, cases: int = CASES) -> None:
        self.folder = temp_dir("cadreflow-bench-engine-")
        self.engine = make_engine(synchronous, self.folder)
        self.ids, self.actor = setup_cases(self.engine, cases)
        self.versions = {i: 1 for i in self.ids}
        self.fired = 0

    def fire(self, count: int) -> None:
        for _ in range(count):
            case_id = self.ids[self.fired % len(self.ids)]
            result = self.engine.fire(case_id, "record", self.actor, RECORD, self.versions[case_id])
            self.versions[case_id] = result.case.version
            self.fired += 1

    def __call__(self, count: int) -> float:
        start = time.perf_counter()
        self.fire(count)
        return count / (time.perf_counter() - start)

    def close(self) -> None:
        report = self.engine.verify()
        assert report.ok and report.events == self.fired + len(self.ids), report
        self.engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


class RawRunner:
    """One UPDATE + one INSERT per committed transaction with the sqlite3 module."""

    def __init__(self, synchronous: str, cases: int = CASES) -> None:
        self.folder = temp_dir("cadreflow-bench-raw-")
        self.db = sqlite3.connect(self.folder / "raw.db", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(f"PRAGMA synchronous={synchronous}")
        self.db.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, state TEXT, version INTEGER, data TEXT)")
        self.db.execute("CREATE TABLE case_events (id INTEGER PRIMARY KEY, case_id INTEGER, seq INTEGER, "
                        "data TEXT, hash TEXT, UNIQUE(case_id, seq))")
        self.db.executemany("INSERT INTO cases VALUES (?, 'open', 1, '{}')", [(i,) for i in range(1, cases + 1)])
        self.cases = cases
        self.payload = json.dumps(RECORD, ensure_ascii=False)
        self.done = 0

    def __call__(self, count: int) -> float:
        db, payload = self.db, self.payload
        start = time.perf_counter()
        for _ in range(count):
            case_id = self.done % self.cases + 1
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE cases SET version = version + 1, data = ? WHERE id = ?", (payload, case_id))
            db.execute("INSERT INTO case_events (case_id, seq, data, hash) VALUES (?, ?, ?, ?)",
                       (case_id, self.done, payload, hashlib.sha256(payload.encode()).hexdigest()))
            db.execute("COMMIT")
            self.done += 1
        return count / (time.perf_counter() - start)

    def close(self) -> None:
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def floor_statements() -> tuple[Any, ...]:
    """The five statements of a fire as SQLAlchemy Core statements built once (compiled-cache friendly)."""
    from sqlalchemy import bindparam
    from sqlalchemy import insert
    from sqlalchemy import select
    from sqlalchemy import update

    from workflow.persistence.models import Case
    from workflow.persistence.models import CaseEvent
    from workflow.persistence.models import CaseLink
    from workflow.persistence.models import Recusal
    from workflow.persistence.models import table

    cases, links = table(Case), table(CaseLink)
    # What the fire path sets for an event that stays in its state (workflow/commands/fire.py).
    columns = ("data", "version", "updated_at", "head_seq", "head_hash", "head_mac")
    return (
        select(cases).where(cases.c.id == bindparam("case_id")).with_for_update(),
        select(table(Recusal).c.username).where(table(Recusal).c.case_id == bindparam("case_id")),
        insert(table(CaseEvent)),
        update(cases).where(cases.c.id == bindparam("b_id"), cases.c.version == bindparam("b_version"))
        .values({c: bindparam(c) for c in columns}),
        select(links.c.case_id, links.c.target_id, links.c.relation, cases.c.state, cases.c.data)
        .join(cases, cases.c.id == links.c.target_id).where(links.c.case_id == bindparam("case_id")),
    )


class SqlaFloorRunner:
    """The statements of one fire through SQLAlchemy Core, without the engine's logic."""

    def __init__(self, synchronous: str, cases: int = CASES) -> None:
        self.statements = floor_statements()
        self.folder = temp_dir("cadreflow-bench-floor-")
        self.engine = make_engine(synchronous, self.folder)
        self.ids, _ = setup_cases(self.engine, cases)
        self.done = 0

    def __call__(self, count: int) -> float:
        lock, recused, insert_event, update_case, links = self.statements
        w = self.engine.db.writer
        start = time.perf_counter()
        for _ in range(count):
            case_id = self.ids[self.done % len(self.ids)]
            now = self.engine.clock.now()
            with w.begin() as conn:
                row = conn.execute(lock, {"case_id": case_id}).first()
                assert row is not None
                set(conn.execute(recused, {"case_id": case_id}))
                seq = row.head_seq + 1
                conn.execute(insert_event, {
                    "case_id": case_id, "seq": seq, "type": "transition_fired", "event": "record",
                    "from_state": "open", "to_state": "open", "actor": "bench_officer", "actor_name": "测试干部科",
                    "role": "officer", "at": now, "data": RECORD, "comment": "", "prev_hash": row.head_hash,
                    "hash": hashlib.sha256(str(seq).encode()).hexdigest()})
                data = {**row.data, "records": [*row.data.get("records", []), RECORD]}
                conn.execute(update_case, {
                    "data": data, "version": row.version + 1, "updated_at": now, "head_seq": seq,
                    "head_hash": row.head_hash, "head_mac": row.head_mac,
                    "b_id": case_id, "b_version": row.version})
                list(conn.execute(links, {"case_id": case_id}))
            self.done += 1
        return count / (time.perf_counter() - start)

    def close(self) -> None:
        self.engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


def profile_fire(events: int) -> dict[str, float]:
    """Share of `Engine.fire` time (%) by where it is spent, synchronous=NORMAL, under cProfile."""
    runner = EngineRunner("NORMAL")
    runner.fire(min(events, 200))
    prof = cProfile.Profile()
    prof.enable()
    runner.fire(events)
    prof.disable()
    runner.close()
    stats: dict[Any, Any] = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    buckets = {"sqlite3 commit": 0.0, "sqlite3 execute/fetch": 0.0, "SQLAlchemy": 0.0,
               "workflow (engine code)": 0.0, "transitions": 0.0, "json": 0.0, "builtins and stdlib": 0.0}
    for (path, _line, func), (_cc, _nc, tottime, _ct, _callers) in stats.items():
        if "commit" in func and "sqlite3.Connection" in func:
            key = "sqlite3 commit"
        elif "sqlite3.Cursor" in func or "sqlite3.Connection" in func:
            key = "sqlite3 execute/fetch"
        elif "/sqlalchemy/" in path:
            key = "SQLAlchemy"
        elif "/workflow/" in path:
            key = "workflow (engine code)"
        elif "/transitions/" in path:
            key = "transitions"
        elif "/json/" in path:
            key = "json"
        else:
            key = "builtins and stdlib"
        buckets[key] += tottime
    total = sum(buckets.values()) or 1.0
    return {k: round(100 * v / total, 1) for k, v in buckets.items()}


def throughput(synchronous: str, rounds: int, per_round: int, profile: str = "") -> list[Figure]:
    engine, raw, floor = EngineRunner(synchronous), RawRunner(synchronous), SqlaFloorRunner(synchronous)
    engine(20)  # warm the statement cache and the connection pool
    floor(20)
    result = interleaved({"engine": engine, "raw": raw, "floor": floor}, rounds,
                         {"engine": per_round, "raw": per_round * 2, "floor": per_round})
    for runner in (engine, raw, floor):
        runner.close()
    durable = synchronous == "FULL"
    ratio = result.ratio("engine", "raw")
    how = f"median of {rounds} interleaved rounds ({per_round} engine events each); per-round rates"
    per_event = {name: 1e6 / result.median(name) for name in ("engine", "floor", "raw")}
    split = (f"per event: engine {per_event['engine']:.0f} µs = raw {per_event['raw']:.0f} + engine logic, "
             f"extra statements and SQLAlchemy's transaction handling {per_event['engine'] - per_event['raw']:.0f}; "
             f"the same statements through SQLAlchemy Core alone take {per_event['floor']:.0f} µs")
    return [
        Figure(f"engine fire, SQLite WAL synchronous={synchronous}", round(result.median("engine"), 1),
               "events/s", round(result.median("raw"), 1),
               f"raw UPDATE+INSERT per commit, synchronous={synchronous}",
               target="≥ 25% of raw" if durable else "", met=(ratio >= 0.25) if durable else None,
               measured_ratio=ratio,
               note=f"{how}: engine {result.spread('engine')}, raw {result.spread('raw')}"),
        Figure(f"engine fire vs SQLAlchemy Core floor, synchronous={synchronous}",
               round(result.median("engine"), 1), "events/s", round(result.median("floor"), 1),
               "the fire path's 5 statements through SQLAlchemy Core, no engine logic "
               "(the fire path runs them on the driver cursor)",
               measured_ratio=result.ratio("engine", "floor"),
               note=f"floor / raw = {result.ratio('floor', 'raw'):.2f}; {split}; {how}: floor "
                    f"{result.spread('floor')}{profile}"),
    ]


def memory_growth(events: int = 10_000, cases: int = 1_000) -> tuple[float, float]:
    """(RSS before, RSS after) firing ``events`` across ``cases`` in one process."""
    folder = temp_dir("cadreflow-bench-memory-")
    engine = make_engine("NORMAL", folder)
    ids, actor = setup_cases(engine, cases)
    versions = {i: 1 for i in ids}
    engine.fire(ids[0], "record", actor, RECORD, 1)  # warm caches before the first reading
    versions[ids[0]] = 2
    gc.collect()
    before = rss_mb()
    for n in range(1, events):
        case_id = ids[n % len(ids)]
        versions[case_id] = engine.fire(case_id, "record", actor, RECORD, versions[case_id]).case.version
    gc.collect()
    after = rss_mb()
    assert len(engine.registry.versions()) >= 1
    engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return before, after


def run(quick: bool = False) -> list[Figure]:
    rounds, per_round = (3, 100) if quick else (5, 300)
    shares = profile_fire(300 if quick else 1000)
    profile = "; cProfile of Engine.fire, share of its time: " + ", ".join(f"{k} {v}%" for k, v in shares.items())
    figures = throughput("FULL", rounds, per_round) + throughput("NORMAL", rounds, per_round, profile)
    figures[-1].extra = {"profile_percent": shares}
    events, cases = (2_000, 200) if quick else (10_000, 1_000)
    before, after = memory_growth(events, cases)
    growth = after - before
    figures.append(Figure(f"RSS growth firing {events:,} events across {cases:,} cases", round(growth, 1), "MiB",
                          round(before, 1), "RSS before", target="≤ 50 MiB", met=growth <= 50))
    return figures


if __name__ == "__main__":
    for fig in run("--quick" in sys.argv[1:]):
        print(json.dumps(fig.as_dict(), ensure_ascii=False))
