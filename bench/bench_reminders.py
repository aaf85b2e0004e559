"""The reminders run (消息提醒: 临期 and 逾期) over 100,000 open cases.

Data: a migrated SQLite database with 100,000 open cases of one procedure written directly
(case rows with a due date: a third overdue, a third due within the next 3 working days, a
third later) and two stored holders each (``case_holders``), among 50 officers. The run is
``run_reminders`` (one INSERT ... SELECT per due day in the window and one for the overdue).
Figures: the first run on a fresh copy (writes ~133,000 notifications) and a second run on
the same data (idempotent: adds none), each the median of several rounds with min and max.
Target: the first run ≤ 10 s.

Run: .venv/bin/python -m bench.bench_reminders [--quick]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from datetime import UTC
from datetime import datetime
from datetime import time as day_time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow.clock import SHANGHAI
from workflow.notifications.reminders import run_reminders
from workflow.persistence.migrate import upgrade
from workflow.persistence.orgs import root_id
from workflow.persistence.tables import cases_t
from workflow.persistence.tables import holders_t

from .common import HEAD_KEY
from .common import Figure
from .common import temp_dir

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)  # a Wednesday
OFFICERS = 50
CHUNK = 5000


def _due(i: int) -> datetime:
    day = NOW.date() + timedelta(days=(-(i % 20) - 1) if i % 3 == 0 else (i % 5) if i % 3 == 1 else 30 + i % 20)
    return datetime.combine(day, day_time(23, 59, 59), tzinfo=SHANGHAI).astimezone(UTC)


def build(path: Path, cases: int) -> str:
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY, sqlite_synchronous="OFF"), clock=FixedClock(NOW))
    try:
        engine.sync_definitions()
        for n in range(OFFICERS):
            engine.users.add(f"off{n:02d}", ["officer"], "x", name=f"干部{n:02d}")
        d = engine.registry.get("daily_inspection")
        with engine.db.write() as conn:
            org = root_id(conn)
            for start in range(1, cases + 1, CHUNK):
                ids = range(start, min(start + CHUNK, cases + 1))
                conn.execute(insert(cases_t), [{
                    "id": i, "definition_key": d.key, "definition_version": d.version,
                    "definition_hash": d.content_hash, "title": f"第{i}号日常考察", "subject_id": None,
                    "org_id": org, "state": "analysis", "final": False, "version": 1, "data": {},
                    "created_by": "off00", "created_at": NOW, "updated_at": NOW, "state_entered_at": NOW,
                    "due_at": _due(i), "head_seq": 0, "head_hash": "", "head_mac": "", "full_hash_from": 1,
                    "head_seal": ""} for i in ids])
                conn.execute(insert(holders_t), [{"case_id": i, "username": f"off{(i + k) % OFFICERS:02d}"}
                                                 for i in ids for k in (0, 1)])
    finally:
        engine.dispose()
    return url


def _engine(url: str) -> Engine:
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY, sqlite_synchronous="NORMAL"),
                    clock=FixedClock(NOW))
    engine.sync_definitions()
    return engine


def _stats(name: str, values: list[float], target: str, met: bool | None, note: str) -> Figure:
    return Figure(name, round(statistics.median(values), 3), "s", target=target, met=met,
                  note=f"{note}; median of {len(values)} rounds, min {min(values):.3f} s, max {max(values):.3f} s",
                  extra={"rounds": [round(v, 3) for v in values]})


def run(quick: bool = False) -> list[Figure]:
    cases = 10_000 if quick else 100_000
    rounds = 3 if quick else 5
    folder = temp_dir("bench-reminders")
    try:
        source = folder / "source.db"
        started = time.perf_counter()
        build(source, cases)
        built = time.perf_counter() - started
        first: list[float] = []
        again: list[float] = []
        added = 0
        for r in range(rounds):
            copy = folder / f"round{r}.db"
            shutil.copyfile(source, copy)
            engine = _engine(f"sqlite:///{copy}")
            try:
                t0 = time.perf_counter()
                added = run_reminders(engine, NOW.astimezone(UTC))
                first.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                assert run_reminders(engine, NOW.astimezone(UTC)) == 0
                again.append(time.perf_counter() - t0)
            finally:
                engine.dispose()
                copy.unlink()
        note = f"{cases:,} open cases, 2 holders each, {added:,} notifications added (data built in {built:.1f} s)"
        return [
            _stats("reminders: first run", first, "≤ 10 s", statistics.median(first) <= 10, note),
            _stats("reminders: run again (adds none)", again, "", None, note),
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for f in run("--quick" in sys.argv):
        print(f"{f.name}: {f.value} {f.unit} ({f.note})")
