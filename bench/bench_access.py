"""What need-to-know costs a request: 查阅登记 on a case page, the watermark on a form download.

Each figure compares the same request with and without the feature, in one process,
in interleaved rounds (bench.common.interleaved): the case page as an officer
(``GET /cases/<id>``) with its register row against the same page with
``AccessRegister.record`` made a no-op; and a form (``GET /api/v1/cases/<id>/
documents/<name>.pdf``, which renders, registers and issues it) with the reader's
watermark against the same download with the watermark left off (the read still
registered). The figure is the median of the per-round overheads (time with / time
without − 1), with their min and max. Targets (issue 12): ≤ 10% and ≤ 20%.

Run: .venv/bin/python -m bench.bench_access [--quick]
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC
from datetime import datetime
from typing import Any

from documents import form_reads
from documents import issue
from tests.documents import scenarios
from web import create_app
from web.config import AppConfig
from workflow import Engine
from workflow import FixedClock
from workflow import Settings
from workflow.persistence.migrate import upgrade

from .common import HEAD_KEY
from .common import Figure
from .common import interleaved
from .common import temp_dir

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
PASSWORD = "bench-password-0123"


@contextmanager
def _without(obj: Any, name: str, replacement: Callable[..., Any]) -> Any:
    saved = getattr(obj, name)
    setattr(obj, name, replacement)
    try:
        yield
    finally:
        setattr(obj, name, saved)


def _timed(fn: Callable[[], Any], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        fn()
    return count / (time.perf_counter() - started)


def _overhead(rates: dict[str, list[float]], feature: str, bare: str) -> tuple[float, float, float]:
    """(median, min, max) of the per-round overhead: time with / time without − 1 = rate without / rate with − 1."""
    values = [b / f - 1 for f, b in zip(rates[feature], rates[bare], strict=True)]
    return statistics.median(values), min(values), max(values)


def measure(rounds: int, pages: int, forms: int) -> list[Figure]:
    folder = temp_dir("cadreflow-bench-access-")
    try:
        url = f"sqlite:///{folder / 'bench.db'}"
        upgrade(url)
        engine = Engine(Settings(database_url=url, head_key=HEAD_KEY), clock=FixedClock(NOW), forms=form_reads())
        engine.sync_definitions()
        demo = scenarios.build(engine)
        from werkzeug.security import generate_password_hash

        engine.users.update("off", password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        token = engine.users.create_token("off")
        config = AppConfig(folder, url, "bench-secret-key-0123456789")
        app = create_app({"TESTING": True, "CADREFLOW_CONFIG": config}, engine=engine)
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert csrf is not None
        signed = client.post("/login", data={"username": "off", "password": PASSWORD, "csrf_token": csrf.group(1)})
        assert signed.status_code == 303, signed.status_code
        case_id = demo.cases["signed_recommendation_form"]
        form_url = f"/api/v1/cases/{case_id}/documents/signed_recommendation_form.pdf"
        auth = {"Authorization": f"Bearer {token}"}

        def case_page() -> None:
            assert client.get(f"/cases/{case_id}").status_code == 200

        def form() -> None:
            assert client.get(form_url, headers=auth).status_code == 200

        def registered(count: int) -> float:
            return _timed(case_page, count)

        def unregistered(count: int) -> float:
            with _without(engine.access, "record", lambda *a, **k: 0):
                return _timed(case_page, count)

        real = issue.watermark_for

        def watermarked(count: int) -> float:
            return _timed(form, count)

        def unmarked(count: int) -> float:
            with _without(issue, "watermark_for", lambda *a, **k: (real(*a, **k), None)[1]):
                return _timed(form, count)

        case_page()
        form()
        pages_rounds = interleaved({"register": registered, "bare": unregistered}, rounds,
                                   {"register": pages, "bare": pages})
        form_rounds = interleaved({"watermark": watermarked, "bare": unmarked}, rounds,
                                  {"watermark": forms, "bare": forms})
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    figures = []
    for label, result, feature, target, per in (
            ("查阅登记 on the case page (GET /cases/<id>, officer)", pages_rounds, "register", 0.10, pages),
            ("watermark on a form download (GET …/documents/<name>.pdf)", form_rounds, "watermark", 0.20, forms)):
        median, low, high = _overhead(result.rates, feature, "bare")
        with_rate, bare_rate = result.median(feature), result.median("bare")
        figures.append(Figure(
            f"need-to-know: {label}", round(1000 / with_rate, 2), "ms", round(1000 / bare_rate, 2),
            "the same request without it, same process, interleaved rounds", target=f"≤ {target:.0%} overhead",
            met=median <= target, measured_ratio=1 + median,
            note=(f"overhead median {median:+.1%} (min {low:+.1%}, max {high:+.1%}) over {rounds} rounds of "
                  f"{per} requests each")))
    return figures


def run(quick: bool = False) -> list[Figure]:
    return measure(rounds=3 if quick else 7, pages=20 if quick else 80, forms=3 if quick else 10)


if __name__ == "__main__":
    for fig in run("--quick" in sys.argv[1:]):
        print(json.dumps(fig.as_dict(), ensure_ascii=False))
