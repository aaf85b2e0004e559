"""PDF benchmarks: each official form, a 200-event case history, peak memory, export throughput.

Baseline: WeasyPrint rendering an (almost) empty one-page A4 with the same print
stylesheet and fonts, in the same process, so the figures say what our templates
cost on top of WeasyPrint itself. Targets (issue 6): a form under 1 s, a 200-event
history under 3 s. Timings are medians after one warm-up render per process (the
first render loads the CJK fonts, ~1 s, and is reported separately).

Run from the project root (prints one JSON document):
    .venv/bin/python -m bench.bench_documents [--runs 5] [--export-cases 40] [--jobs 2]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from documents import document_names  # noqa: E402
from documents import form_reads  # noqa: E402
from documents import render_form  # noqa: E402
from documents import render_history  # noqa: E402
from documents.export import run_export  # noqa: E402
from documents.issue import form_inputs  # noqa: E402
from documents.issue import form_pdf  # noqa: E402
from documents.renderer import PdfMeta  # noqa: E402
from documents.renderer import html_to_pdf  # noqa: E402
from tests.documents import scenarios  # noqa: E402
from workflow import Engine  # noqa: E402
from workflow import FixedClock  # noqa: E402
from workflow import Settings  # noqa: E402
from workflow.persistence.migrate import upgrade  # noqa: E402

from .common import HEAD_KEY  # noqa: E402
from .common import Figure  # noqa: E402
from .common import rss_mb  # noqa: E402
from .common import temp_dir  # noqa: E402

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
EMPTY = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="print.css">'
         '</head><body><h1 class="doc-title">空</h1><p>空</p></body></html>')


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_engine() -> Engine:
    folder = temp_dir("cadreflow-bench-documents-")
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY), clock=FixedClock(NOW), forms=form_reads())
    engine.sync_definitions()
    return engine


def history_case(engine: Engine, demo: scenarios.Demo, events: int) -> int:
    """A 日常考察 case with ``events`` history events (the start, then records)."""
    case_id = scenarios.daily_inspection(engine, demo.actors, demo.person, records=events - 1, file=False)
    assert len(engine.history(case_id, demo.actors["aud"])) == events
    return case_id


def bench(runs: int, export_cases: int, jobs: int) -> dict[str, Any]:
    """Every figure, as one JSON-ready document."""
    return {
        "bench": "documents",
        "machine": {"cpus": _cpus(), "python": sys.version.split()[0]},
        "figures": [f.as_dict() for f in run(runs, export_cases, jobs)],
    }


def run(runs: int = 5, export_cases: int = 40, jobs: int = 2) -> list[Figure]:
    """The figures (for an aggregating runner such as bench.run)."""
    figures: list[Figure] = []
    meta = PdfMeta("bench", NOW)
    start = time.perf_counter()
    html_to_pdf(EMPTY, meta)
    first = time.perf_counter() - start
    baseline = median_time(lambda: html_to_pdf(EMPTY, meta), runs)
    figures.append(Figure("first render in a process (font loading)", round(first, 3), "s"))
    figures.append(Figure("baseline: empty one-page A4, same CSS and fonts", round(baseline, 3), "s"))

    engine = make_engine()
    demo = scenarios.build(engine)
    officer = demo.actors["off"]
    rss_before = rss_mb()
    per_form: dict[str, float] = {}
    for name in document_names():
        inputs = form_inputs(engine, engine.case_record(demo.cases[name], officer), name)
        seconds = median_time(lambda inputs=inputs: form_pdf(inputs), runs)  # type: ignore[misc]
        per_form[name] = seconds
        figures.append(Figure(f"form {name}", round(seconds, 3), "s", baseline, "empty A4", "< 1 s", seconds < 1))
    end_to_end = median_time(lambda: render_form(engine, demo.cases["appointment_approval_form"],
                                                 "appointment_approval_form", officer), runs)
    figures.append(Figure("render_form appointment_approval_form end to end (read, render, record)",
                          round(end_to_end, 3), "s", baseline, "empty A4", "< 1 s", end_to_end < 1))

    figures.append(Figure("renderer peak RSS after the 16 forms", round(peak_rss_mb(), 1), "MiB"))
    case_id = history_case(engine, demo, 200)
    hist_runs = max(3, runs // 2)
    pdf = render_history(engine, case_id, demo.actors["aud"])
    hist = median_time(lambda: render_history(engine, case_id, demo.actors["aud"]), hist_runs)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    figures.append(Figure("case history, 200 events", round(hist, 3), "s", baseline, "empty A4", "< 3 s",
                          hist < 3, f"{pages} pages, {len(pdf) // 1024} KiB"))
    gc.collect()
    figures.append(Figure("renderer RSS after all renders", round(rss_mb(), 1), "MiB",
                          note=f"before the form renders: {rss_before:.1f} MiB"))
    figures.append(Figure("renderer peak RSS after the 200-event history", round(peak_rss_mb(), 1), "MiB"))

    # export: N histories with `jobs` worker processes (spawn; each builds its own Engine)
    while len({c for c in demo.cases.values()}) < export_cases:
        more = scenarios.build(engine)
        demo.cases.update({f"{k}#{v}": v for k, v in more.cases.items()})
    ids = sorted(set(demo.cases.values()))[:export_cases]
    out = temp_dir("cadreflow-bench-export-")
    result = run_export(engine, ids, False, None, out, jobs)
    figures.append(Figure(f"export {len(ids)} case histories, {jobs} jobs", round(result.per_minute, 1),
                          "PDFs/min", note=f"{result.seconds:.1f} s including worker start-up"))
    resumed = run_export(engine, ids, False, None, out, jobs)
    figures.append(Figure("export resumed, nothing changed", round(resumed.seconds, 3), "s",
                          note=f"skipped {resumed.skipped}"))
    return figures


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--export-cases", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(bench(args.runs, args.export_cases, args.jobs), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
