"""Timing of the cadre record (not a test): LRMX bundles in, 干部名册 workbooks out and in, the person page.

    .venv/bin/python -m bench.bench_exchange [--rounds 5] [--forms 1000] [--rows 10000]

Each figure is timed against a trivial baseline in the same run, in alternating
rounds (the order flips every round): parsing a zip of generated .lrmx files
(each with a ~30 KB photo, resume, family) against reading the same entries'
bytes; exporting roster rows against writing them as CSV; importing the
exported workbook against iterating its cells with openpyxl. Prints the median,
min and max seconds of each contender and the median per-round ratio.
``run(quick)`` returns the same as ``bench.common.Figure`` records.

End to end through the engine (``bench.bench_record``): importing the zip into an
empty SQLite database (parse, validate, match, one person and its first history
entry and photo each, one transaction) against parsing it alone; exporting 10,000
stored people to .xlsx (the visible-people query and the workbook) against the
codec writing the same rows from memory; a person page with 50 history entries
against the page of a person with one.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import time
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

from openpyxl import load_workbook

from bench.common import Figure
from workflow.exchange.bundle import read_bundle
from workflow.exchange.idcard import check_char
from workflow.exchange.lrmx import to_lrmx
from workflow.exchange.roster_xlsx import ROSTER_COLUMNS
from workflow.exchange.roster_xlsx import export_roster
from workflow.exchange.roster_xlsx import import_roster

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def person(i: int, rng: random.Random) -> dict[str, Any]:
    born = date(1965 + i % 30, 1 + i % 12, 1 + i % 28)
    first17 = f"320102{born:%Y%m%d}{i % 100:02d}{(i % 5) * 2 + 1}"
    return {
        "name": SURNAMES[i % len(SURNAMES)] + "某" + str(i), "gender": "男",
        "birth_date": born.replace(day=1).isoformat(), "ethnicity": "汉族", "native_place": "江苏南京",
        "birthplace": "江苏南京", "party_join_date": "1995-06-01", "work_start_date": "1990-07-01", "health": "健康",
        "edu_fulltime_level": "大学", "edu_fulltime_degree": "经济学学士", "edu_fulltime_school": "南京大学经济学院",
        "unit": f"江州市第{i % 40}局", "current_post": "综合处处长", "political_status": "中共党员",
        "rank_level": "county_chief", "post_since": "2019-12-01", "rank_since": "2019-12-01",
        "resume": [{"start": f"{1986 + k * 4}.09", "end": f"{1990 + k * 4}.07", "text": f"江州市某单位第{k}段经历"}
                   for k in range(6)],
        "family": [{"relation": r, "name": f"家属{r}", "birth_date": "1970.01", "political_status": "群众",
                    "work": "江州市某单位职工"} for r in ("妻子", "儿子", "父亲", "母亲")],
        "annual_assessments": [{"year": 2022, "grade": "称职"}, {"year": 2023, "grade": "优秀"}],
        "id_number": first17 + check_char(first17),
    }


def lrmx_zip(count: int) -> bytes:
    rng = random.Random(7)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(count):
            photo = b"\xff\xd8\xff\xe0" + rng.randbytes(30_000)
            archive.writestr(f"{i:04d}.lrmx", to_lrmx(person(i, rng), photo, reporting_unit="中共江州市委组织部"))
    return out.getvalue()


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def alternate(contender: Callable[[], Any], baseline: Callable[[], Any], rounds: int) -> dict[str, list[float]]:
    contender()  # warm-up: imports, code-set loading
    times: dict[str, list[float]] = {"contender": [], "baseline": []}
    for r in range(rounds):
        order = [("contender", contender), ("baseline", baseline)]
        for name, fn in order if r % 2 == 0 else order[::-1]:
            times[name].append(timed(fn))
    return times


def parse_all(data: bytes) -> None:
    forms = list(read_bundle(data, "bench.zip"))
    bad = [name for name, parsed in forms if parsed.problems]
    if bad:
        raise AssertionError(f"{len(bad)} forms did not parse cleanly, e.g. {bad[0]}")


def read_entries(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            archive.read(info)


def csv_rows(rows: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label for c in ROSTER_COLUMNS])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in ROSTER_COLUMNS])


def iterate_cells(data: bytes) -> None:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for _ in book.worksheets[0].iter_rows(values_only=True):
        pass
    book.close()


def measure(rounds: int, forms: int, rows_count: int) -> list[tuple[str, str, dict[str, list[float]]]]:
    bundle = lrmx_zip(forms)
    rng = random.Random(11)
    rows = [person(i, rng) for i in range(rows_count)]
    workbook = export_roster(rows)
    return [
        (f"parse zip of {forms} .lrmx ({len(bundle) / 2**20:.1f} MB)", "read the same entries' bytes",
         alternate(lambda: parse_all(bundle), lambda: read_entries(bundle), rounds)),
        (f"export {rows_count} roster rows to .xlsx", "write them as CSV",
         alternate(lambda: export_roster(rows), lambda: csv_rows(rows), rounds)),
        (f"import those {rows_count} rows (validated)", "iterate the cells with openpyxl",
         alternate(lambda: import_roster(workbook), lambda: iterate_cells(workbook), rounds)),
    ]


def run(quick: bool = False) -> list[Figure]:
    from bench.bench_record import measure_record

    rounds, forms, rows = (3, 200, 2000) if quick else (5, 1000, 10000)
    results = measure(rounds, forms, rows) + measure_record(rounds, forms, rows)
    targets = ["1,000 .lrmx ≤ 30 s end to end with DB writes: parsing a small share", "10,000 rows ≤ 10 s", "",
               "1,000 .lrmx ≤ 30 s end to end", "10,000 people ≤ 10 s", "≤ 100 ms"]
    figures = []
    for (name, baseline, times), target in zip(results, targets, strict=True):
        ratio = statistics.median(a / b for a, b in zip(times["contender"], times["baseline"], strict=True))
        figures.append(Figure(name=name, value=statistics.median(times["contender"]), unit="s",
                              baseline=statistics.median(times["baseline"]), baseline_name=baseline,
                              measured_ratio=ratio, module="bench_exchange", target=target,
                              extra={"min": min(times["contender"]), "max": max(times["contender"])}))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()
    from bench.bench_record import measure_record

    results = measure(args.rounds, args.forms, args.rows) + measure_record(args.rounds, args.forms, args.rows)
    for name, baseline, times in results:
        c, b = times["contender"], times["baseline"]
        ratio = statistics.median(x / y for x, y in zip(c, b, strict=True))
        print(f"{name}: median {statistics.median(c):.3f} s (min {min(c):.3f}, max {max(c):.3f})")
        print(f"    baseline, {baseline}: median {statistics.median(b):.3f} s (min {min(b):.3f}, max {max(b):.3f});"
              f" ratio {ratio:.1f}x over {len(c)} alternating rounds")


if __name__ == "__main__":
    main()
