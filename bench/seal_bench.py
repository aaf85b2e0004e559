"""What checking a case against its signed head costs on `Engine.fire`.

Two engines on their own SQLite files (WAL, synchronous=NORMAL so the disk does not
hide the work) fire the 日常考察 `record` event on 200 cases in turn: one as shipped
(the locked row checked against its seal and MAC before anything else,
``commands.events.check``), one with that check switched off. Interleaved rounds;
the figure is the median of per-round ratios (bench.common.interleaved).

Run: .venv/bin/python -m bench.seal_bench [--quick]
"""

from __future__ import annotations

import sys
from typing import Any

from workflow.commands import events

from .common import Figure
from .common import interleaved
from .engine_bench import EngineRunner


def _no_check(row: Any, key: bytes, skip: tuple[str, ...] = ()) -> None:
    return None


class Unchecked(EngineRunner):
    def __call__(self, count: int) -> float:
        checked = events.check
        events.check = _no_check
        try:
            return super().__call__(count)
        finally:
            events.check = checked


def run(quick: bool = False) -> list[Figure]:
    rounds, per_round = (5, 100) if quick else (15, 300)
    checked, unchecked = EngineRunner("NORMAL"), Unchecked("NORMAL")
    checked(20)
    unchecked(20)
    result = interleaved({"checked": checked, "unchecked": unchecked}, rounds,
                         {"checked": per_round, "unchecked": per_round})
    for runner in (checked, unchecked):
        runner.close()
    overhead = 1 / result.ratio("checked", "unchecked") - 1
    return [Figure("engine fire with the case checked against its signed head, synchronous=NORMAL",
                   round(result.median("checked"), 1), "events/s", round(result.median("unchecked"), 1),
                   "the same fire path without the check", target="≤ 15% slower", met=overhead <= 0.15,
                   measured_ratio=result.ratio("checked", "unchecked"),
                   note=f"check adds {overhead:.1%} per event; median of {rounds} interleaved rounds "
                        f"({per_round} events each): checked {result.spread('checked')}, "
                        f"unchecked {result.spread('unchecked')}")]


if __name__ == "__main__":
    for fig in run("--quick" in sys.argv[1:]):
        print(fig)
