"""Archival PDFs: what PDF/A and the PAdES signature add to a form, and verify-pdf's rate.

Contenders per round, in rotating order (5 rounds, median): the 干部任免审批表's HTML
rendered as a plain PDF, the same HTML as PDF/A-3b with the archive XMP, and the
signature over that PDF/A (documents.signing.sign). Figures: the signing time per
form (target issue 19: <= 0.3 s), the per-round ratio PDF/A / plain (target <= 1.2),
and verify-pdf's offline checks over a signed case history (target >= 20 PDFs/s; median of the
rounds' rates).

Run from the project root:
    .venv/bin/python -m bench.bench_archival [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from documents import form_reads  # noqa: E402
from documents import render_history  # noqa: E402
from documents.archival import Archive  # noqa: E402
from documents.environment import render_html  # noqa: E402
from documents.forms import FORMS  # noqa: E402
from documents.issue import form_inputs  # noqa: E402
from documents.renderer import PdfMeta  # noqa: E402
from documents.renderer import html_to_pdf  # noqa: E402
from documents.signing import certificate_of  # noqa: E402
from documents.signing import create_self_signed  # noqa: E402
from documents.signing import sign  # noqa: E402
from documents.verify_pdf import check_pdf  # noqa: E402
from tests.documents import scenarios  # noqa: E402
from workflow import Engine  # noqa: E402
from workflow import FixedClock  # noqa: E402
from workflow import Settings  # noqa: E402
from workflow.persistence.migrate import upgrade  # noqa: E402

from .bench_documents import NOW  # noqa: E402
from .common import HEAD_KEY  # noqa: E402
from .common import Figure  # noqa: E402
from .common import temp_dir  # noqa: E402

FORM = "appointment_approval_form"


def make_engine() -> Engine:
    folder = temp_dir("cadreflow-bench-archival-")
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    key = create_self_signed(folder / "signing.p12", "基准测试组织部")
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY, signing_pkcs12=key), clock=FixedClock(NOW),
                    forms=form_reads())
    engine.sync_definitions()
    return engine


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(quick: bool = False) -> list[Figure]:
    rounds = 3 if quick else 5
    engine = make_engine()
    demo = scenarios.build(engine)
    inputs = form_inputs(engine, engine.case_record(demo.cases[FORM], demo.actors["off"]), FORM)
    form = FORMS[FORM]
    html = render_html(form.template, form.build(inputs))
    plain_meta = PdfMeta(form.title, NOW)
    archive_meta = PdfMeta(form.title, NOW, archive=Archive(inputs.case.id, FORM, form.version, "基准测试组织部"))
    pdfa = html_to_pdf(html, archive_meta)
    sign(pdfa, engine.settings)  # warm-up: loads pyHanko and the key
    html_to_pdf(html, plain_meta, variant=None)
    contenders: dict[str, Callable[[], object]] = {
        "plain": lambda: html_to_pdf(html, plain_meta, variant=None),
        "pdfa": lambda: html_to_pdf(html, archive_meta),
        "sign": lambda: sign(pdfa, engine.settings),
    }
    names = list(contenders)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        for name in names[r % 3:] + names[:r % 3]:
            times[name].append(timed(contenders[name]))
    signing = statistics.median(times["sign"])
    ratio = statistics.median(a / b for a, b in zip(times["pdfa"], times["plain"], strict=True))
    plain = statistics.median(times["plain"])

    history = render_history(engine, demo.cases[FORM], demo.actors["aud"])
    trusted = certificate_of(engine.settings)
    count = 10 if quick else 20
    check_pdf(history, trusted)  # warm-up
    rates = [count / timed(lambda: [check_pdf(history, trusted) for _ in range(count)]) for _ in range(rounds)]
    per_second = statistics.median(rates)
    engine.dispose()
    note = f"median of {rounds} alternating rounds"
    return [
        Figure(f"PAdES signature of a form ({FORM})", round(signing, 3), "s", target="<= 0.3 s",
               met=signing <= 0.3, note=note),
        Figure(f"PDF/A-3b render of {FORM} vs plain PDF", round(statistics.median(times["pdfa"]), 3), "s",
               baseline=plain, baseline_name="plain PDF, same HTML", target="<= 1.2x", met=ratio <= 1.2,
               note=note + " (ratio: median of per-round ratios)", measured_ratio=ratio),
        Figure("verify-pdf offline over a signed case history", round(per_second, 1), "PDFs/s",
               target=">= 20 PDFs/s", met=per_second >= 20,
               note=f"median of {rounds} rounds of {count} checks (min {min(rates):.1f}, max {max(rates):.1f}), "
                    f"{len(history) // 1024} KiB"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps([f.as_dict() for f in run(args.quick)], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
