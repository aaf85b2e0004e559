"""A long case history rendered in parts and merged (documents/history_parts.py) is the same document as
one rendered in one piece: every event once and in order, page x of y on every page, PDF/A with the
archive XMP and the embedded history, a valid signature, the watermark on every page."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents import history as history_module
from documents import history_parts
from documents import render_history
from documents.archival import embedded_history
from documents.archival import read_archive_xmp
from documents.history import history_pdf
from documents.signing import certificate_of
from documents.verify_pdf import check_pdf
from workflow import Actor
from workflow import Engine
from workflow import FixedClock
from workflow.persistence.migrate import upgrade
from workflow.settings import Settings

from ..conftest import ARTIFACTS
from ..conftest import DEFAULT_NOW
from ..conftest import HEAD_KEY
from .pdfcheck import first_page_png
from .pdfcheck import page_texts
from .pdfcheck import text
from .scenario_inspection import daily_inspection
from .scenarios import PERSON
from .scenarios import add_users
from .test_archival import assert_pdfa

RECORDS = 17  # 18 events: in parts of 5, four parts


@pytest.fixture(scope="module")
def long_case(tmp_path_factory: pytest.TempPathFactory, signing_key: Path
              ) -> Iterator[tuple[Engine, dict[str, Actor], int]]:
    folder = tmp_path_factory.mktemp("history-parts")
    key = signing_key
    url = f"sqlite:///{folder / 'parts.db'}"
    upgrade(url)
    engine = Engine(Settings(database_url=url, head_key=HEAD_KEY, signing_pkcs12=key), clock=FixedClock(DEFAULT_NOW))
    engine.sync_definitions()
    a = add_users(engine)
    person = engine.people.create(PERSON, a["off"])
    case_id = daily_inspection(engine, a, person, records=RECORDS, file=False)
    yield engine, a, case_id
    engine.dispose()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_history_in_parts_is_the_history_in_one_piece(long_case: tuple[Engine, dict[str, Actor], int],
                                                        workers: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, a, case_id = long_case
    monkeypatch.setenv("CADREFLOW_PDF_WORKERS", workers)
    events = engine.history(case_id, a["aud"])
    assert len(events) == RECORDS + 1
    whole, _ = history_pdf(engine, case_id, a["aud"])
    steps: list[tuple[int, int]] = []
    parted, _ = history_pdf(engine, case_id, a["aud"], part_events=5, progress=lambda d, t: steps.append((d, t)))
    assert steps == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]  # four parts, then the numbering

    body = text(parted)
    places = [body.index(f"第{e.seq}项") for e in events]
    assert places == sorted(places)  # every event, in order
    for e in events:
        assert body.count(e.hash) == 2, e.seq  # its line, and the next one's 前序 or the closing
    for once in ("案件编号", "状态图", f"全部历史事件（共{len(events)}项", "核验结论"):
        assert body.count(once) == 1, once  # the case's information first, the verification last, once each
    assert text(whole).count("核验结论") == 1

    pages = page_texts(parted)
    starts = [page.split("…", 1)[1] for page in pages]  # after the running head
    for seq in (6, 11, 16):  # each part starts on a new page
        assert any(start.startswith(f"第{seq}项") for start in starts), seq
    for i, page in enumerate(pages, start=1):
        assert f"第{i}页共{len(pages)}页" in page, i
        assert f"案件{case_id}全程记录" in page and "末端哈希" in page, i

    assert_pdfa(parted)
    assert read_archive_xmp(parted) == read_archive_xmp(whole) != {}
    assert embedded_history(parted) == embedded_history(whole)
    result = check_pdf(parted, certificate_of(engine.settings))
    assert result.ok, result.problems
    assert "签名有效" in result.passed and f"内嵌记录链{len(events)}项核验通过" in result.passed
    (ARTIFACTS / "documents").mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "documents" / f"case_history_in_parts_{workers}.pdf"
    path.write_bytes(parted)
    first_page_png(path, ARTIFACTS / f"case_history_in_parts_{workers}.png")


def test_a_changed_byte_of_a_history_in_parts_fails(long_case: tuple[Engine, dict[str, Actor], int],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    engine, a, case_id = long_case
    monkeypatch.setenv("CADREFLOW_PDF_WORKERS", "1")
    pdf, _ = history_pdf(engine, case_id, a["aud"], part_events=6)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) > 3
    at = pdf.index(b"/Contents", len(pdf) // 3)  # a byte inside the signed range
    changed = pdf[:at] + b"/Cont3nts" + pdf[at + len(b"/Contents"):]
    assert not check_pdf(changed, certificate_of(engine.settings)).ok


def test_an_auditors_long_history_is_watermarked_on_every_page_and_registered(
        long_case: tuple[Engine, dict[str, Actor], int], monkeypatch: pytest.MonkeyPatch) -> None:
    engine, a, case_id = long_case
    monkeypatch.setenv("CADREFLOW_PDF_WORKERS", "2")
    monkeypatch.setattr(history_module, "PART_EVENTS", 7)
    monkeypatch.setattr(history_module, "ONE_PIECE_EVENTS", 10)  # 18 events: in parts of 7
    steps: list[tuple[int, int]] = []
    pdf = render_history(engine, case_id, a["aud"], "10.0.0.9", progress=lambda d, t: steps.append((d, t)))
    assert steps[-1] == (6, 6) and [d for d, _ in steps] == sorted(d for d, _ in steps)  # 3 parts + 3 steps
    pages = page_texts(pdf)
    assert len(pages) >= 3
    for page in pages:
        assert "查阅人：" in page and "查阅登记第" in page
    assert engine.find_document(hashlib.sha256(pdf).hexdigest())


def test_a_daemonic_worker_renders_its_parts_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cadreflow export`` renders in daemonic pool workers, which may not start processes."""
    monkeypatch.setenv("CADREFLOW_PDF_WORKERS", "4")
    assert history_parts.workers() == 4
    monkeypatch.setattr(multiprocessing, "current_process", lambda: SimpleNamespace(daemon=True))
    assert history_parts.workers() == 1
    monkeypatch.setenv("CADREFLOW_PDF_WORKERS", "²")  # not a count: the default
    monkeypatch.setattr(multiprocessing, "current_process", lambda: SimpleNamespace(daemon=False))
    assert 1 <= history_parts.workers() <= 4


@given(st.integers(0, 2000), st.integers(1, 300))
def test_parts_cover_every_event_once(count: int, size: int) -> None:
    spans = history_parts.spans(count, size)
    assert [i for a, b in spans for i in range(a, b)] == list(range(count))
    assert all(0 < b - a <= size for a, b in spans) or count == 0


@given(st.integers(1, 3000), st.integers(1, 40), st.integers(1, 4))
def test_numbering_sheets_start_on_right_hand_pages_and_cover_every_page(pages: int, parts: int, workers: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CADREFLOW_PDF_WORKERS", str(workers))
        sheets = history_parts._sheet_spans(pages, parts)
    assert [p for a, b in sheets for p in range(a, b + 1)] == list(range(1, pages + 1))
    assert all(a % 2 == 1 for a, _ in sheets)
    assert len(sheets) <= min(workers, parts)
