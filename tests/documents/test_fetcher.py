"""Rendering is offline: only files under documents/ (and the system's font files) are read."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from weasyprint.urls import FatalURLFetchingError

from documents.environment import DOCUMENTS_DIR
from documents.fetcher import OfflineFetcher
from documents.fetcher import allowed_path
from documents.renderer import PdfMeta
from documents.renderer import html_to_pdf


def test_fetcher_serves_documents_files_and_data_urls() -> None:
    f = OfflineFetcher()
    css = f.fetch((DOCUMENTS_DIR / "templates" / "print.css").as_uri())
    assert b"@page" in css.read()
    assert f.fetch("data:text/plain;base64,5Zu+").read() == "图".encode()


@pytest.mark.parametrize("url", ["http://example.com/x.css", "https://example.com/a.png", "ftp://h/f",
                                 "file:///etc/passwd", (DOCUMENTS_DIR.parent / "pyproject.toml").as_uri()])
def test_fetcher_refuses_everything_else(url: str) -> None:
    with pytest.raises(FatalURLFetchingError):
        OfflineFetcher().fetch(url)


def test_font_files_are_allowed_only_in_font_directories(tmp_path: Path) -> None:
    assert allowed_path(Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"))
    assert not allowed_path(Path("/usr/share/fonts/../../../etc/passwd"))
    assert not allowed_path(tmp_path / "x.ttf")


def test_a_template_reaching_for_the_network_stops_the_render() -> None:
    html = '<html lang="zh-CN"><body><img src="http://example.com/logo.png"></body></html>'
    with pytest.raises(FatalURLFetchingError):
        html_to_pdf(html, PdfMeta("t", datetime(2026, 11, 25, tzinfo=UTC)))
