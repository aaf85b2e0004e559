"""Scale of the data: 100,000 cases with 1,000,000 history events.

The data set and its bulk generator are in bench/scale_data.py (a plan of what
users did, written into the database by a bulk path whose rows are the engine's
own, proven each run by ``self_check`` against `Engine.fire`).

Each figure is measured on the large database and, as its same-run baseline, on
a small one built from the same plan (1,000 cases, 10,000 events): the ratio says
how the operation grows with the data (1 = not at all).

- case list page: `Engine.list_cases` first page (50, newest first, with the
  caller's available events as the API asks), a filtered page (state), and the
  "已办" page (cases the caller acted on, through the history's actor index);
- inbox: `Engine.todo` for an officer and for a reviewer;
- need-to-know (the data spans three organizations): the list and inbox of an
  officer of another organization (西山), of an inspector (participation: only the
  cases naming them) and of the root's auditor (subtree: all three);
- case page: `Engine.get_case` + `Engine.history` of one case, median over cases;
- `cadreflow verify` (the CLI, in a child process): events/s against the raw
  scan-and-hash rate of the same rows with the sqlite3 module (json + SHA-256,
  the least work a verification can do), and its peak RSS against the same
  command over the small database: verify streams, so its memory must not grow
  with the history.

Run: .venv/bin/python -m bench.scale_bench [--quick] [--keep]
(--quick: 10,000 cases / 100,000 events; --keep leaves the databases in the
temporary folder it prints.)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workflow import CaseQuery
from workflow import Engine
from workflow import FixedClock

from .common import Figure
from .common import temp_dir
from .common import timed_ms
from .scale_data import NOW
from .scale_data import SECRET
from .scale_data import build
from .scale_data import open_engine

SMALL = 1_000
RUNS = 15
LIMIT_MS = 100.0


@dataclass
class Verified:
    seconds: float
    events: int
    rate: float
    peak_mb: float
    output: str


def reader_timings(url: str, runs: int) -> dict[str, float]:
    """Median milliseconds of each page the figures report, on the database at ``url``."""
    engine = open_engine(url, "FULL")
    engine.clock = FixedClock(NOW)
    officer = engine.users.get("officer01").actor()
    reviewer = engine.users.get("reviewer01").actor()
    county = engine.users.get("officer03").actor()
    inspector = engine.users.get("inspector01").actor()
    auditor = engine.users.get("auditor01").actor()
    few = max(3, runs // 3)
    out = {
        "list": timed_ms(lambda: engine.list_cases(CaseQuery(), officer, with_actions=True), runs)[0],
        "list_state": timed_ms(lambda: engine.list_cases(CaseQuery(definition="daily_inspection", state="analysis"),
                                                         officer, with_actions=True), runs)[0],
        "list_acted": timed_ms(lambda: engine.list_cases(CaseQuery(acted_by="officer01"), officer,
                                                         with_actions=True), runs)[0],
        "todo_officer": timed_ms(lambda: engine.todo(officer), max(3, runs // 3))[0],
        "todo_reviewer": timed_ms(lambda: engine.todo(reviewer), max(3, runs // 3))[0],
        "list_county": timed_ms(lambda: engine.list_cases(CaseQuery(), county, with_actions=True), runs)[0],
        "todo_county": timed_ms(lambda: engine.todo(county), few)[0],
        "list_inspector": timed_ms(lambda: engine.list_cases(CaseQuery(), inspector, with_actions=True), runs)[0],
        "todo_inspector": timed_ms(lambda: engine.todo(inspector), few)[0],
        "list_auditor": timed_ms(lambda: engine.list_cases(CaseQuery(), auditor), runs)[0],
        "case_page": _case_page(engine, auditor, runs),
    }
    engine.dispose()
    return out


def _case_page(engine: Engine, viewer: Any, runs: int) -> float:
    """Median ms of get_case + history over ``runs`` cases spread over the database (15 events each)."""
    with engine.db.engine.connect() as conn:
        count = conn.exec_driver_sql("SELECT max(id) FROM cases").scalar_one()
    ids = [3 + 10 * (i * (count // 10) // runs) for i in range(runs)]  # pattern 3: 15 events

    def page(case_id: int) -> None:
        engine.get_case(case_id, viewer)
        engine.history(case_id, viewer)

    page(ids[0])
    times = []
    for case_id in ids:
        started = time.perf_counter()
        page(case_id)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# Runs the CLI and reports its peak RSS. The wrapper is a fresh interpreter: a child forked
# straight from this (large) process would report this process's RSS as its own peak.
_WRAPPER = ("import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
            "print('maxrss_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)")


def run_verify(url: str, folder: Path) -> Verified:
    """`cadreflow verify` in a child process: wall time, the events/s it prints, its peak RSS."""
    env = {**os.environ, "CADREFLOW_DATABASE_URL": url, "CADREFLOW_SECRET_KEY": SECRET,
           "CADREFLOW_INSTANCE": str(folder), "CADREFLOW_SQLITE_SYNCHRONOUS": "FULL"}
    cli = Path(sys.executable).parent / "cadreflow"
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(cli), "verify"], env=env, capture_output=True,
                          text=True, check=False)
    wall = time.perf_counter() - started
    text = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise RuntimeError(f"cadreflow verify failed ({proc.returncode}): {text[-2000:]}")
    said = re.search(r"(\d+)个案件，(\d+)个事件，.*?用时([\d.]+)秒", text)
    peak = re.search(r"maxrss_kb (\d+)", text)
    if said is None or peak is None:
        raise RuntimeError(f"cannot read the output of cadreflow verify: {text[-2000:]}")
    events, seconds = int(said.group(2)), float(said.group(3))
    line = next(x for x in text.splitlines() if "核验" in x)
    return Verified(seconds, events, events / seconds, int(peak.group(1)) / 1024, f"{line}; {wall:.1f} s wall")


def raw_scan_rate(path: Path) -> float:
    """Events/s of the least a verification must do: read each row, re-encode it, SHA-256, compare."""
    from workflow.audit import canonical

    db = sqlite3.connect(path)
    started = time.perf_counter()
    count = 0
    cur = db.execute("SELECT case_id, seq, type, event, from_state, to_state, actor, actor_name, role, at, data, "
                     "comment, prev_hash, hash FROM case_events ORDER BY case_id, seq")
    for case_id, seq, type_, ev, source, dest, actor, actor_name, role, at, data, comment, prev, digest in cur:
        body = {"v": 2, "case": case_id, "seq": seq, "type": type_, "event": ev, "from": source, "to": dest,
                "actor": actor, "actor_name": actor_name, "role": role, "at": at.replace(" ", "T") + "Z",
                "data": json.loads(data), "comment": comment, "prev": prev}  # format 2 (audit.event_hash_v2)
        if hashlib.sha256(canonical(body)).hexdigest() != digest:
            raise AssertionError(f"raw scan: hash mismatch at case {case_id} seq {seq}")
        count += 1
    seconds = time.perf_counter() - started
    db.close()
    return count / seconds


TABLES = ("organizations", "users", "people", "definition_versions", "cases", "case_readers", "case_events",
          "case_ledger", "ledger_head")


def self_check(folder: Path, cases: int = 20) -> tuple[float, int]:
    """Write the same plan through the engine and the bulk path; every row must be equal.

    Returns (the engine's events/s while writing, events compared).
    """
    engine_url, events, seconds = build(folder / "engine.db", cases, writer="engine", people=50)
    bulk_url, bulk_events, _ = build(folder / "bulk.db", cases, writer="bulk", people=50)
    assert events == bulk_events, (events, bulk_events)
    a, b = sqlite3.connect(folder / "engine.db"), sqlite3.connect(folder / "bulk.db")
    for name in TABLES:
        rows_a = a.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()  # noqa: S608
        rows_b = b.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()  # noqa: S608
        if name in ("definition_versions", "organizations"):  # loaded_at, created_at: when each was set up
            rows_a = [r[:-1] for r in rows_a]
            rows_b = [r[:-1] for r in rows_b]
        if rows_a != rows_b:
            diff = next(((x, y) for x, y in zip(rows_a, rows_b, strict=False) if x != y), (len(rows_a), len(rows_b)))
            raise AssertionError(f"bulk rows differ from the engine's in {name}: {diff}")
    a.close()
    b.close()
    return events / seconds, events


def measure(cases: int, folder: Path, runs: int = RUNS) -> list[Figure]:
    check_rate, checked = self_check(_mkdir(folder / "check"))
    small_url, small_events, _ = build(folder / "small.db", SMALL)
    started = time.perf_counter()
    big_url, events, gen_seconds = build(folder / "big.db", cases)
    gen_total = time.perf_counter() - started
    size_mb = (folder / "big.db").stat().st_size / 1048576
    small = reader_timings(small_url, runs)
    big = reader_timings(big_url, runs)
    v_small = run_verify(small_url, _mkdir(folder / "verify-small"))
    v_big = run_verify(big_url, _mkdir(folder / "verify-big"))
    raw = raw_scan_rate(folder / "big.db")
    scale = f"{cases:,} cases / {events:,} events"
    base = f"same on {SMALL:,} cases / {small_events:,} events"
    figures = [Figure(
        f"bulk generation, {scale}", round(events / gen_seconds), "events/s", round(check_rate, 1),
        "the same plan through Engine.start_case/fire (synchronous=NORMAL)",
        note=(f"rows equal to the engine's ({checked} events compared, every table); {gen_total:.0f} s in all "
              f"with migration and people; database {size_mb:,.0f} MiB"))]
    pages = (
        ("list", "case list page 1 (50, newest first, with available events)"),
        ("list_state", "case list filtered by definition and state"),
        ("list_acted", "case list 已办 (cases officer01 acted on)"),
        ("todo_officer", "inbox (Engine.todo) of an officer"),
        ("todo_reviewer", "inbox (Engine.todo) of a reviewer"),
        ("list_county", "need-to-know: case list of an officer of 西山 (one of three organizations)"),
        ("todo_county", "need-to-know: inbox of an officer of 西山"),
        ("list_inspector", "need-to-know: case list of an inspector (the cases naming them)"),
        ("todo_inspector", "need-to-know: inbox of an inspector"),
        ("list_auditor", "need-to-know: case list of the root's auditor (all three organizations)"),
        ("case_page", "case page (get_case + history, 15 events)"),
    )
    for key, label in pages:
        value = big[key]
        figures.append(Figure(f"{label}, {scale}", round(value, 1), "ms", round(small[key], 1), base,
                              target=f"≤ {LIMIT_MS:.0f} ms", met=value <= LIMIT_MS))
    figures.append(Figure(
        f"cadreflow verify, {scale}", round(v_big.rate), "events/s", round(raw),
        "raw scan + canonical JSON + SHA-256 of the same rows (sqlite3)",
        note=f"CLI: {v_big.output}"))
    growth = v_big.peak_mb - v_small.peak_mb
    figures.append(Figure(
        f"cadreflow verify peak RSS, {scale}", round(v_big.peak_mb, 1), "MiB", round(v_small.peak_mb, 1),
        f"the same command over {small_events:,} events", target="≤ baseline + 25 MiB (streams)",
        met=growth <= 25, note=f"growth {growth:+.1f} MiB for {events / small_events:.0f}× the events"))
    return figures


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def run(quick: bool = False, keep: bool = False) -> list[Figure]:
    folder = temp_dir("cadreflow-bench-scale-")
    try:
        return measure(10_000 if quick else 100_000, folder, runs=9 if quick else RUNS)
    finally:
        if keep:
            print(f"databases kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for fig in run("--quick" in sys.argv[1:], keep="--keep" in sys.argv[1:]):
        print(json.dumps(fig.as_dict(), ensure_ascii=False))
