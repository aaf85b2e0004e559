"""Long case-history PDFs rendered in parts (documents/history_parts.py) against today's 200-event history.

Baseline, in the same run: the 200-event history of one piece (the path every history of up to
``PART_EVENTS`` events takes). Each render runs in a fresh process, so its peak memory is its own:
the parent's peak RSS and the largest worker's (``RUSAGE_CHILDREN``) are reported. Rounds alternate
baseline and long history; figures are medians with min and max. Targets (issues 13 and 19): a
2,000-event history <= 12 s with peak memory below the 200-event render x 1.5; a 5,000-event history
<= 60 s. The cases are built once, before the rounds (building is not timed).

    .venv/bin/python -m bench.bench_history_parts [--rounds 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from .common import Figure  # noqa: E402
from .common import temp_dir  # noqa: E402

SIZES = (200, 2000, 5000)


def build(folder: Path, sizes: tuple[int, ...]) -> dict[int, int]:
    """A demo database with one 日常考察 case of each size; {events: case id}."""
    from bench.bench_documents import history_case
    from bench.bench_documents import make_engine
    from tests.documents import scenarios

    engine = make_engine()
    demo = scenarios.build(engine)
    cases = {n: history_case(engine, demo, n) for n in sizes}
    (folder / "cases.json").write_text(json.dumps({"url": str(engine.settings.database_url), "cases": cases,
                                                   "actor": demo.actors["aud"].username}))
    engine.dispose()
    return cases


def render_once(folder: Path, events: int) -> dict[str, float]:
    """One render in a fresh process: seconds, the parent's and the largest worker's peak RSS (MiB)."""
    out = subprocess.run([sys.executable, "-m", "bench.bench_history_parts", "--render", str(folder), str(events)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _render_child(folder: Path, events: int) -> None:
    import resource

    from bench.bench_documents import NOW
    from bench.common import HEAD_KEY
    from documents.history import history_pdf
    from workflow import Engine
    from workflow import FixedClock
    from workflow import Settings

    info = json.loads((folder / "cases.json").read_text())
    engine = Engine(Settings(database_url=info["url"], head_key=HEAD_KEY), clock=FixedClock(NOW))
    actor = engine.users.get(info["actor"]).actor()
    case_id = info["cases"][str(events)]
    start = time.perf_counter()
    pdf, _ = history_pdf(engine, case_id, actor)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "bytes": len(pdf),
                      "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def _spread(values: list[float]) -> str:
    return f"median of {len(values)} rounds, min {min(values):.2f}, max {max(values):.2f}"


def run(quick: bool = False, rounds: int = 3) -> list[Figure]:
    sizes = (200, 1000) if quick else SIZES
    rounds = 1 if quick else rounds
    folder = temp_dir("cadreflow-bench-history-")
    build(folder, sizes)
    seen: dict[int, list[dict[str, float]]] = {n: [] for n in sizes}
    for _ in range(rounds):
        for n in sizes:  # alternating: the baseline, then each long history, every round
            seen[n].append(render_once(folder, n))
    base = seen[sizes[0]]
    base_s = statistics.median(r["seconds"] for r in base)
    base_mb = statistics.median(max(r["self_mb"], r["worker_mb"]) for r in base)
    figures = [Figure(f"history PDF, {sizes[0]} events, one piece (baseline)", round(base_s, 2), "s",
                      note=_spread([r["seconds"] for r in base])),
               Figure(f"history PDF, {sizes[0]} events, peak RSS (baseline)", round(base_mb, 1), "MiB")]
    targets = {2000: (12.0, "≤ 12 s"), 5000: (60.0, "≤ 60 s"), 1000: (None, "")}
    for n in sizes[1:]:
        times = [r["seconds"] for r in seen[n]]
        ratios = [r["seconds"] / b["seconds"] for r, b in zip(seen[n], base, strict=True)]
        limit, target = targets.get(n, (None, ""))
        value = statistics.median(times)
        figures.append(Figure(f"history PDF, {n} events, in parts", round(value, 2), "s", round(base_s, 2),
                              f"{sizes[0]}-event history", target, None if limit is None else value <= limit,
                              _spread(times), measured_ratio=statistics.median(ratios)))
        peak = [max(r["self_mb"], r["worker_mb"]) for r in seen[n]]
        mem_ratios = [p / max(b["self_mb"], b["worker_mb"]) for p, b in zip(peak, base, strict=True)]
        judged = n == 2000  # issue 19's memory target is for the 2,000-event history
        target = "< 1.5× baseline" if judged else ""
        figures.append(Figure(f"history PDF, {n} events, largest process's peak RSS", round(statistics.median(peak), 1),
                              "MiB", round(base_mb, 1), f"{sizes[0]}-event history", target,
                              statistics.median(mem_ratios) < 1.5 if judged else None,
                              f"{_spread(peak)}; parent {statistics.median(r['self_mb'] for r in seen[n]):.0f} MiB, "
                              f"largest worker {statistics.median(r['worker_mb'] for r in seen[n]):.0f} MiB",
                              measured_ratio=statistics.median(mem_ratios)))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--render", nargs=2)
    args = parser.parse_args()
    if args.render:
        _render_child(Path(args.render[0]), int(args.render[1]))
        return
    print(json.dumps([f.as_dict() for f in run(args.quick, args.rounds)], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
