"""Helpers shared by the benchmarks: temporary instances, timing, RSS, result records.

Every figure is a ratio against a baseline measured in the same run on the same
machine. Throughput figures are taken in interleaved rounds (``interleaved``):
the contenders take turns, a few hundred operations each, and the figure's ratio
is the median of the per-round ratios, so a burst of load from another process
hits one round of each contender rather than one contender as a whole.
"""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEAD_KEY = b"bench-head-key-0123456789abcdef!"


@dataclass
class Figure:
    """One measured figure, as bench/results.json records it.

    ``ratio`` is value / baseline unless ``measured_ratio`` is given (the median of
    per-round ratios of an interleaved measurement, which is what the target judges).
    """

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""
    measured_ratio: float | None = None
    module: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.measured_ratio is not None:
            return self.measured_ratio
        if not self.baseline:
            return None
        return self.value / self.baseline

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["measured_ratio"]
        out["ratio"] = None if self.ratio is None else round(self.ratio, 4)
        return out


def temp_dir(prefix: str) -> Path:
    base = Path(os.environ.get("CADREFLOW_BENCH_DIR", tempfile.gettempdir()))
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


def rss_mb() -> float:
    """Current resident set size of this process in MiB (from /proc)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 1048576


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rate(count: int, fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return count / (time.perf_counter() - start)


def timed_ms(fn: Callable[[], Any], runs: int) -> tuple[float, list[float]]:
    """(median, all) wall times of ``fn`` in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


@dataclass
class Rounds:
    """Per-round rates (operations/s) of each contender of an interleaved measurement."""

    rates: dict[str, list[float]]

    def median(self, name: str) -> float:
        return statistics.median(self.rates[name])

    def ratio(self, name: str, baseline: str) -> float:
        """Median of the per-round ratios ``name`` / ``baseline``."""
        return statistics.median(a / b for a, b in zip(self.rates[name], self.rates[baseline], strict=True))

    def spread(self, name: str) -> str:
        values = self.rates[name]
        return f"{min(values):,.0f}–{max(values):,.0f}"


def interleaved(contenders: Mapping[str, Callable[[int], float]], rounds: int, per_round: Mapping[str, int]
                ) -> Rounds:
    """Run ``rounds`` rounds; in each, every contender runs its ``per_round`` operations.

    Each contender is a callable ``(count) -> operations/s`` that keeps its own state
    (database, cases) between rounds. The order of the contenders rotates every round.
    """
    names = list(contenders)
    out: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            out[name].append(contenders[name](per_round[name]))
    return Rounds(out)
