"""统计分析 (the dashboard's figures, ``Engine.stats``) over 100,000 cases.

Data: the scale bench's 100,000 日常考察 cases with 1,000,000 history events
(bench/scale_data.py, bulk writer; the database's trigger fills ``case_stays`` as
the events are inserted), and for the baseline the same plan at 1,000 cases. Each
round computes the whole dashboard (counts by procedure and state, overdue, by
organization, by month, and the working days per state with their 90th percentile)
for the auditor of the root, who sees every case, and for an officer, who sees his
organization's third; the two databases alternate. Figures: the median time of the
rounds with min and max; the ratio is against the same viewer at 1,000 cases.
Target (issue 17): ≤ 300 ms at 100,000 cases.

Run: .venv/bin/python -m bench.bench_dashboard [--quick]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from datetime import UTC
from datetime import datetime

from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow.queries.stats import StatsQuery

from .common import HEAD_KEY
from .common import Figure
from .common import temp_dir
from .scale_data import build

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # after the plan's last event
VIEWERS = (("auditor01", "监督检查（全部案件）"), ("officer01", "干部科（本单位的三分之一）"))


def _engine(url: str) -> Engine:
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY), clock=FixedClock(NOW))
    engine.sync_definitions()
    return engine


def _time(engine: Engine, username: str) -> float:
    viewer = engine.users.get(username).actor()
    started = time.perf_counter()
    engine.stats(StatsQuery(), viewer)
    return time.perf_counter() - started


def run(quick: bool = False) -> list[Figure]:
    cases = 10_000 if quick else 100_000
    rounds = 3 if quick else 7
    folder = temp_dir("bench-dashboard")
    try:
        started = time.perf_counter()
        big_url, events, _ = build(folder / "big.db", cases)
        built = time.perf_counter() - started
        small_url, _, _ = build(folder / "small.db", 1_000)
        big, small = _engine(big_url), _engine(small_url)
        try:
            totals = {u: big.stats(StatsQuery(), big.users.get(u).actor()).total for u, _ in VIEWERS}
            times: dict[tuple[str, str], list[float]] = {(u, s): [] for u, _ in VIEWERS for s in ("big", "small")}
            for _ in range(rounds):
                for username, _label in VIEWERS:
                    for size, engine in (("big", big), ("small", small)):
                        _time(engine, username)  # warm: the first read of a page after the other database
                        times[(username, size)].append(_time(engine, username))
        finally:
            big.dispose()
            small.dispose()
        figures = []
        for username, label in VIEWERS:
            values, base = times[(username, "big")], times[(username, "small")]
            ms = statistics.median(values) * 1000
            ratios = [a / b for a, b in zip(values, base, strict=True)]
            figures.append(Figure(
                f"dashboard at {cases:,} cases: {label}", round(ms, 1), "ms",
                baseline=round(statistics.median(base) * 1000, 1), baseline_name="the same viewer at 1,000 cases",
                target="≤ 300 ms", met=ms <= 300, measured_ratio=statistics.median(ratios),
                note=(f"{totals[username]:,} cases seen, {events:,} events in the database (built in {built:.0f} s); "
                      f"median of {rounds} alternating rounds, min {min(values) * 1000:.0f} ms, "
                      f"max {max(values) * 1000:.0f} ms"),
                extra={"rounds_ms": [round(v * 1000, 1) for v in values]}))
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for f in run("--quick" in sys.argv):
        print(f"{f.name}: {f.value} {f.unit} (×{f.ratio:.2f} of {f.baseline} ms; {f.note})")
