"""A long case history rendered in parts, in parallel, and merged: time and memory grow with a part, not
with the case.

WeasyPrint lays out a whole document in memory, so a history of thousands of events takes minutes and
the memory of all its pages. Above ``ONE_PIECE_EVENTS`` events (a background job's history) it is cut
into parts of ``PART_EVENTS`` events; each part is one HTML document of the same template (the case's
information and diagram in the first, the verification in the last) rendered without running heads,
in worker processes when the machine has cores for them. The parts' pages are merged with pikepdf,
then numbering sheets (the running heads and 「第 N 页 共 M 页」, laid out by WeasyPrint for the merged
page count, in parallel too) are laid over them, so the page numbers run on as in a PDF of one piece.
PDF/A identification, the embedded history and the metadata come with the first part; the archive XMP
and the signature are added after the merge. Each part starts on a new page.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from .archival import add_archive_xmp
from .environment import render_html
from .renderer import PdfMeta
from .renderer import html_to_pdf

ONE_PIECE_EVENTS = 300  # up to this many, one piece is faster than starting workers (a page request)
PART_EVENTS = 150  # events per part: about 40 pages, a few seconds and a bounded memory each
WHOLE = {"first": True, "last": True, "numbered": True}  # a history of one piece
SHEET = "case_history_pages.html"


def workers() -> int:
    """Processes for the parts: ``CADREFLOW_PDF_WORKERS``, default the machine's cores up to 4; 1 (in this
    process) inside a daemonic worker, which may not start processes of its own (``cadreflow export``)."""
    if multiprocessing.current_process().daemon:
        return 1
    configured = os.environ.get("CADREFLOW_PDF_WORKERS", "")
    if configured.isascii() and configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(4, os.cpu_count() or 1))


def spans(count: int, size: int) -> list[tuple[int, int]]:
    """``count`` events cut into ``[start, end)`` parts of ``size`` (at least one part)."""
    return [(start, min(start + size, count)) for start in range(0, count, size)] or [(0, 0)]


def render_in_parts(template: str, context: dict[str, Any], meta: PdfMeta, size: int = PART_EVENTS,
                    progress: Callable[[int, int], None] | None = None) -> bytes:
    """The PDF of ``template`` over ``context["events"]`` in parts of ``size`` events (context and meta as
    for ``render_pdf``: a watermark in the context is on every part). Unsigned."""
    events: Sequence[Any] = context["events"]
    cut = spans(len(events), size)
    htmls = [render_html(template, {**context, "events": events[start:end],
                                    "part": {"first": i == 0, "last": i == len(cut) - 1, "numbered": False}})
             for i, (start, end) in enumerate(cut)]
    first = replace(meta, archive=None)  # the XMP's archive properties go onto the merged PDF
    rest = PdfMeta(meta.title, meta.created)
    jobs = [(html, first if i == 0 else rest) for i, html in enumerate(htmls)]
    step = progress or (lambda done, total: None)
    with _pool(len(jobs)) as run:
        pdfs = run(jobs, lambda done: step(done, len(jobs) + 1))
        merged, pages = _merge(pdfs)
        sheets = [(render_html(SHEET, {**context, "first_page": a, "pages": b - a + 1, "total": pages}), rest)
                  for a, b in _sheet_spans(pages, len(jobs))]
        numbers = run(sheets, lambda done: None)
    step(len(jobs) + 1, len(jobs) + 1)
    numbered = _lay_over(merged, numbers)
    return add_archive_xmp(numbered, meta.archive) if meta.archive is not None else numbered


def _sheet_spans(pages: int, parts: int) -> list[tuple[int, int]]:
    """Pages ``1..pages`` as numbering sheets ``(first, last)``, one per worker, each of an even number of
    pages but the last, so that each starts on an odd page: a right-hand page, as a sheet's first is."""
    count = max(1, min(workers(), parts))
    per = -(-pages // count)
    per += per % 2  # even, so every sheet starts odd
    return [(a, min(a + per - 1, pages)) for a in range(1, pages + 1, per)]


def _render_one(html: str, meta: PdfMeta) -> bytes:
    return html_to_pdf(html, meta)


Run = Callable[[list[tuple[str, PdfMeta]], Callable[[int], None]], list[bytes]]


@contextmanager
def _pool(parts: int) -> Iterator[Run]:
    """A runner of ``(html, meta)`` renders, in order: worker processes when there are cores and parts
    for them, else this process. forkserver: clean workers whatever threads the server runs; a pool per
    history, so the workers' memory is returned when it is done."""
    count = min(workers(), parts)
    if count <= 1:
        def here(jobs: list[tuple[str, PdfMeta]], done: Callable[[int], None]) -> list[bytes]:
            out = []
            for html, meta in jobs:
                out.append(_render_one(html, meta))
                done(len(out))
            return out
        yield here
        return
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("forkserver")) as pool:
        def there(jobs: list[tuple[str, PdfMeta]], done: Callable[[int], None]) -> list[bytes]:
            futures = [pool.submit(_render_one, html, meta) for html, meta in jobs]
            out = []
            for future in futures:
                out.append(future.result())
                done(len(out))
            return out
        yield there


def _merge(pdfs: list[bytes]) -> tuple[bytes, int]:
    """The parts' pages in order, in the first part's document (its catalog, XMP, OutputIntent and
    attachments); the page count."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdfs[0])) as target:
        for pdf in pdfs[1:]:
            with pikepdf.open(io.BytesIO(pdf)) as part:
                target.pages.extend(part.pages)
        pages = len(target.pages)
        out = io.BytesIO()
        target.save(out)
    return out.getvalue(), pages


def _lay_over(pdf: bytes, sheets: list[bytes]) -> bytes:
    """The numbering sheets' pages laid over ``pdf``'s, in order."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as target:
        opened = [pikepdf.open(io.BytesIO(sheet)) for sheet in sheets]
        try:
            overlays = [page for sheet in opened for page in sheet.pages]
            if len(overlays) != len(target.pages):
                raise RuntimeError(f"页码页数（{len(overlays)}）与正文页数（{len(target.pages)}）不一致")
            for page, overlay in zip(target.pages, overlays, strict=True):
                page.add_overlay(overlay, pikepdf.Rectangle(*page.trimbox))
            out = io.BytesIO()
            target.save(out)
        finally:
            for sheet in opened:
                sheet.close()
    return out.getvalue()
