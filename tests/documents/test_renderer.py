"""The print stylesheet and the renderer: the GB/T 9704 grid, fonts, the HarfBuzz check."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import UTC
from datetime import datetime

import pdfplumber
import pytest

from documents import renderer
from documents.renderer import PdfMeta
from documents.renderer import RendererUnavailable
from documents.renderer import html_to_pdf

from .pdfcheck import MM

PROSE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="print.css">'
         '</head><body><div class="prose"><p class="flush">{}</p></div></body></html>')


def _lines(pdf: bytes) -> list[tuple[float, int]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        rows: dict[float, int] = defaultdict(int)
        for c in doc.pages[0].chars:
            if c["top"] < (297 - 35) * MM:
                rows[round(c["top"], 1)] += 1
        return sorted(rows.items())


def test_body_text_follows_the_22_lines_of_28_characters_grid() -> None:
    pdf = html_to_pdf(PROSE.format("国" * 28 * 30), PdfMeta("grid", datetime(2026, 11, 25, tzinfo=UTC)))
    lines = _lines(pdf)
    assert len(lines) == 22, lines  # 22 lines fill the 225 mm type area, the rest goes to page 2
    assert all(n == 28 for _, n in lines), lines  # 28 characters of 3号 on a 156 mm line
    pitch = (lines[-1][0] - lines[0][0]) / 21 / MM
    assert abs(pitch - 225 / 22) < 0.1, pitch  # one line = 225 mm / 22
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        sizes = {round(c["size"]) for c in doc.pages[0].chars if c["top"] < (297 - 35) * MM}
        assert sizes == {16}  # 3号


def test_a_missing_harfbuzz_subsetter_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.text.ffi as ffi

    monkeypatch.setattr(renderer, "_checked", False)
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    with pytest.raises(RendererUnavailable, match="libharfbuzz-subset0"):
        renderer.check_harfbuzz()
